package dev.weft.testing;

import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.event.EngineEvent;
import dev.weft.store.JournalEntry;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * One database schema, a manual clock, and the engines a test builds on them (several, to play
 * restarts and other nodes). Every engine records its events. Close it after the test.
 */
public final class EngineFixture implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final TestSchema schema;
    private final ManualTimeSource clock = new ManualTimeSource(START);
    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();
    private final List<WeftEngine> engines = new ArrayList<>();
    private final List<JdbcWorkflowStore> stores = new ArrayList<>();

    public EngineFixture(TestDatabase database) {
        this.schema = TestSchema.create(database);
    }

    public static EngineFixture h2() {
        return new EngineFixture(TestDatabase.H2);
    }

    public ManualTimeSource clock() {
        return clock;
    }

    public TestSchema schema() {
        return schema;
    }

    /** A new store on the fixture's schema, as a new process would open. */
    public JdbcWorkflowStore newStore() {
        JdbcWorkflowStore store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix()).build();
        stores.add(store);
        return store;
    }

    /** An engine on a new store with the manual clock, background adoption and node registration off, customised by {@code setup}. */
    public WeftEngine engine(String nodeId, Consumer<WeftEngineBuilder> setup) {
        WeftEngineBuilder builder = WeftEngine.builder()
                .store(newStore())
                .nodeId(nodeId)
                .timeSource(clock)
                .adoptionInterval(Duration.ZERO)
                // tests play a crash and a restart by building a second engine with the id of one
                // that is not closed; the node registry would (rightly) refuse it
                .registerNode(false)
                .listener(events::add);
        setup.accept(builder);
        WeftEngine engine = builder.build();
        engines.add(engine);
        return engine;
    }

    public WeftEngine engine(Consumer<WeftEngineBuilder> setup) {
        return engine("node-" + (engines.size() + 1), setup);
    }

    public List<EngineEvent> events() {
        return List.copyOf(events);
    }

    public <E extends EngineEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<JournalEntry> journal(String runId) {
        try (JdbcWorkflowStore store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix()).build()) {
            return store.loadJournal(runId);
        }
    }

    /** Waits (without moving the clock) until {@code count} timers are pending: runs parked on a backoff or sleep. */
    public void awaitPendingTimers(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTimers() == count);
    }

    @Override
    public void close() {
        engines.forEach(WeftEngine::close);
        stores.forEach(JdbcWorkflowStore::close);
        schema.drop();
    }
}
