package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftEngine;
import dev.weft.spring.PrefixedTables;
import dev.weft.spring.RequiresPostgres;
import dev.weft.visibility.WorkflowStep;
import dev.weft.worker.RemoteActivity;
import dev.weft.worker.RemoteWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two engine nodes on the shared PostgreSQL, one of them in a JVM of its own, and a remote worker
 * given both URLs that connects to that one. The node's JVM is SIGKILLed while the worker holds
 * tasks it dispatched: the worker reconnects to the other node, keeps the tasks that node sends it
 * until a slot frees up, reports the results it holds there, and every run (those of the killed
 * node, adopted, included) completes with one result per step, in its first attempt.
 */
class PostgresEngineNodeFailoverIntegrationTests {

    private static final int RUNS_OF_KILLED_NODE = 5;
    private static final int RUNS_OF_SURVIVOR = 20;
    private static final int CONCURRENCY = 4;
    /** Tasks that run at once before the gate closes; those after it wait until the node is dead. */
    private static final int UNHELD = 6;

    private final String prefix = "weft_f" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36)
            .toLowerCase(Locale.ROOT) + "_";
    private final AtomicInteger executions = new AtomicInteger();
    private final CountDownLatch gate = new CountDownLatch(1);
    /** Every result the worker produced, by the step it was for (run id and activity: each run calls each once). */
    private final Map<String, List<String>> produced = new ConcurrentHashMap<>();

    @Test
    void aWorkerOfAKilledNodeReconnectsToTheOtherAndEveryStepAdoptsOneResult() throws Exception {
        String url = RequiresPostgres.url("engine node failover test");
        Path log = Files.createTempFile("weft-failover-node-a", ".log");
        Process nodeA = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"), FailoverNode.class.getName(), prefix,
                "node-a", Integer.toString(RUNS_OF_KILLED_NODE)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ConfigurableApplicationContext nodeB = null;
        RemoteWorker worker = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> !FailoverNode.runsOf(lines(log, nodeA)).isEmpty());
            List<String> runsOfA = FailoverNode.runsOf(lines(log, nodeA));
            int portA = Integer.parseInt(lines(log, nodeA).stream().filter(line -> line.startsWith("PORT ")).findFirst()
                    .orElseThrow().substring(5));
            nodeB = FailoverNode.start(prefix, "node-b");
            WeftEngine engineB = nodeB.getBean(WeftEngine.class);
            RemoteWorkerHub hubB = nodeB.getBean(RemoteWorkerHub.class);

            worker = RemoteWorker.builder().server("http://localhost:" + portA).server("http://localhost:" + FailoverNode.port(nodeB))
                    .queue(FailoverNode.QUEUE).workerId("mover").apiKey(FailoverNode.WORKER_KEY).concurrency(CONCURRENCY)
                    .heartbeatInterval(Duration.ofMillis(200)).activity("pack", gated("packed"))
                    .activity("label", gated("labelled")).build().start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(worker::isRegistered);
            assertThat(hubB.workers()).as("the worker connects to the first URL, node A").isEmpty();
            List<String> runs = new ArrayList<>(runsOfA);
            for (int i = 0; i < RUNS_OF_SURVIVOR; i++) {
                runs.add(engineB.start("ship", "node-b-order-" + i).id());
            }
            RemoteWorker connected = worker;
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> executions.get() >= UNHELD + CONCURRENCY && connected.inFlight() == CONCURRENCY);

            nodeA.destroyForcibly().waitFor();

            // node B, not knowing of the four tasks the worker still holds, hands it tasks of its own: they wait for a slot
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hubB.workers().stream()
                    .anyMatch(info -> info.id().equals("mover") && info.connected() && info.inFlight() > 0));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> connected.waiting() == CONCURRENCY);
            assertThat(connected.inFlight()).isEqualTo(CONCURRENCY);
            gate.countDown();
            for (String run : runs) {
                Object result = engineB.handle(run).result(Duration.ofSeconds(60));
                List<WorkflowStep> steps = engineB.runs().history(run);
                assertThat(steps).as(run).extracting(WorkflowStep::name).containsExactly("pack", "label");
                WorkflowStep pack = steps.get(0);
                WorkflowStep label = steps.get(1);
                // one result per step: the adopted one is one the worker produced, and the next step was given it
                assertThat(produced.get(run + "/pack")).as(run).contains(pack.result());
                assertThat(produced.get(run + "/label")).as(run).contains(label.result());
                // no attempt failed: the tasks node B sent while the slots were taken were not given back and claimed again
                assertThat(steps).as(run).extracting(WorkflowStep::attempt).containsOnly(1);
                assertThat(label.result()).startsWith("\"labelled " + unquoted(pack.result()) + " #");
                assertThat("\"" + result + "\"").isEqualTo(label.result());
            }
            assertThat(executions.get()).as("every step ran, some perhaps twice").isGreaterThanOrEqualTo(2 * runs.size());
            assertThat(JdbcClient.create(nodeB.getBean(DataSource.class)).sql("select count(*) from " + prefix + "task")
                    .query(Integer.class).single()).isZero();
        } finally {
            gate.countDown();
            if (worker != null) {
                worker.close();
            }
            if (nodeB != null) {
                nodeB.close();
            }
            nodeA.destroyForcibly().waitFor();
            PrefixedTables.dropAll(dataSource(url), prefix);
            Files.deleteIfExists(log);
        }
    }

    /** An activity whose every result names its execution; executions past the first few wait at the gate. */
    private RemoteActivity gated(String verb) {
        return (input, context) -> {
            int execution = executions.incrementAndGet();
            if (execution > UNHELD) {
                gate.await();
            }
            String result = verb + " " + input.stringValue() + " #" + execution;
            produced.computeIfAbsent(context.workflowId() + "/" + context.activityName(), key -> new CopyOnWriteArrayList<>())
                    .add("\"" + result + "\"");
            return result;
        };
    }

    private static String unquoted(String json) {
        return json.substring(1, json.length() - 1);
    }

    private static List<String> lines(Path log, Process node) throws IOException {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        assertThat(node.isAlive()).as("node A is running; its output:%n%s", String.join("\n", lines)).isTrue();
        return lines;
    }

    private static DataSource dataSource(String url) {
        String user = System.getenv("WEFT_TEST_POSTGRES_USER");
        String password = System.getenv("WEFT_TEST_POSTGRES_PASSWORD");
        return new DriverManagerDataSource(url, user == null ? "postgres" : user, password == null ? "" : password);
    }
}
