package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.failure.ConcurrencyLimitReachedException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.FaultyStore;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Workflow starts under a concurrency key and limit, on every database: the excess queues and
 * starts in order of acceptance; the limit holds across two engines; a queued run can be
 * cancelled; a start can ask to be refused instead; a free slot left by a node that died after an
 * end is filled by another node's periodic pass; bad limits are refused and change nothing.
 */
class ConcurrencyLimitTests {

    /** The order in which runs' work began, by input. */
    private final List<String> began = new CopyOnWriteArrayList<>();
    /** The work of input {@code x} waits until {@code releases.get(x)} opens; inputs without a latch do not wait. */
    private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private EngineFixture fixture;

    @AfterEach
    void close() {
        releases.values().forEach(CountDownLatch::countDown);
        if (fixture != null) {
            fixture.close();
        }
    }

    private WeftEngine engine(TestDatabase database, String node) {
        return engine(database, node, builder -> { });
    }

    private WeftEngine engine(TestDatabase database, String node, Consumer<WeftEngineBuilder> more) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        return fixture.engine(node, builder -> {
            builder.workflow(WorkflowDefinition.of("limited", String.class, String.class, (ctx, input) -> ctx.run("work", input, String.class)))
                    .activity(ActivityDefinition.of("work", String.class, String.class, (input, context) -> {
                        int now = inside.incrementAndGet();
                        mostInside.accumulateAndGet(now, Math::max);
                        try {
                            began.add(input);
                            CountDownLatch release = releases.get(input);
                            if (release != null) {
                                release.await();
                            } else {
                                Thread.sleep(5);
                            }
                            return "done " + input;
                        } finally {
                            inside.decrementAndGet();
                        }
                    }));
            more.accept(builder);
        });
    }

    private WorkflowHandle<Object> startHeld(WeftEngine engine, String input, ConcurrencyLimit limit) {
        releases.put(input, new CountDownLatch(1));
        return engine.start("limited", input, StartOptions.builder().concurrency(limit).build());
    }

    private long rows(String table) {
        return fixture.schema().sql("select count(*) from %PREFIX%" + table).query(Long.class).single();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void startsOverTheLimitQueueAndStartInOrderOfAcceptance(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        ConcurrencyLimit one = ConcurrencyLimit.of("tenant-1", 1);
        List<WorkflowHandle<Object>> runs = new ArrayList<>();
        for (String input : List.of("a", "b", "c", "d")) {
            runs.add(startHeld(engine, input, one));
        }
        WorkflowHandle<Object> otherKey = startHeld(engine, "other", ConcurrencyLimit.of("tenant-2", 1));

        Awaitility.await().atMost(Gate.patience()).until(() -> began.containsAll(List.of("a", "other")));
        assertThat(runs.get(0).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(otherKey.status()).as("keys are limited apart").isEqualTo(WorkflowStatus.RUNNING);
        assertThat(runs.subList(1, 4)).allSatisfy(run -> assertThat(run.status()).isEqualTo(WorkflowStatus.QUEUED));
        assertThat(runs.get(0).queuePosition()).isEmpty();
        for (int i = 1; i < 4; i++) {
            QueuePosition place = runs.get(i).queuePosition().orElseThrow();
            assertThat(place.position()).isEqualTo(i);
            assertThat(place.concurrencyKey()).isEqualTo("tenant-1");
            assertThat(place.limit()).isEqualTo(1);
            assertThat(place.age(EngineFixture.START.plusSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        }
        assertThat(engine.runs().get(runs.get(1).id()).concurrencyKey()).isEqualTo("tenant-1");

        for (String input : List.of("a", "b", "c", "d")) {
            releases.get(input).countDown();
        }
        List<String> inputs = List.of("a", "b", "c", "d");
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(runs.get(i).result(Gate.patience())).isEqualTo("done " + inputs.get(i));
        }
        assertThat(began.stream().filter(input -> !input.equals("other")).toList()).containsExactly("a", "b", "c", "d");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void theLimitHoldsAcrossTwoEnginesStartingAndEndingRunsOfOneKey(TestDatabase database) throws Exception {
        List<WeftEngine> nodes = List.of(engine(database, "a"), engine(database, "b"));
        int limit = 3;
        int starts = 40;
        AtomicInteger mostRunningRows = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                long running = fixture.schema().sql("select count(*) from %PREFIX%run where concurrency_key = 'crowd' and status = 'running'")
                        .query(Long.class).single();
                mostRunningRows.accumulateAndGet((int) running, Math::max);
            }
        });
        List<Future<WorkflowHandle<Object>>> calls = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < starts; i++) {
                WeftEngine node = nodes.get(i % 2);
                String input = "crowd-" + i;
                calls.add(callers.submit(() -> node.start("limited", input,
                        StartOptions.builder().concurrency("crowd", limit).build())));
            }
        }
        for (Future<WorkflowHandle<Object>> call : calls) {
            WorkflowHandle<Object> run = call.get();
            assertThat(run.result(Duration.ofSeconds(60))).asString().startsWith("done crowd-");
        }
        sampling.set(false);
        sampler.join();

        assertThat(began).hasSize(starts);
        assertThat(fixture.schema().sql("select count(*) from %PREFIX%run where queue_seq is not null").query(Long.class).single())
                .as("runs that waited in the queue").isGreaterThan(starts / 2);
        assertThat(mostInside.get()).as("runs of the key working at once").isBetween(1, limit);
        assertThat(mostRunningRows.get()).as("running rows of the key at once").isBetween(1, limit);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueuedRunCanBeCancelledAndNeverRuns(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        ConcurrencyLimit one = ConcurrencyLimit.of("k", 1);
        WorkflowHandle<Object> first = startHeld(engine, "first", one);
        WorkflowHandle<Object> cancelled = startHeld(engine, "cancelled", one);
        WorkflowHandle<Object> last = startHeld(engine, "last", one);
        assertThat(last.queuePosition().orElseThrow().position()).isEqualTo(2);

        assertThat(cancelled.cancel()).isTrue();

        assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThatThrownBy(() -> cancelled.result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        assertThat(last.queuePosition().orElseThrow().position()).isEqualTo(1);
        assertThat(cancelled.cancel()).as("a second cancellation changes nothing").isFalse();
        releases.values().forEach(CountDownLatch::countDown);
        assertThat(first.result(Gate.patience())).isEqualTo("done first");
        assertThat(last.result(Gate.patience())).isEqualTo("done last");
        assertThat(began).containsExactly("first", "last");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aStartThatAsksToBeRefusedIsRefusedNamingTheKeyAndLimitAndWritesNothing(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        ConcurrencyLimit reject = new ConcurrencyLimit("acct-9", 1, ConcurrencyLimit.OverLimit.REJECT);
        WorkflowHandle<Object> first = startHeld(engine, "first", reject);
        long runsBefore = rows("run");

        assertThatThrownBy(() -> engine.start("limited", "second", StartOptions.builder().concurrency(reject).build()))
                .isInstanceOfSatisfying(ConcurrencyLimitReachedException.class, refused -> {
                    assertThat(refused.concurrencyKey()).isEqualTo("acct-9");
                    assertThat(refused.limit()).isEqualTo(1);
                    assertThat(refused.workflowType()).isEqualTo("limited");
                    assertThat(refused.code()).isEqualTo("CONCURRENCY_LIMIT_REACHED");
                })
                .hasMessageContaining("'acct-9'").hasMessageContaining("1");
        assertThat(rows("run")).isEqualTo(runsBefore);

        releases.get("first").countDown();
        assertThat(first.result(Gate.patience())).isEqualTo("done first");
        WorkflowHandle<Object> after = engine.start("limited", "after", StartOptions.builder().concurrency(reject).build());
        assertThat(after.result(Gate.patience())).as("the freed slot takes a new start").isEqualTo("done after");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aNodeThatDiesAfterAnEndDoesNotStrandTheQueue(TestDatabase database) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        // node a ends its run, then "dies" before its admission pass: the pass never reaches the database
        FaultyStore dying = new FaultyStore(fixture.newStore());
        dying.failNext("admitQueued", Integer.MAX_VALUE);
        WeftEngine a = engine(database, "a", builder -> builder.store(dying.store()));
        ConcurrencyLimit one = ConcurrencyLimit.of("k", 1);
        WorkflowHandle<Object> first = startHeld(a, "first", one);
        WorkflowHandle<Object> queued = a.start("limited", "queued", StartOptions.builder().concurrency(one).build());
        releases.get("first").countDown();
        assertThat(first.result(Gate.patience())).isEqualTo("done first");
        a.close();
        assertThat(queued.status()).as("nobody admitted it").isEqualTo(WorkflowStatus.QUEUED);

        // another node's periodic pass finds the free slot and starts the queued run
        engine(database, "b", builder -> builder.adoptionInterval(Duration.ofMillis(100)));

        Awaitility.await().atMost(Gate.patience()).until(() -> began.contains("queued"));
        WeftEngine reader = engine(database, "reader", builder -> builder.worker(false));
        Awaitility.await().atMost(Gate.patience()).until(() -> reader.handle(queued.id()).status() == WorkflowStatus.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void theNewestStartsLimitIsTheKeysLimit(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        WorkflowHandle<Object> first = startHeld(engine, "first", ConcurrencyLimit.of("k", 1));
        WorkflowHandle<Object> second = startHeld(engine, "second", ConcurrencyLimit.of("k", 1));
        assertThat(second.status()).isEqualTo(WorkflowStatus.QUEUED);

        WorkflowHandle<Object> third = startHeld(engine, "third", ConcurrencyLimit.of("k", 3));

        Awaitility.await().atMost(Gate.patience()).until(() -> began.containsAll(List.of("first", "second", "third")));
        assertThat(List.of(first, second, third)).allSatisfy(run -> assertThat(run.status()).isEqualTo(WorkflowStatus.RUNNING));
        WorkflowHandle<Object> fourth = startHeld(engine, "fourth", ConcurrencyLimit.of("k", 3));
        assertThat(fourth.queuePosition()).hasValueSatisfying(place -> assertThat(place.limit()).isEqualTo(3));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aKeyedStartUnderALimitQueuesOnceAndARefusalLeavesTheKeyUnused(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        releases.put("first", new CountDownLatch(1));
        WorkflowHandle<Object> first = engine.start("limited", "first",
                StartOptions.builder().idempotencyKey("order-1").concurrency("shop", 1).build());
        StartOptions second = StartOptions.builder().idempotencyKey("order-2").concurrency("shop", 1).build();

        WorkflowHandle<Object> queued = engine.start("limited", "second", second);
        WorkflowHandle<Object> again = engine.start("limited", "second", second);

        assertThat(queued.status()).isEqualTo(WorkflowStatus.QUEUED);
        assertThat(again.id()).as("the key finds the queued run").isEqualTo(queued.id());
        StartOptions refusedOptions = StartOptions.builder().idempotencyKey("order-3")
                .concurrency(new ConcurrencyLimit("shop", 1, ConcurrencyLimit.OverLimit.REJECT)).build();
        assertThatThrownBy(() -> engine.start("limited", "third", refusedOptions)).isInstanceOf(ConcurrencyLimitReachedException.class);
        assertThat(rows("start_key")).as("the refused start wrote no key").isEqualTo(2);

        releases.get("first").countDown();
        assertThat(first.result(Gate.patience())).isEqualTo("done first");
        assertThat(queued.result(Gate.patience())).isEqualTo("done second");
        WorkflowHandle<Object> third = engine.start("limited", "third", refusedOptions);
        assertThat(third.result(Gate.patience())).isEqualTo("done third");
        assertThat(began).containsExactly("first", "second", "third");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void badLimitsAreRefusedAndChangeNothing(TestDatabase database) {
        WeftEngine engine = engine(database, "a");

        assertThatIllegalArgumentException().isThrownBy(() -> ConcurrencyLimit.of("k", 0)).withMessageContaining("between 1 and");
        assertThatIllegalArgumentException().isThrownBy(() -> ConcurrencyLimit.of("k", -3)).withMessageContaining("was -3");
        assertThatIllegalArgumentException().isThrownBy(() -> ConcurrencyLimit.of("k", ConcurrencyLimit.MAX_LIMIT + 1));
        assertThatIllegalArgumentException().isThrownBy(() -> ConcurrencyLimit.of(" ", 1)).withMessageContaining("blank");
        assertThatIllegalArgumentException().isThrownBy(() -> ConcurrencyLimit.of("a\u0000b", 1)).withMessageContaining("control");
        assertThatIllegalArgumentException().isThrownBy(() -> ConcurrencyLimit.of("x".repeat(256), 1)).withMessageContaining("255");
        assertThatIllegalArgumentException().isThrownBy(() -> engine.signalWithStart("limited", "x",
                StartOptions.builder().id("s-1").concurrency("k", 1).build(), "go", null, null)).withMessageContaining("concurrency");

        assertThat(rows("run")).isZero();
        assertThat(rows("concurrency_slot")).isZero();
    }
}
