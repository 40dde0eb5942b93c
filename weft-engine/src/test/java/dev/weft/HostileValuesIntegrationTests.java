package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.payload.JacksonPayloadSerializer;
import dev.weft.retry.RetryOverride;
import dev.weft.store.RunRecord;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.LogCapture;
import dev.weft.testing.TestDatabase;
import dev.weft.time.StorableTimes;
import dev.weft.workflow.ChildOptions;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What user code hands the engine that a database cannot hold as it is (a NUL, a lone surrogate, a
 * time past its range) ends every run as it should on every database: stored losslessly, refused
 * up front in the workflow, or failed with the database's reason; never a run stuck {@code running}.
 */
class HostileValuesIntegrationTests {

    private static final String NUL_MESSAGE = "bad\u0000message \ud800 C:\\temp";

    private static final ActivityOptions TWO_QUICK_ATTEMPTS = ActivityOptions.builder()
            .retry(RetryOverride.none().maxAttempts(2).initialBackoff(Duration.ZERO)).build();

    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private EngineFixture fixture(TestDatabase database) {
        fixture = new EngineFixture(database);
        return fixture;
    }

    private RunRecord stored(String id) {
        return fixture.newStore().findRun(id).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void anActivityThrowingANulInItsMessageIsRetriedThenFailsTheRunWithThatMessage(TestDatabase database) {
        WeftEngine engine = fixture(database).engine(builder -> builder
                .workflow(WorkflowDefinition.of("pay", String.class, String.class,
                        (context, order) -> context.run("charge", order, String.class, TWO_QUICK_ATTEMPTS)))
                .activity(ActivityDefinition.of("charge", String.class, String.class, (order, context) -> {
                    throw new IllegalStateException(NUL_MESSAGE);
                })));

        WorkflowHandle<Object> handle = engine.start("pay", "order");

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);
        assertThat(fixture.events(EngineEvent.ActivityRetrying.class)).singleElement()
                .satisfies(retry -> assertThat(retry.failure().message()).isEqualTo(NUL_MESSAGE));
        RunRecord run = stored(handle.id());
        assertThat(run.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(run.failure().message()).contains("IllegalStateException: " + NUL_MESSAGE);
        FailureInfo step = fixture.journal(handle.id()).getFirst().failure();
        assertThat(step.message()).isEqualTo(NUL_MESSAGE);
        assertThat(step.stackTrace()).startsWith("java.lang.IllegalStateException: " + NUL_MESSAGE);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void nulInsideInputsResultsAndSignalPayloadsComesBackAsItWasGiven(TestDatabase database) {
        String hostile = "a\u0000b\u0001c\\u0000d \ud800 \udc00";
        WeftEngine engine = fixture(database).engine(builder -> builder
                .workflow(WorkflowDefinition.of("echo", String.class, String.class, (context, input) -> {
                    String echoed = context.run("echo", input, String.class);
                    String signalled = context.awaitSignal("more", String.class);
                    return echoed + "|" + signalled;
                }))
                .activity(ActivityDefinition.of("echo", String.class, String.class, (input, context) -> input)));

        WorkflowHandle<Object> handle = engine.start("echo", hostile);
        assertThat(engine.signal(handle.id(), "more", hostile)).isTrue();

        assertThat(handle.result(Gate.patience())).isEqualTo(hostile + "|" + hostile);
        RunRecord run = stored(handle.id());
        // escaped inside the JSON text, which every database holds as it is
        assertThat(run.result()).doesNotContain("\u0000").matches(json -> json.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        assertThat(JacksonPayloadSerializer.withDefaults().deserialize(run.result(), String.class)).isEqualTo(hostile + "|" + hostile);
        assertThat(JacksonPayloadSerializer.withDefaults().deserialize(run.input(), String.class)).isEqualTo(hostile);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void aSleepPastTheTimesEveryDatabaseHoldsFailsInTheWorkflowNamingTheValueAndTheLimit(TestDatabase database) {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        Duration pastYear9999 = Duration.ofDays(365L * 8000);
        WeftEngine engine = fixture(database).engine(builder -> builder
                .workflow(WorkflowDefinition.of("nap", String.class, String.class, (context, which) -> {
                    Duration length = which.equals("forever") ? forever : pastYear9999;
                    try {
                        context.sleep(length);
                        return "slept";
                    } catch (IllegalArgumentException refused) {
                        return refused.getMessage();
                    }
                })));

        for (String which : List.of("forever", "past 9999")) {
            WorkflowHandle<Object> handle = engine.start("nap", which);

            assertThat((String) handle.result(Gate.patience())).startsWith("A sleep of ")
                    .contains(which.equals("forever") ? forever.toString() : pastYear9999.toString())
                    .contains("must fall before " + StorableTimes.LIMIT);
            assertThat(fixture.journal(handle.id())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void aSignalTimeoutPastTheLimitFailsTheRunAndAnExecutionTimeoutPastItIsRefusedAtTheStart(TestDatabase database) {
        Duration tooLong = Duration.ofDays(365L * 10_000);
        WeftEngine engine = fixture(database).engine(builder -> builder
                .workflow(WorkflowDefinition.of("wait", String.class, String.class, (context, input) -> {
                    Optional<String> answer = context.awaitSignal("answer", String.class, tooLong);
                    return answer.orElse("none");
                })));

        WorkflowHandle<Object> waiting = engine.start("wait", "x");
        assertThatThrownBy(() -> waiting.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                failed -> assertThat(failed.failure().message()).contains("wait for signal 'answer'", tooLong.toString(),
                        StorableTimes.LIMIT.toString()));
        assertThat(stored(waiting.id()).status()).isEqualTo(WorkflowStatus.FAILED);

        StartOptions options = StartOptions.builder().id("too-late").executionTimeout(tooLong).build();
        assertThatThrownBy(() -> engine.start("wait", "x", options)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("execution timeout of workflow 'too-late'").hasMessageContaining(tooLong.toString())
                .hasMessageContaining(StorableTimes.LIMIT.toString());
        assertThat(fixture.newStore().findRun("too-late")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void aStepTheDatabaseRefusesForGoodFailsTheRunWithTheDatabasesReason(TestDatabase database) {
        EngineFixture fixture = fixture(database);
        String constraint = fixture.schema().tablePrefix() + "no_poison";
        // a real permanent error (SQLState class 23) that no value of the engine's own can cause
        fixture.schema().sql("alter table %PREFIX%journal add constraint " + constraint + " check (name <> 'poison')").update();
        WeftEngine engine = fixture.engine(builder -> builder
                .workflow(WorkflowDefinition.of("doomed", String.class, String.class,
                        (context, input) -> context.run("fine", input, String.class) + context.run("poison", input, String.class)))
                .activity(ActivityDefinition.of("fine", String.class, String.class, (input, context) -> "ok "))
                .activity(ActivityDefinition.of("poison", String.class, String.class, (input, context) -> "never stored")));

        try (LogCapture log = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            WorkflowHandle<Object> handle = engine.start("doomed", "x");

            assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                    failed -> assertThat(failed.failure().type()).isEqualTo(CheckpointRejectedException.class.getName()));
            RunRecord run = stored(handle.id());
            assertThat(run.status()).isEqualTo(WorkflowStatus.FAILED);
            assertThat(run.failure().code()).isEqualTo(CheckpointRejectedException.CODE);
            assertThat(run.failure().message()).contains(handle.id(), "SQLState 23").containsIgnoringCase(constraint);
            assertThat(fixture.journal(handle.id())).extracting(entry -> entry.name()).containsExactly("fine");
            assertThat(fixture.events(EngineEvent.WorkflowFailed.class)).singleElement()
                    .satisfies(failed -> assertThat(failed.workflowId()).isEqualTo(handle.id()));
            assertThat(log.messages(Level.ERROR)).anySatisfy(line -> assertThat(line)
                    .startsWith("Checkpoint of run " + handle.id() + " was refused by the database for good"));
            assertThat(engine.activeRunCount()).isZero();
        }
    }
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void keysTheJournalRecordsAreRefusedInTheWorkflowWhenNoDatabaseCouldHoldThemAsTheyAre(TestDatabase database) {
        WeftEngine engine = fixture(database).engine(builder -> builder
                .workflow(WorkflowDefinition.of("keys", String.class, String.class, (context, key) -> {
                    List<String> refusals = new java.util.ArrayList<>();
                    for (Runnable use : List.<Runnable>of(
                            () -> context.awaitSignal(key, String.class),
                            () -> context.memo(key, String.class, () -> "v"),
                            () -> context.getVersion(key, 1, 2),
                            () -> ChildOptions.defaults().withId(key))) {
                        try {
                            use.run();
                            refusals.add("accepted");
                        } catch (IllegalArgumentException refused) {
                            refusals.add(refused.getMessage());
                        }
                    }
                    return String.join("|", refusals);
                })));

        for (String key : List.of("nul\u0000key", "lone \ud800 surrogate")) {
            WorkflowHandle<Object> handle = engine.start("keys", key);

            assertThat(((String) handle.result(Gate.patience())).split("\\|")).containsExactly(
                    "a signal name must be 1 to 200 characters of valid Unicode with no control characters",
                    "a memo key must be at most 200 characters of valid Unicode with no control characters",
                    "a version change id must be at most 200 characters of valid Unicode with no control characters",
                    "a child workflow id must be 1 to 200 characters of valid Unicode with no control characters");
            assertThat(fixture.journal(handle.id())).isEmpty();
        }
    }
}
