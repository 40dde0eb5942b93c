package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.activity.ActivityContext;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.retry.RetryOverride;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivityContextTests {

    record Progress(int done) {
    }

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static WorkflowDefinition<String, String> calling(String activity) {
        ActivityOptions fastRetries = ActivityOptions.builder().retry(RetryOverride.none().initialBackoff(Duration.ofSeconds(1))).build();
        return WorkflowDefinition.of("caller", String.class, String.class, (context, input) -> context.run(activity, input, String.class, fastRetries));
    }

    @Test
    void aRetryReadsThePreviousAttemptsLastHeartbeat() {
        List<Optional<Progress>> seen = new CopyOnWriteArrayList<>();
        ActivityDefinition<String, String> batch = ActivityDefinition.of("batch", String.class, String.class, (input, context) -> {
            seen.add(context.lastHeartbeatDetails(Progress.class));
            context.heartbeat(new Progress(10 * context.attempt()));
            context.heartbeat(new Progress(10 * context.attempt() + 5));
            if (context.attempt() < 3) {
                throw new IllegalStateException("interrupted batch");
            }
            return "resumed";
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(calling("batch")).activity(batch));

        WorkflowHandle<Object> handle = engine.start("caller", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(2));

        assertThat(handle.result(Gate.patience())).isEqualTo("resumed");
        assertThat(seen).containsExactly(Optional.empty(), Optional.of(new Progress(15)), Optional.of(new Progress(25)));
    }

    @Test
    void inDevelopmentModeARetryWithoutHeartbeatDetailsWarns() {
        ActivityDefinition<String, String> quiet = ActivityDefinition.of("quiet", String.class, String.class, (input, context) -> {
            if (context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "ok";
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(calling("quiet")).activity(quiet).developmentMode(true));

        WorkflowHandle<Object> handle = engine.start("caller", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        handle.result(Gate.patience());

        assertThat(fixture.events(EngineEvent.DevelopmentWarning.class)).singleElement()
                .satisfies(warning -> assertThat(warning.message()).contains("Attempt 2", "'quiet'", "lastHeartbeatDetails"));
    }

    @Test
    void outsideDevelopmentModeThereIsNoWarning() {
        ActivityDefinition<String, String> quiet = ActivityDefinition.of("quiet", String.class, String.class, (input, context) -> {
            if (context.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "ok";
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(calling("quiet")).activity(quiet));

        WorkflowHandle<Object> handle = engine.start("caller", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        handle.result(Gate.patience());

        assertThat(fixture.events(EngineEvent.DevelopmentWarning.class)).isEmpty();
    }

    @Test
    void theContextIsReachableFromTheAttemptsThreadAndTellsWhoItIs() {
        ActivityDefinition<String, String> introspect = ActivityDefinition.of("introspect", String.class, String.class,
                (input, context) -> {
                    ActivityContext current = ActivityContext.current();
                    return current.workflowId() + "/" + current.activityName() + "/" + current.attempt() + "/" + (current == context);
                });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(calling("introspect")).activity(introspect));

        assertThat(engine.start("caller", "x", StartOptions.withId("who")).result(Gate.patience())).isEqualTo("who/introspect/1/true");
    }
}
