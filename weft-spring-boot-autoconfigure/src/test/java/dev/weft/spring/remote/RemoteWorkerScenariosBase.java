package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.queue.TaskBroker;
import dev.weft.retry.RetryOverride;
import dev.weft.retry.RetryPolicy;
import dev.weft.spring.PrefixedTables;
import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.worker.protocol.ServerMessage;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real engine on a database of the subclass's kind, with no pool of its own, and a fresh hub per
 * test whose sockets are {@link RecordingSocket}s: what the remote worker tests share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RemoteWorkerScenariosBase {

    static final String QUEUE = "remote";
    static final Duration GRACE = Duration.ofMillis(300);

    protected final String prefix = "weft_w" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36)
            .toLowerCase(Locale.ROOT) + "_";
    protected DataSource dataSource;
    protected WeftEngine engine;
    protected RemoteWorkerHub hub;
    private @Nullable HikariDataSource pool;

    /** A database of the subclass's kind. */
    protected abstract DataSource dataSource();

    /** Calls "echo" on the remote queue, then "shout" on it (for sticky routing), with no retries. */
    static WorkflowDefinition<String, String> pipeline() {
        ActivityOptions remote = ActivityOptions.builder().queue(QUEUE).visibilityTimeout(pipelineVisibilityTimeout())
                .retry(RetryOverride.of(RetryPolicy.noRetries())).build();
        return WorkflowDefinition.of("pipeline", String.class, String.class, (ctx, input) -> {
            String echoed = ctx.run("echo", input, String.class, remote);
            return input.startsWith("twice") ? ctx.run("shout", echoed, String.class, remote) : echoed;
        });
    }

    /** How long a claim of the pipeline's tasks lasts unless extended. */
    static Duration pipelineVisibilityTimeout() {
        return Duration.ofSeconds(2);
    }

    /** Stand-ins: the engine knows the activities by name, the workers run them. */
    static ActivityDefinition<String, String> named(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            throw new IllegalStateException(name + " runs on remote workers only");
        });
    }

    private final List<WorkflowHandle<Object>> started = new CopyOnWriteArrayList<>();

    /** One schema and engine per class: creating tables costs more than the scenarios. */
    @BeforeAll
    void startEngine() {
        dataSource = dataSource();
        JdbcSchemaInitializer.initialize(dataSource, JdbcDialect.of(dataSource), prefix);
        engine = WeftEngine.builder().store(JdbcWorkflowStore.builder(dataSource).tablePrefix(prefix).build())
                .nodeId("hub-node-" + prefix).adoptionInterval(Duration.ZERO).workflow(pipeline())
                .activity(named("echo")).activity(named("shout")).build();
    }

    @BeforeEach
    void startHub() {
        hub = new RemoteWorkerHub(broker(), TimeSource.system(),
                new RemoteWorkerSettings(reconnectGrace(), Duration.ofSeconds(30), Duration.ZERO, 64 * 1024));
    }

    /** How long each test's hub keeps a disconnected worker's tasks for it. */
    protected Duration reconnectGrace() {
        return GRACE;
    }

    /** The broker each test's hub works through: the engine's. */
    protected TaskBroker broker() {
        return engine.taskBroker();
    }

    /** Each scenario starts from an empty queue: its runs are cancelled and their tasks removed. */
    @AfterEach
    void stopHub() {
        hub.close();
        started.forEach(run -> engine.cancel(run.id()));
        JdbcClient.create(dataSource).sql("delete from " + prefix + "task").update();
    }

    @AfterAll
    void stopEngine() {
        engine.close();
        PrefixedTables.dropAll(dataSource, prefix);
        closeDataSource();
    }

    WorkflowHandle<Object> start(String input) {
        WorkflowHandle<Object> run = engine.start("pipeline", input);
        started.add(run);
        return run;
    }

    /** Closes what {@link #dataSource()} opened, after the tables are dropped. */
    protected void closeDataSource() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * A small pool on a shared database, closed after the class: {@code envPrefix} names the variables
     * of its user and password ({@code WEFT_TEST_POSTGRES}: {@code WEFT_TEST_POSTGRES_USER}, ...).
     */
    protected DataSource pool(String url, String envPrefix, String defaultUser) {
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        String user = System.getenv(envPrefix + "_USER");
        pool.setUsername(user == null ? defaultUser : user);
        String password = System.getenv(envPrefix + "_PASSWORD");
        pool.setPassword(password == null ? "" : password);
        // room for a second engine on the same tables: each engine's and each hub's listener holds a connection
        pool.setMaximumPoolSize(8);
        return pool;
    }

    static String register(String workerId, String... activities) {
        return register(workerId, 2, activities);
    }

    static String register(String workerId, int concurrency, String... activities) {
        return "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"" + workerId + "\",\"activities\":[\""
                + String.join("\",\"", activities) + "\"],\"concurrency\":" + concurrency + "}";
    }

    /**
     * Two workers that run both activities of the "twice" workflow: its second task must go to the
     * worker that ran its first, though the other one is as free (the least loaded either way).
     */
    void runsTwiceOnTheWorkerThatRanItsFirstTask() {
        RecordingSocket a = registered("a", "echo", "shout");
        RecordingSocket b = registered("b", "echo", "shout");
        WorkflowHandle<Object> run = start("twice");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> a.messages(ServerMessage.Task.class).size() + b.messages(ServerMessage.Task.class).size() == 1);
        RecordingSocket ran = a.messages(ServerMessage.Task.class).isEmpty() ? b : a;
        RecordingSocket idle = ran == a ? b : a;
        ran.frame(completed(ran.await(ServerMessage.Task.class).operationId(), "\"twice echoed\""));

        ServerMessage.Task shout = ran.await(ServerMessage.Task.class, 2);
        assertThat(shout.activityName()).isEqualTo("shout");
        assertThat(idle.messages(ServerMessage.Task.class)).isEmpty();
        ran.frame(completed(shout.operationId(), "\"TWICE\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("TWICE");
    }

    /**
     * Drops {@code breaking}, whose task sends failed, and registers its worker id again at once
     * (within the grace): the task must reach the new socket sooner than its claim could lapse, and
     * the run complete with the one result.
     */
    void runsOnceOnTheWorkerRegisteredAgain(RecordingSocket breaking, WorkflowHandle<Object> run) {
        breaking.drop();
        RecordingSocket back = registered("w1", "echo");
        // sooner than its claim could lapse (it would not: the renewal extends the claims of a worker in its grace)
        Awaitility.await().atMost(pipelineVisibilityTimeout()).until(() -> !back.messages(ServerMessage.Task.class).isEmpty());
        ServerMessage.Task task = back.messages(ServerMessage.Task.class).getFirst();
        assertThat(task.input().stringValue()).isEqualTo("hello");
        back.frame(completed(task.operationId(), "\"once\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("once");
        assertThat(back.messages(ServerMessage.Task.class)).as("sent once").hasSize(1);
        assertThat(back.messages(ServerMessage.ProtocolError.class)).isEmpty();
        assertThat(breaking.messages(ServerMessage.Task.class)).isEmpty();
    }

    static String completed(String operationId, String valueJson) {
        return "{\"type\":\"taskResult\",\"operationId\":\"" + operationId + "\",\"status\":\"completed\",\"value\":" + valueJson + "}";
    }

    RecordingSocket registered(String workerId, String... activities) {
        return registered(workerId, 2, activities);
    }

    RecordingSocket registered(String workerId, int concurrency, String... activities) {
        RecordingSocket socket = RecordingSocket.open(hub, QUEUE).frame(register(workerId, concurrency, activities));
        socket.await(ServerMessage.RegisterAck.class);
        return socket;
    }

    int tasks() {
        return JdbcClient.create(dataSource).sql("select count(*) from " + prefix + "task").query(Integer.class).single();
    }
}
