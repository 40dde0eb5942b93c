package dev.weft.crash;

import static org.awaitility.Awaitility.await;

import dev.weft.WorkflowStatus;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every test of a SIGKILLed worker JVM needs: tables of their own on PostgreSQL (through an
 * {@link EngineFixture}, for tests that also run an engine in this JVM), the effects table in
 * which the activities of {@link CrashWorkflows} record each execution, a store to read what the
 * kill left, and the child workers started, all cleaned up after each test.
 */
abstract class KilledWorkerTests {

    protected final EngineFixture fixture = new EngineFixture(TestDatabase.POSTGRESQL);
    protected final TestSchema schema = fixture.schema();
    protected final JdbcWorkflowStore store = fixture.newStore();
    /** Records the executions of activities run in this JVM, under the node name given to the constructor. */
    protected final Effects effects;
    private final List<ChildWorker> children = new ArrayList<>();

    protected KilledWorkerTests() {
        this("test");
    }

    protected KilledWorkerTests(String effectsNode) {
        this.effects = new Effects(schema.dataSource(), schema.tablePrefix(), effectsNode);
    }

    @BeforeEach
    void createEffects() {
        effects.createTable();
    }

    @AfterEach
    void cleanUp() {
        children.forEach(ChildWorker::close);
        effects.dropTable();
        fixture.close();
    }

    /** A child worker of {@code node} whose clock starts at {@code clock}; killed or closed after the test. */
    protected ChildWorker child(String node, Instant clock, String... options) {
        ChildWorker child = ChildWorker.start(schema, node, clock, options);
        children.add(child);
        return child;
    }

    /** {@code <prefix>-01} to {@code <prefix>-<count>}. */
    protected static List<String> runIds(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "%s-%02d".formatted(prefix, i)).toList();
    }

    /** Waits until every run of {@code ids} has ended, whichever way. */
    protected void awaitEnded(List<String> ids) {
        await().atMost(ChildWorker.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> ids.stream()
                .map(id -> store.findRun(id).map(RunRecord::status).orElse(WorkflowStatus.RUNNING))
                .allMatch(WorkflowStatus::isTerminal));
    }

    /** The journals of {@code ids}, by run, as they are now. */
    protected Map<String, List<JournalEntry>> journals(List<String> ids) {
        Map<String, List<JournalEntry>> journals = new LinkedHashMap<>();
        ids.forEach(id -> journals.put(id, store.loadJournal(id)));
        return journals;
    }

    /** The recorded executions of {@code activity} in {@code runId}, in order. */
    protected List<Effects.Execution> executionsOf(String runId, String activity) {
        return effects.of(activity).stream().filter(execution -> execution.runId().equals(runId)).toList();
    }
}
