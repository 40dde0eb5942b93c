package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.KeyDigests;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Starts with an idempotency key, on every database: the second start finds the first one's run;
 * an ended run is refused or replaced, as the caller asks; two nodes racing one key make one run.
 */
class IdempotentStartTests {

    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    /** Holds the activity of runs whose input starts with "hold": no start can find such a run ended. */
    private final CountDownLatch held = new CountDownLatch(1);
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private WeftEngine engine(TestDatabase database, String node) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        Gate open = new Gate();
        open.open();
        return fixture.engine(node, builder -> builder
                .workflow(WorkflowDefinition.of("order", String.class, String.class, (ctx, input) -> {
                    String charged = ctx.run("charge", input, String.class);
                    if (input.startsWith("twice")) {
                        return charged + " " + ctx.awaitSignal("go", String.class) + " " + ctx.awaitSignal("go", String.class);
                    }
                    return input.startsWith("wait") ? charged + " " + ctx.awaitSignal("go", String.class) : charged;
                }))
                .workflow(WorkflowDefinition.of("refund", String.class, String.class, (ctx, input) -> ctx.run("charge", input, String.class)))
                .activity(ActivityDefinition.of("charge", String.class, String.class, (input, context) -> {
                    executions.computeIfAbsent(input, key -> new AtomicInteger()).incrementAndGet();
                    if (input.startsWith("hold")) {
                        held.await();
                    }
                    return "charged " + input;
                })));
    }

    private static StartOptions keyed(String key) {
        return StartOptions.builder().idempotencyKey(key).build();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aSecondStartWithTheKeyReturnsTheFirstStartsRun(TestDatabase database) {
        WeftEngine engine = engine(database, "a");

        WorkflowHandle<Object> first = engine.start("order", "wait-1", keyed("order-1"));
        WorkflowHandle<Object> second = engine.start("order", "wait-1", keyed("order-1"));
        WorkflowHandle<Object> otherType = engine.start("refund", "r-1", keyed("order-1"));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(otherType.id()).as("keys are per workflow type").isNotEqualTo(first.id());
        engine.signal(first.id(), "go", "now");
        assertThat(second.result(Gate.patience())).isEqualTo("charged wait-1 now");
        assertThat(executions.get("wait-1")).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aKeyWhoseRunEndedIsRefusedUnlessANewRunIsAskedFor(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        WorkflowHandle<Object> ended = engine.start("order", "o-2", keyed("order-2"));
        assertThat(ended.result(Gate.patience())).isEqualTo("charged o-2");

        assertThatThrownBy(() -> engine.start("order", "o-2", keyed("order-2")))
                .isInstanceOf(WorkflowAlreadyExistsException.class)
                .hasMessageContaining(ended.id()).hasMessageContaining("has ended completed")
                .hasMessageNotContaining("order-2");

        StartOptions restart = StartOptions.builder().idempotencyKey("order-2").ifEnded(StartOptions.IfEnded.START_NEW).build();
        WorkflowHandle<Object> renewed = engine.start("order", "o-2", restart);
        assertThat(renewed.id()).isNotEqualTo(ended.id());
        assertThat(renewed.result(Gate.patience())).isEqualTo("charged o-2");
        assertThat(fixture.newStore().findRun(renewed.id()).orElseThrow().restartedFrom()).isEqualTo(ended.id());
        assertThat(fixture.newStore().findRun(ended.id()).orElseThrow().restartedFrom()).isNull();
        // the key leads to the new run from now on
        assertThatThrownBy(() -> engine.start("order", "o-2", keyed("order-2"))).hasMessageContaining(renewed.id());
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void theKeyIsStoredOnlyAsItsDigest(TestDatabase database) throws Exception {
        WeftEngine engine = engine(database, "a");
        WorkflowHandle<Object> run = engine.start("order", "wait-3", keyed("customer-42/order-3"));

        List<Map<String, Object>> rows = fixture.schema().sql("select * from %PREFIX%start_key").query().listOfRows();

        String digest = KeyDigests.sha256("customer-42/order-3");
        assertThat(rows).singleElement().satisfies(row -> {
            Map<String, Object> lowerCase = new ConcurrentHashMap<>();
            row.forEach((column, value) -> lowerCase.put(column.toLowerCase(), value));
            assertThat(lowerCase).containsEntry("key_digest", digest).containsEntry("run_id", run.id());
            assertThat(lowerCase.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain("customer-42"));
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void twoNodesRacingOneKeyMakeOneRunAndChargeOnce(TestDatabase database) throws Exception {
        List<WeftEngine> nodes = List.of(engine(database, "a"), engine(database, "b"));
        int keys = 10;
        int startsPerKey = 4;
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Set<String>> runsByKey = new ConcurrentHashMap<>();
        List<Future<?>> calls = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            String key = "hold-" + k;
            for (int s = 0; s < startsPerKey; s++) {
                WeftEngine node = nodes.get(s % 2);
                calls.add(callers.submit(() -> {
                    go.await();
                    String id = node.start("order", key, keyed(key)).id();
                    runsByKey.computeIfAbsent(key, ignored -> ConcurrentHashMap.newKeySet()).add(id);
                    return null;
                }));
            }
        }
        go.countDown();
        for (Future<?> call : calls) {
            call.get();
        }
        callers.close();
        held.countDown();

        assertThat(runsByKey).hasSize(keys).allSatisfy((key, runs) -> assertThat(runs).as(key).hasSize(1));
        for (Set<String> runs : runsByKey.values()) {
            assertThat(nodes.getFirst().handle(runs.iterator().next()).result(Gate.patience())).asString().startsWith("charged hold-");
        }
        assertThat(executions).hasSize(keys).allSatisfy((input, count) -> assertThat(count).as(input).hasValue(1));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void signalWithStartUnderAKeySaysWhetherItStartedOrSignalled(TestDatabase database) {
        WeftEngine engine = engine(database, "a");
        StartOptions options = keyed("order-5");

        // the run waits for two signals, so that it is still running when the second call comes
        SignalWithStartResult first = engine.signalWithStart("order", "twice-5", options, "go", "first", null);
        SignalWithStartResult second = engine.signalWithStart("order", "twice-5", options, "go", "second", null);

        assertThat(first.started()).isTrue();
        assertThat(first.signalStored()).isTrue();
        assertThat(second.started()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.signalStored()).isTrue();
        assertThat(engine.handle(first.id()).result(Gate.patience())).isEqualTo("charged twice-5 first second");
    }

    @Test
    void aKeyAndAnIdTogetherAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> StartOptions.builder().id("x").idempotencyKey("k").build())
                .withMessageContaining("not both");
        assertThatIllegalArgumentException().isThrownBy(() -> StartOptions.builder().idempotencyKey(" "))
                .withMessageContaining("blank");
        assertThatIllegalArgumentException().isThrownBy(() -> StartOptions.builder().idempotencyKey("a\u0000b"))
                .withMessageContaining("control characters");
        assertThatIllegalArgumentException().isThrownBy(() -> StartOptions.builder().idempotencyKey("k".repeat(256)))
                .withMessageContaining("at most 255");
    }
}
