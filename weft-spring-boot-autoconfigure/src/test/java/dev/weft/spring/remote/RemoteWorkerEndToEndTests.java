package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.activity.ActivityContext;
import dev.weft.spring.Activity;
import dev.weft.spring.RemoteActivityBeans;
import dev.weft.spring.Workflow;
import dev.weft.spring.boot.actuate.health.WeftHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import dev.weft.worker.RemoteWorker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A remote worker of the {@code weft-worker} library, over a real WebSocket, against a Spring Boot
 * application on a random port that does not run the activity itself: the upgrade authenticated with
 * an API key of scope {@code workers:write}, the task run remotely, the worker listed, drained on close.
 */
@SpringBootTest(classes = RemoteWorkerEndToEndTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "spring.datasource.url=jdbc:h2:mem:remote-e2e;DB_CLOSE_DELAY=-1",
                "weft.jdbc.initialize-schema=always", "weft.adoption-interval=0",
                // this node serves no queue itself: the activity runs on the remote worker only
                "weft.worker.queues=nothing-here",
                "weft.api.keys[0].name=worker", "weft.api.keys[0].key=" + RemoteWorkerEndToEndTests.WORKER_KEY,
                "weft.api.keys[0].scopes=workers:write",
                "weft.api.keys[1].name=reader", "weft.api.keys[1].key=" + RemoteWorkerEndToEndTests.READ_KEY,
                "weft.api.keys[1].scopes=workflows:read" })
class RemoteWorkerEndToEndTests {

    static final String WORKER_KEY = "worker-key-0123456789";
    static final String READ_KEY = "read-key-0123456789";

    public static class Shouting {
        /** Runs on remote workers: called here, it would say so. */
        @Activity(queue = "loud")
        public String shout(String text) {
            return "ran in the application, not on the worker";
        }
    }

    public static class Greeting {
        private final Shouting shouting;

        Greeting(Shouting shouting) {
            this.shouting = shouting;
        }

        @Workflow
        public String greet(String name) {
            return shouting.shout("hello " + name);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Shouting shouting() {
            return new Shouting();
        }

        @Bean
        Greeting greeting(Shouting shouting) {
            return new Greeting(shouting);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    WeftEngine engine;

    @Autowired
    WeftHealthIndicator health;

    @Autowired
    MeterRegistry meters;

    private RemoteWorker.Builder worker(String id) {
        return RemoteWorker.builder().server("http://localhost:" + port).queue("loud").workerId(id).apiKey(WORKER_KEY)
                .concurrency(4).heartbeatInterval(Duration.ofMillis(200));
    }

    @Test
    void aRemoteWorkerRunsTheActivityAndIsListedUntilItCloses() throws Exception {
        try (RemoteWorker worker = worker("shouter").activity("shout", (input, context) -> input.stringValue().toUpperCase())
                .build().start()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(worker::isRegistered);

            WorkflowHandle<Object> run = engine.start("greet", "ada");

            assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("HELLO ADA");
            HttpResponse<String> workers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/v1/workers")).header("X-Api-Key", READ_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(workers.statusCode()).isEqualTo(200);
            assertThat(workers.body()).contains("\"id\":\"shouter\"", "\"queue\":\"loud\"", "\"health\":\"active\"");
            assertThat(health.health().getDetails().get("remoteWorkers")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("connected", 1).containsEntry("availableCapacity", 4);
            assertThat(meters.get("weft.remote.workers.connected").gauge().value()).isEqualTo(1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(health.health().getDetails()
                .get("remoteWorkers")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("connected", 0));
    }

    @Test
    void closingTheWorkerLetsItsRunningTaskFinishAndReport() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        RemoteWorker worker = worker("drainer").activity("shout", (input, context) -> {
            started.countDown();
            Thread.sleep(300);
            return "drained " + input.stringValue();
        }).build().start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(worker::isRegistered);
        WorkflowHandle<Object> run = engine.start("greet", "bo");
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        worker.close();

        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("drained hello bo");
    }

    @Test
    void aWorkerJvmKilledMidTaskHasItsTaskRunAgainElsewhereAndOneResultAdopted() throws Exception {
        WorkflowHandle<Object> run = engine.start("greet", "cy");
        Process doomed = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1",
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), KilledWorkerMain.class.getName(),
                "http://localhost:" + port, WORKER_KEY, "loud").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
            // the child's log lines come first on its standard output
            String line = out.readLine();
            while (line != null && !line.startsWith("STARTED")) {
                line = out.readLine();
            }
            assertThat(line).isEqualTo("STARTED hello cy");

            doomed.destroyForcibly().waitFor();
        } finally {
            doomed.destroyForcibly();
        }
        try (RemoteWorker survivor = worker("survivor").activity("shout", (input, context) -> "survivor " + input.stringValue())
                .build().start()) {
            assertThat(run.result(Duration.ofSeconds(30))).isEqualTo("survivor hello cy");
        }
        // one step, in its first attempt: the killed worker's claim was given back, not failed, and one result adopted
        assertThat(engine.runs().history(run.id())).singleElement().satisfies(step -> {
            assertThat(step.attempt()).isOne();
            assertThat(step.result()).isEqualTo("\"survivor hello cy\"");
        });
    }

    /** The worker application's activity: the same name, in a process with no database and no engine. */
    public static class RemoteShouting {
        @Activity(queue = "loud")
        public String shout(String text, ActivityContext context) {
            return "bean on attempt " + context.attempt() + " of " + context.workflowId().isEmpty() + ": " + text.toUpperCase();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WorkerApp {
        @Bean
        RemoteShouting remoteShouting() {
            return new RemoteShouting();
        }
    }

    @Test
    void anApplicationsActivityBeansServeTheQueueWithNoDatabaseOrEngineOfTheirOwn() {
        try (ConfigurableApplicationContext workerApp = new SpringApplicationBuilder(WorkerApp.class).web(WebApplicationType.NONE)
                .properties("weft.remote-worker.servers=http://localhost:" + port, "weft.remote-worker.api-key=" + WORKER_KEY,
                        "weft.remote-worker.worker-id=beans", "weft.remote-worker.heartbeat-interval=200ms",
                        "spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName(), "spring.main.banner-mode=off")
                .run()) {
            assertThat(workerApp.getBeanNamesForType(WeftEngine.class)).isEmpty();
            RemoteActivityBeans remote = workerApp.getBean(RemoteActivityBeans.class);
            assertThat(remote.activitiesByQueue()).containsExactly(entry("loud", List.of("shout")));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> remote.workers().getFirst().isRegistered());

            WorkflowHandle<Object> run = engine.start("greet", "di");

            assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("bean on attempt 1 of false: HELLO DI");
        }
    }

    @Test
    void theUpgradeNeedsACredentialWithTheWorkersScope() {
        assertThat(handshakeStatus(null)).isEqualTo(401);
        assertThat(handshakeStatus(READ_KEY)).isEqualTo(403);
        assertThat(handshakeStatus("not-a-key")).isEqualTo(401);
    }

    private int handshakeStatus(String key) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (key != null) {
            builder.header("X-Api-Key", key);
        }
        Throwable failure = catchThrowable(() -> builder
                .buildAsync(URI.create("ws://localhost:" + port + "/api/v1/tasks/loud/stream"), new WebSocket.Listener() { })
                .join());
        assertThat(failure).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

}
