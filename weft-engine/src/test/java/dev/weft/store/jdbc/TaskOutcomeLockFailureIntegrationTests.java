package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.StoreException;
import dev.weft.store.Checkpoint;
import dev.weft.store.ClaimedTask;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.NewTask;
import dev.weft.store.TaskOutcome;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A task's outcome whose transaction the database picks as a deadlock victim is written again by
 * the store, on every database and both ways an outcome goes (alone, and with others in one
 * transaction): whoever hands the store an outcome (this node's pools, the remote worker hub) does
 * not retry it. The connection raises the deadlock, with the database's own code for it, at the
 * statement that removes the task under its claim, so the store's reading of that code is tested
 * too; the retry is bounded, and a write given up changes nothing.
 */
class TaskOutcomeLockFailureIntegrationTests {

    private static final String QUEUE = "outcomes";
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");
    private static final Duration VISIBILITY = Duration.ofSeconds(30);

    private TestSchema schema;
    private DeadlockingTaskRemovals deadlocks;
    private JdbcWorkflowStore store;

    private void open(TestDatabase database) {
        schema = TestSchema.create(database);
        deadlocks = new DeadlockingTaskRemovals(schema.dataSource(), schema.tablePrefix(), schema.dialect());
        store = JdbcWorkflowStore.builder(deadlocks).tablePrefix(schema.tablePrefix()).build();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        if (schema != null) {
            schema.drop();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void anOutcomeWrittenAloneThatWasADeadlockVictimIsWrittenAgain(TestDatabase database) {
        open(database);
        ClaimedTask task = claimedTask();
        deadlocks.arm(1);

        assertThat(store.tasks().complete(TaskOutcome.completed(task, "\"done\""))).isTrue();

        assertThat(deadlocks.raised()).isEqualTo(1);
        assertAdopted(task, "\"done\"");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void outcomesWrittenTogetherThatWereADeadlockVictimAreWrittenAgain(TestDatabase database) {
        open(database);
        ClaimedTask first = claimedTask();
        ClaimedTask second = claimedTask();
        deadlocks.arm(1);

        List<Boolean> written = store.tasks().completeAll(List.of(TaskOutcome.completed(first, "\"one\""),
                TaskOutcome.completed(second, "\"two\"")));

        assertThat(written).containsExactly(true, true);
        assertThat(deadlocks.raised()).isEqualTo(1);
        assertAdopted(first, "\"one\"");
        assertAdopted(second, "\"two\"");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void anOutcomeThatIsADeadlockVictimThreeTimesIsGivenUpAndChangesNothing(TestDatabase database) {
        open(database);
        ClaimedTask task = claimedTask();
        deadlocks.arm(3);

        assertThatThrownBy(() -> store.tasks().complete(TaskOutcome.completed(task, "\"done\"")))
                .isInstanceOf(StoreException.class).hasCauseInstanceOf(PessimisticLockingFailureException.class);

        assertThat(deadlocks.raised()).isEqualTo(3);
        assertThat(store.findJournalEntry(task.runId(), 1).orElseThrow().state()).isEqualTo(EntryState.QUEUED);
        // the claim still holds the task: the outcome is written once the database lets it
        assertThat(store.tasks().complete(TaskOutcome.completed(task, "\"later\""))).isTrue();
        assertAdopted(task, "\"later\"");
    }

    /** A new run whose first step is queued, its task claimed by node "a". */
    private ClaimedTask claimedTask() {
        String runId = "run-" + UUID.randomUUID();
        store.commit(Checkpoint.creating(new NewRun(runId, "flow", "{}", "a", Duration.ofHours(1), NOW))).join();
        NewTask task = new NewTask(runId, 1, 1, QUEUE, "echo", "\"x\"", 0, null, VISIBILITY, NOW);
        store.commit(Checkpoint.enqueuing(runId, 1, JournalEntry.activityQueued(1, "echo", 1, NOW), task)).join();
        return store.tasks().claim(QUEUE, "a", 1, NOW).getFirst();
    }

    private void assertAdopted(ClaimedTask task, String result) {
        JournalEntry entry = store.findJournalEntry(task.runId(), 1).orElseThrow();
        assertThat(entry.state()).isEqualTo(EntryState.COMPLETED);
        assertThat(entry.result()).isEqualTo(result);
        assertThat(schema.sql("select count(*) from %PREFIX%task where run_id = :runId").param("runId", task.runId())
                .query(Integer.class).single()).isZero();
    }

    /**
     * Connections on which the statement that removes a task under its claim fails as a deadlock
     * victim, as many times as armed, before it reaches the database.
     */
    private static final class DeadlockingTaskRemovals extends DelegatingDataSource {

        private final String taskRemoval;
        private final JdbcDialect dialect;
        private final AtomicInteger armed = new AtomicInteger();
        private final AtomicInteger raised = new AtomicInteger();

        DeadlockingTaskRemovals(DataSource target, String tablePrefix, JdbcDialect dialect) {
            super(target);
            this.taskRemoval = ("delete from " + tablePrefix + "task").toLowerCase(Locale.ROOT);
            this.dialect = dialect;
        }

        void arm(int times) {
            armed.set(times);
        }

        int raised() {
            return raised.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            return watched(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return watched(super.getConnection(username, password));
        }

        private Connection watched(Connection connection) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(connection, method, args);
                        if (method.getName().equals("prepareStatement") && args[0] instanceof String sql && removesClaimedTask(sql)) {
                            return deadlocking((PreparedStatement) result);
                        }
                        return result;
                    });
        }

        private boolean removesClaimedTask(String sql) {
            String statement = sql.toLowerCase(Locale.ROOT);
            return statement.contains(taskRemoval) && statement.contains("claim_token");
        }

        private PreparedStatement deadlocking(PreparedStatement statement) {
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        if (method.getName().startsWith("execute") && armed.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                            raised.incrementAndGet();
                            throw deadlock();
                        }
                        return invoke(statement, method, args);
                    });
        }

        /** What each database's driver raises for a deadlock victim. */
        private SQLException deadlock() {
            return switch (dialect) {
                case POSTGRESQL -> new SQLTransactionRollbackException("ERROR: deadlock detected", "40P01");
                case MARIADB -> new SQLTransactionRollbackException("Deadlock found when trying to get lock; try restarting transaction",
                        "40001", 1213);
                case H2 -> new SQLTransactionRollbackException("Deadlock detected. The current transaction was rolled back.", "40001",
                        40001);
            };
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
