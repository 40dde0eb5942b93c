package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.retry.RetryOverride;
import dev.weft.retry.RetryPolicy;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Claims for remote workers on every database: only tasks of the activities asked for, released
 * claims claimed again with their old token dead, outcomes written by token from any node.
 */
class TaskBrokerTests {

    private static final String QUEUE = "far";
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Calls the activity its input names, on the queue, once. */
    private static WorkflowDefinition<String, String> callsNamed() {
        ActivityOptions queued = ActivityOptions.builder().queue(QUEUE).retry(RetryOverride.of(RetryPolicy.noRetries())).build();
        return WorkflowDefinition.of("calls-named", String.class, String.class, (ctx, input) -> ctx.run(input, input, String.class, queued));
    }

    private static ActivityDefinition<String, String> remoteOnly(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            throw new IllegalStateException("runs remotely");
        });
    }

    private WeftEngine engine(String node) {
        return fixture.engine(node, builder -> builder.workflow(callsNamed()).activity(remoteOnly("alpha")).activity(remoteOnly("beta")));
    }

    @ParameterizedTest
    @EnumSource(names = { "H2", "POSTGRESQL", "MARIADB" })
    void aClaimTakesOnlyTheActivitiesAskedForAndAReleasedClaimsTokenIsDead(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine engine = engine("broker");
        WorkflowHandle<Object> alpha = engine.start("calls-named", "alpha");
        WorkflowHandle<Object> beta = engine.start("calls-named", "beta");
        TaskBroker broker = engine.taskBroker();
        Awaitility.await().atMost(Gate.patience()).until(() -> engine.queues().list().stream()
                .anyMatch(queue -> queue.name().equals(QUEUE) && queue.depth() == 2));

        assertThat(broker.claim(QUEUE, 10, Set.of())).isEmpty();
        List<RemoteTask> betas = broker.claim(QUEUE, 10, Set.of("beta", "gamma"));
        assertThat(betas).singleElement().satisfies(task -> {
            assertThat(task.activity()).isEqualTo("beta");
            assertThat(task.runId()).isEqualTo(beta.id());
            assertThat(task.inputJson()).isEqualTo("\"beta\"");
        });
        String released = betas.getFirst().operationId();
        broker.release(List.of(released));
        RemoteTask again = broker.claim(QUEUE, 10, Set.of("beta")).getFirst();

        assertThat(again.operationId()).isNotEqualTo(released);
        assertThat(again.claims()).isEqualTo(2);
        assertThat(broker.complete(released, "\"stale\"")).as("the released claim's token").isFalse();
        assertThat(broker.complete(again.operationId(), "\"beta done\"")).isTrue();
        assertThat(beta.result(Gate.patience())).isEqualTo("beta done");

        RemoteTask alphaTask = broker.claim(QUEUE, 10, Set.of("alpha")).getFirst();
        // another node accepts the outcome by its token alone
        WeftEngine other = engine("other");
        assertThat(other.taskBroker().fail(alphaTask.operationId(),
                new FailureInfo("RemoteFailure", "no alpha today", FailureCategory.APPLICATION, null, null))).isTrue();
        Awaitility.await().atMost(Gate.patience()).until(() -> alpha.status() == WorkflowStatus.FAILED);
        assertThat(broker.claim(QUEUE, 10, Set.of("alpha", "beta"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(names = { "H2", "POSTGRESQL", "MARIADB" })
    void anOutcomeOfAnExpiredClaimIsRefusedByTheNodeThatMadeItOnceAnotherNodeClaimedTheTask(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine engine = engine("first");
        WorkflowHandle<Object> run = engine.start("calls-named", "alpha");
        List<RemoteTask> expired = new ArrayList<>();
        Awaitility.await().atMost(Gate.patience()).until(() -> expired.addAll(engine.taskBroker().claim(QUEUE, 1, Set.of("alpha"))));
        fixture.clock().advance(expired.getFirst().visibilityTimeout().plusSeconds(1));
        TaskBroker second = engine("second").taskBroker();
        RemoteTask again = second.claim(QUEUE, 1, Set.of("alpha")).getFirst();

        // the first node still remembers its claim; the database's fence refuses it all the same
        assertThat(engine.taskBroker().complete(expired.getFirst().operationId(), "\"late\"")).isFalse();
        assertThat(second.complete(again.operationId(), "\"on time\"")).isTrue();
        assertThat(run.result(Gate.patience())).isEqualTo("on time");
    }

    @ParameterizedTest
    @EnumSource(names = { "H2", "POSTGRESQL", "MARIADB" })
    void extendingReportsTheClaimOfACancelledRunAsLost(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine engine = engine("broker");
        WorkflowHandle<Object> run = engine.start("calls-named", "alpha");
        TaskBroker broker = engine.taskBroker();
        List<RemoteTask> claimed = new ArrayList<>();
        Awaitility.await().atMost(Gate.patience()).until(() -> claimed.addAll(broker.claim(QUEUE, 1, Set.of("alpha"))));

        assertThat(broker.extend(claimed)).isEmpty();
        engine.cancel(run.id());

        assertThat(broker.extend(claimed)).containsExactly(claimed.getFirst().operationId());
        Awaitility.await().atMost(Gate.patience()).until(() -> run.status() == WorkflowStatus.CANCELLED);
    }
}
