package dev.weft.crash;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.event.EngineEvent;
import dev.weft.queue.QueueOptions;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.ManualTimeSource;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of the crash and multi-node tests: a {@link WeftEngine} on a
 * {@link JdbcWorkflowStore} over PostgreSQL, with the {@link CrashWorkflows} registered and a
 * {@link ManualTimeSource} that only the parent moves. Driven through stdin, one command a line
 * ({@code <id> <command> <args...>}), each answered {@code OK <id> <answer>}; everything else it
 * prints is a marker of progress ({@code STARTED}, {@code COMPLETED}, {@code RETRYING}, {@code GATED},
 * {@code ENDED}, {@code IN_COMMIT}, ...). It is meant to be killed, not stopped: end of input halts it.
 *
 * <p>Arguments are {@code key=value}: {@code prefix}, {@code node}, {@code clock} (an instant),
 * optionally {@code lease}, {@code renew}, {@code adoption}, {@code park} (durations), {@code queue} (a queue to
 * serve), {@code gate} and
 * {@code fail} (activity names, comma separated), {@code verifier=effects} to reconcile the keyed
 * charge against the effects table. The connection comes from the environment
 * ({@code WEFT_CHILD_JDBC_URL}, {@code _USER}, {@code _PASSWORD}, {@code WEFT_CHILD_APPLICATION}).
 */
public final class CrashWorker {

    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    private final ManualTimeSource clock;
    private final CrashWorkflows workflows;
    private final CommitStall stall;
    private final WeftEngine engine;

    private CrashWorker(Map<String, String> options) {
        String prefix = options.get("prefix");
        String node = options.get("node");
        HikariDataSource dataSource = dataSource(true);
        this.clock = new ManualTimeSource(Instant.parse(options.get("clock")));
        this.workflows = new CrashWorkflows(new Effects(dataSource, prefix, node), this::print);
        list(options.get("gate")).forEach(workflows::gate);
        list(options.get("fail")).forEach(workflows::failFirstAttempt);
        this.stall = new CommitStall(prefix, workflows::returned, this::print);
        // Without auto-commit, even a batch that is a single statement ends with a commit() the stall can hold.
        JdbcWorkflowStore store = JdbcWorkflowStore.builder(stall.wrap(dataSource(false))).tablePrefix(prefix).build();
        WeftEngineBuilder builder = WeftEngine.builder()
                .store(store)
                .nodeId(node)
                // these tests restart a killed node under its id within the lease on purpose
                // (its own runs are taken up at once), which the node registry would refuse
                .registerNode(false)
                .timeSource(clock)
                .lease(Duration.parse(options.getOrDefault("lease", "PT30S")))
                .adoptionInterval(Duration.parse(options.getOrDefault("adoption", "PT0S")))
                .workflow(CrashWorkflows.threeSteps())
                .workflow(CrashWorkflows.napping())
                .workflow(CrashWorkflows.awaitingApproval())
                .workflow(CrashWorkflows.awaitingSignal())
                .workflow(CrashWorkflows.keyedCharge())
                .workflow(workflows.memoCharge())
                .workflow(CrashWorkflows.compensating())
                .workflow(CrashWorkflows.queuedStep())
                .activity(workflows.charge("effects".equals(options.get("verifier"))))
                .parkAfter(Duration.parse(options.getOrDefault("park", "PT30S")))
                .listener(this::report);
        if (options.containsKey("renew")) {
            builder.leaseRenewInterval(Duration.parse(options.get("renew")));
        }
        if (options.containsKey("queue")) {
            // a worker pool of that queue, running the activities of CrashWorkflows for whichever node enqueues them
            builder.queue(options.get("queue"), QueueOptions.concurrency(16));
        }
        workflows.activities().forEach(builder::activity);
        workflows.sagaActivities().forEach(builder::activity);
        this.engine = builder.build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        CrashWorker worker = new CrashWorker(options);
        worker.print("READY " + ProcessHandle.current().pid());
        worker.serve();
    }

    private static HikariDataSource dataSource(boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setAutoCommit(autoCommit);
        config.setJdbcUrl(System.getenv("WEFT_CHILD_JDBC_URL"));
        config.setUsername(System.getenv("WEFT_CHILD_JDBC_USER"));
        config.setPassword(System.getenv().getOrDefault("WEFT_CHILD_JDBC_PASSWORD", ""));
        config.addDataSourceProperty("ApplicationName", System.getenv("WEFT_CHILD_APPLICATION"));
        config.setMaximumPoolSize(8);
        config.setPoolName(autoCommit ? "weft-child" : "weft-child-store");
        return new HikariDataSource(config);
    }

    private void serve() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            String answer;
            try {
                answer = execute(words[1], Arrays.copyOfRange(words, 2, words.length));
            } catch (RuntimeException e) {
                answer = "ERROR " + e;
            }
            print("OK " + words[0] + " " + answer);
        }
        // the parent went away: vanish as a crash would, writing nothing more
        Runtime.getRuntime().halt(0);
    }

    private String execute(String command, String[] args) {
        return switch (command) {
            case "start" -> {
                for (int i = 1; i < args.length; i++) {
                    engine.start(args[0], args[i], StartOptions.withId(args[i]));
                }
                yield Integer.toString(args.length - 1);
            }
            case "recover" -> Integer.toString(engine.recoverAll().recovered().size());
            case "advance" -> {
                clock.advance(Duration.parse(args[0]));
                yield clock.now().toString();
            }
            case "set" -> {
                clock.set(Instant.parse(args[0]));
                yield clock.now().toString();
            }
            case "timers" -> clock.pendingTimers() + " " + clock.nextDue().map(Instant::toString).orElse("none");
            case "open" -> {
                workflows.open(args[0]);
                yield args[0];
            }
            case "stall-commit" -> {
                stall.arm(Integer.parseInt(args[0]));
                yield "armed";
            }
            case "active" -> Integer.toString(engine.activeRunCount());
            case "stall-next" -> {
                stall.armNext();
                yield "armed";
            }
            case "complete" -> {
                // on its own thread: a stalled commit never returns, and the command loop must go on
                Thread.ofVirtual().start(() -> {
                    try {
                        engine.completeAsyncActivity(args[0], args[1]);
                        print("ACCEPTED " + args[0]);
                    } catch (RuntimeException e) {
                        print("REFUSED " + args[0] + " " + e.getClass().getSimpleName());
                    }
                });
                yield "sent";
            }
            case "parked" -> Integer.toString(engine.parkedRunCount());
            default -> throw new IllegalArgumentException("unknown command " + command);
        };
    }

    private void report(EngineEvent event) {
        switch (event) {
            case EngineEvent.ActivityStarted started ->
                    print("STARTED " + started.workflowId() + " " + started.seq() + " " + started.activityName() + " " + started.attempt());
            case EngineEvent.ActivityCompleted completed -> print("COMPLETED " + completed.workflowId() + " " + completed.seq() + " "
                    + completed.activityName() + " " + completed.attempt());
            case EngineEvent.ActivityRetrying retrying -> print("RETRYING " + retrying.workflowId() + " " + retrying.seq() + " "
                    + retrying.activityName() + " " + retrying.failedAttempt() + " " + retrying.nextAttemptAt());
            case EngineEvent.WorkflowRecovered recovered -> print("RECOVERED " + recovered.workflowId() + " " + recovered.epoch());
            case EngineEvent.WorkflowCompleted completed -> print("ENDED " + completed.workflowId() + " completed");
            case EngineEvent.WorkflowFailed failed -> print("ENDED " + failed.workflowId() + " failed " + failed.failure().message());
            case EngineEvent.WorkflowCancelled cancelled -> print("ENDED " + cancelled.workflowId() + " cancelled");
            default -> {
            }
        }
    }

    /** One line per marker; PrintStream writes each println whole, whatever thread calls it. */
    private void print(String line) {
        out.println(line.replace('\n', ' '));
    }

    private static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(","));
    }
}
