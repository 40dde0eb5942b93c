package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.testing.EngineFixture;
import dev.weft.testing.FaultyStore;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A parked run's take-up whose claim the database did not answer (it was restarting, or out of
 * reach) is tried again: with periodic adoption off, nothing else would take the run up, and its
 * wait is over. Both ways a parked run is taken up: by its own engine's timer, and by another node
 * that accepted a signal for it. The proxy-level counterpart is {@code fault.ParkedWakeOutageTests}.
 */
class ParkedWakeRetryTests {

    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private WeftEngine engine(String node, FaultyStore store) {
        return fixture.engine(node, builder -> builder.store(store.store()).parkAfter(Duration.ZERO)
                .workflow(WorkflowDefinition.of("nap", String.class, String.class, (context, input) -> {
                    String by = context.awaitSignal("wake", String.class, Duration.ofHours(1)).orElse("the clock");
                    return input + " woken by " + by;
                })));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aTimerWhoseClaimFailsTakesTheRunUpOnTheNextTry(TestDatabase database) {
        fixture = new EngineFixture(database);
        FaultyStore store = new FaultyStore(fixture.newStore());
        WeftEngine engine = engine("parker", store);
        WorkflowHandle<Object> run = engine.start("nap", "ann");
        await().atMost(Gate.patience()).until(() -> engine.parkedRunCount() == 1 && engine.activeRunCount() == 0);

        store.failNext("claim", 3);
        fixture.clock().advance(Duration.ofHours(1));

        assertThat(run.result(Gate.patience())).isEqualTo("ann woken by the clock");
        assertThat(store.failuresLeft("claim")).isZero();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aSignalThroughAnotherNodeWhoseClaimFailsTakesTheRunUpOnTheNextTry(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine parker = engine("parker", new FaultyStore(fixture.newStore()));
        FaultyStore storeOfOther = new FaultyStore(fixture.newStore());
        WeftEngine other = engine("other", storeOfOther);
        WorkflowHandle<Object> run = parker.start("nap", "bo");
        await().atMost(Gate.patience()).until(() -> parker.parkedRunCount() == 1 && parker.activeRunCount() == 0);

        storeOfOther.failNext("claim", 3);
        assertThat(other.signal(run.id(), "wake", "ada")).isTrue();

        assertThat(other.handle(run.id()).result(Gate.patience())).isEqualTo("bo woken by ada");
        assertThat(storeOfOther.failuresLeft("claim")).isZero();
    }
}
