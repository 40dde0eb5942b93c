package dev.weft.crash;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.testing.TestSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link CrashWorker} in its own JVM, as the test sees it: commands go in through its stdin and
 * are answered; its markers are collected as they come. {@link #kill()} is SIGKILL and returns once
 * the process is gone and PostgreSQL has dropped its sessions (so their transactions are rolled
 * back and their row locks released). Its stderr goes to {@code target/crash-logs/}.
 */
final class ChildWorker implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AtomicLong INCARNATIONS = new AtomicLong();

    private final TestSchema schema;
    private final String application;
    private final Process process;
    private final Writer commands;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<String>> replies = new ConcurrentHashMap<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();

    private ChildWorker(TestSchema schema, String node, List<String> options) throws IOException {
        this.schema = schema;
        this.application = "weft-child-" + node + "-" + ProcessHandle.current().pid() + "-" + INCARNATIONS.incrementAndGet();
        HikariDataSource pool = (HikariDataSource) schema.dataSource();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CrashWorker.class.getName(),
                "prefix=" + schema.tablePrefix(), "node=" + node));
        command.addAll(options);
        Path logs = Files.createDirectories(Path.of("target", "crash-logs"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(logs.resolve(application + ".log").toFile());
        builder.environment().put("WEFT_CHILD_JDBC_URL", pool.getJdbcUrl());
        builder.environment().put("WEFT_CHILD_JDBC_USER", pool.getUsername());
        builder.environment().put("WEFT_CHILD_JDBC_PASSWORD", pool.getPassword() == null ? "" : pool.getPassword());
        builder.environment().put("WEFT_CHILD_APPLICATION", application);
        this.process = builder.start();
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("read-" + application).start(this::readOutput);
    }

    /**
     * Starts a worker on {@code schema} as node {@code node} with its clock at {@code clock} and
     * waits until it is ready. {@code options} are further {@code key=value} arguments of {@link CrashWorker}.
     */
    static ChildWorker start(TestSchema schema, String node, Instant clock, String... options) {
        List<String> all = new ArrayList<>(Arrays.asList(options));
        all.add("clock=" + clock);
        try {
            ChildWorker child = new ChildWorker(schema, node, all);
            child.answer(child.ready, "READY");
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command and returns its answer. */
    String send(String command) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.put(id, reply);
        try {
            commands.write(id + " " + command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the child took no command: " + command, e);
        }
        String answer = answer(reply, command);
        if (answer.startsWith("ERROR")) {
            throw new AssertionError("the child failed '" + command + "': " + answer);
        }
        return answer;
    }

    /** The markers of one kind seen so far, each split into its words (the kind first). */
    List<String[]> markers(String kind) {
        return lines.stream().filter(line -> line.startsWith(kind + " ")).map(line -> line.split(" ")).toList();
    }

    /** Waits until at least {@code count} markers of {@code kind} have come. */
    void awaitMarkers(String kind, int count) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .failFast("the child died", () -> !process.isAlive())
                .until(() -> markers(kind).size() >= count);
    }

    /** The clock's pending timers in the child. */
    int pendingTimers() {
        return Integer.parseInt(send("timers").split(" ")[0]);
    }

    /** The earliest due time among the child's pending timers. */
    String nextDue() {
        return send("timers").split(" ")[1];
    }

    /** SIGKILL; returns once the process is gone and its database sessions have ended. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the child did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> schema
                .sql("select count(*) from pg_stat_activity where application_name = :application")
                .param("application", application)
                .query(Long.class).single() == 0);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("OK ")) {
                    String[] words = line.split(" ", 3);
                    CompletableFuture<String> reply = replies.remove(words[1]);
                    if (reply != null) {
                        reply.complete(words.length > 2 ? words[2] : "");
                    }
                } else if (line.startsWith("READY ")) {
                    ready.complete(line);
                } else {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the child was killed mid-line
        }
        String gone = "the child " + application + " exited; see target/crash-logs/" + application + ".log";
        ready.completeExceptionally(new AssertionError(gone));
        replies.values().forEach(reply -> reply.completeExceptionally(new AssertionError(gone)));
    }

    private String answer(CompletableFuture<String> answer, String what) {
        try {
            return answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("waiting for " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the child did not answer " + what + " within " + PATIENCE);
        }
    }
}
