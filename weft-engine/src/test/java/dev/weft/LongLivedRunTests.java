package dev.weft;

import dev.weft.failure.VersionMismatchException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowTimeoutException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.store.EntryKind;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowContext;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Execution timeouts, suspension and versioning, each across a restart. */
class LongLivedRunTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private ActivityDefinition<String, String> recording(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            calls.add(name);
            return name;
        });
    }

    private static final WorkflowDefinition<String, String> SLOW = WorkflowDefinition.of("slow", String.class, String.class,
            (context, input) -> {
                context.run("first", input, String.class);
                context.sleep(Duration.ofHours(2));
                return context.run("second", input, String.class);
            });

    private WeftEngine engine(String node, WorkflowDefinition<?, ?> workflow) {
        return fixture.engine(node, builder -> builder.workflow(workflow).activity(recording("first")).activity(recording("second"))
                .parkAfter(Duration.ofMinutes(1)));
    }

    @Test
    void aRunPastItsExecutionTimeoutEndsTimedOutEvenAcrossARestart() {
        WeftEngine crashed = engine("a", SLOW);
        crashed.start(SLOW, "x", StartOptions.builder().id("slow-1").executionTimeout(Duration.ofHours(1)).build());
        Awaitility.await().until(() -> crashed.parkedRunCount() == 1);
        assertThat(fixture.clock().nextDue()).as("parked until its deadline, not its sleep")
                .contains(EngineFixture.START.plus(Duration.ofHours(1)));
        crashed.close();

        WeftEngine recovered = engine("b", SLOW);
        recovered.recoverAll();
        fixture.clock().advance(Duration.ofHours(1));

        assertThatThrownBy(() -> recovered.handle("slow-1").result(Gate.patience())).isInstanceOf(WorkflowTimeoutException.class)
                .hasMessageContaining("slow-1");
        assertThat(recovered.handle("slow-1").status()).isEqualTo(WorkflowStatus.TIMED_OUT);
        assertThat(calls).containsExactly("first");
        assertThat(fixture.events(EngineEvent.WorkflowTimedOut.class)).hasSize(1);
    }

    @Test
    void theTimeoutFiresTheSignalOfAnInFlightActivity() {
        List<Boolean> cancelled = new CopyOnWriteArrayList<>();
        Gate gate = new Gate();
        WorkflowDefinition<String, String> hanging = WorkflowDefinition.of("hanging", String.class, String.class,
                (context, input) -> context.run("hang", input, String.class));
        WeftEngine engine = fixture.engine("a", builder -> builder.workflow(hanging)
                .activity(ActivityDefinition.of("hang", String.class, String.class, (input, context) -> {
                    context.cancellation().onCancel(() -> cancelled.add(true));
                    gate.pass();
                    return "never";
                })));
        WorkflowHandle<String> handle = engine.start(hanging, "x",
                StartOptions.builder().executionTimeout(Duration.ofMinutes(5)).build());
        gate.awaitArrival();

        fixture.clock().advance(Duration.ofMinutes(5));

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowTimeoutException.class);
        assertThat(cancelled).containsExactly(true);
    }

    @Test
    void aSuspendedRunIsNotRecoveredAndContinuesOnResumeAcrossARestart() {
        Gate gate = new Gate();
        WorkflowDefinition<String, String> twoSteps = WorkflowDefinition.of("two", String.class, String.class, (context, input) -> {
            context.run("first", input, String.class);
            return context.run("gated", input, String.class);
        });
        WeftEngine first = fixture.engine("a", builder -> builder.workflow(twoSteps).activity(recording("first"))
                .activity(ActivityDefinition.of("gated", String.class, String.class, (input, context) -> {
                    calls.add("gated");
                    gate.pass();
                    return "done";
                })));
        first.start(twoSteps, "x", StartOptions.withId("held"));
        gate.awaitArrival();

        assertThat(first.suspend("held")).isTrue();
        assertThat(first.suspend("held")).isFalse();
        Awaitility.await().until(() -> first.activeRunCount() == 0);
        assertThat(first.handle("held").status()).isEqualTo(WorkflowStatus.SUSPENDED);
        first.close();

        Gate open = new Gate();
        open.open();
        WeftEngine second = fixture.engine("b", builder -> builder.workflow(twoSteps).activity(recording("first"))
                .activity(ActivityDefinition.of("gated", String.class, String.class, (input, context) -> {
                    calls.add("gated again");
                    return "done";
                })));
        assertThat(second.recoverAll().recovered()).isEmpty();

        assertThat(second.resume("held").result(Gate.patience())).isEqualTo("done");
        assertThat(calls).containsExactly("first", "gated", "gated again");
        gate.open();
    }

    @Test
    void cancellingASuspendedRunEndsIt() {
        WeftEngine engine = engine("a", SLOW);
        engine.start(SLOW, "x", StartOptions.withId("held-2"));
        Awaitility.await().until(() -> engine.parkedRunCount() == 1);
        engine.suspend("held-2");

        assertThat(engine.cancel("held-2")).isTrue();

        assertThat(engine.handle("held-2").status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThatThrownBy(() -> engine.suspend("held-2")).isInstanceOf(WorkflowFinishedException.class);
        assertThat(engine.parkedRunCount()).isZero();
    }

    @Test
    void getVersionPinsTheBranchARunTookWhileTheCodeChanges() {
        AtomicInteger newPath = new AtomicInteger();
        // Version 1 of the code: first, a long sleep, second.
        WeftEngine old = engine("a", SLOW);
        old.start(SLOW, "x", StartOptions.withId("old-run"));
        Awaitility.await().until(() -> old.parkedRunCount() == 1);
        old.close();

        // The change: a fraud check between the first step and the sleep. The old run passed that
        // point before the change, so it keeps the old path; a run that reaches it now takes the new one.
        WorkflowDefinition<String, String> changed = WorkflowDefinition.of("slow", String.class, String.class, (context, input) -> {
            context.run("first", input, String.class);
            if (context.getVersion("fraud-check", WorkflowContext.DEFAULT_VERSION, 1) == 1) {
                newPath.incrementAndGet();
                context.run("fraudCheck", input, String.class);
            }
            context.sleep(Duration.ofHours(2));
            return context.run("second", input, String.class);
        });
        WeftEngine upgraded = fixture.engine("b", builder -> builder.workflow(changed).activity(recording("first"))
                .activity(recording("second")).activity(recording("fraudCheck")).parkAfter(Duration.ofMinutes(1)));
        upgraded.recoverAll();
        upgraded.start(changed, "y", StartOptions.withId("new-run"));
        Awaitility.await().until(() -> upgraded.parkedRunCount() == 2);
        fixture.clock().advance(Duration.ofHours(2));

        assertThat(upgraded.handle("old-run").result(Gate.patience())).isEqualTo("second");
        assertThat(upgraded.handle("new-run").result(Gate.patience())).isEqualTo("second");
        assertThat(calls).filteredOn("fraudCheck"::equals).hasSize(1);
        assertThat(fixture.journal("old-run")).extracting(entry -> entry.kind()).doesNotContain(EntryKind.VERSION);
        assertThat(fixture.journal("new-run")).extracting(entry -> entry.name()).contains("version:fraud-check", "fraudCheck");
    }

    @Test
    void aRunOfAnotherDefinitionVersionFailsUnlessTheCodeContinuesIt() {
        WeftEngine old = engine("a", SLOW);
        old.start(SLOW, "x", StartOptions.withId("v1-run"));
        old.start(SLOW, "y", StartOptions.withId("v1-run-b"));
        Awaitility.await().until(() -> old.parkedRunCount() == 2);
        old.close();

        WeftEngine strict = engine("b", SLOW.withVersion(2));
        strict.resume("v1-run");
        assertThatThrownBy(() -> strict.handle("v1-run").result(Gate.patience()))
                .isInstanceOfSatisfying(WorkflowFailedException.class, failed -> {
                    assertThat(failed.failure().code()).isEqualTo(VersionMismatchException.CODE);
                    assertThat(failed.failure().message()).contains("version 1", "version 2");
                });

        WeftEngine tolerant = engine("c", SLOW.withVersion(2).continuing(1));
        tolerant.resume("v1-run-b");
        Awaitility.await().until(() -> tolerant.parkedRunCount() == 1);
        fixture.clock().advance(Duration.ofHours(2));
        assertThat(tolerant.handle("v1-run-b").result(Gate.patience())).isEqualTo("second");
    }
}
