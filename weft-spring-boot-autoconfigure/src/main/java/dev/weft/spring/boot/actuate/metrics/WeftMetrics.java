package dev.weft.spring.boot.actuate.metrics;

import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.ActivityCompleted;
import dev.weft.event.EngineEvent.ActivityFailed;
import dev.weft.event.EngineEvent.ActivityRetrying;
import dev.weft.event.EngineEvent.ActivityStarted;
import dev.weft.event.EngineEvent.WorkflowCancelled;
import dev.weft.event.EngineEvent.WorkflowCompleted;
import dev.weft.event.EngineEvent.WorkflowFailed;
import dev.weft.event.EngineEvent.WorkflowRecovered;
import dev.weft.event.EngineEvent.WorkflowStarted;
import dev.weft.event.EngineEvent.WorkflowWoken;
import dev.weft.event.EngineListener;
import dev.weft.event.CommitObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of a Weft engine and its store, fed by the engine's events (as an
 * {@link EngineListener}) and by the JDBC store's group commits (as a {@link CommitObserver}).
 *
 * <p>Tags are bounded sets only: the workflow type, the activity name and an outcome. Run ids are
 * never tags; a run is found through the {@code weft} endpoint or a trace, not a metric.
 *
 * <ul>
 * <li>{@code weft.workflows.started}, {@code .recovered}, {@code .completed}, {@code .failed},
 * {@code .cancelled}: counters tagged {@value #WORKFLOW_TYPE}. A run counts as recovered only when
 * it was interrupted (a restart, a lapsed lease, a hand-off, a resume).
 * <li>{@code weft.workflows.woken}: parked runs taken up again, tagged {@value #WORKFLOW_TYPE} and
 * {@value #REASON} ({@code timer}, {@code request}, {@code engine-start}).
 * <li>{@code weft.workflows.active}: the runs this node drives now.
 * <li>{@code weft.activity.duration}: a timer of activity attempts tagged {@value #ACTIVITY_NAME}
 * and {@value #OUTCOME} ({@code success}; {@code retry}, failed with another attempt to come;
 * {@code failure}, failed for good).
 * <li>{@code weft.activity.attempts} and {@code weft.activity.retries}: counters tagged {@value #ACTIVITY_NAME}.
 * <li>{@code weft.checkpoint.commit}: the latency of the store's group commits;
 * {@code weft.checkpoint.batch.size}: the checkpoints each carried;
 * {@code weft.checkpoint.commit.failures}: the commits that failed.
 * </ul>
 */
public class WeftMetrics implements EngineListener, CommitObserver {

    /** The tag naming the workflow type. */
    public static final String WORKFLOW_TYPE = "workflow.type";

    /** The tag naming the activity. */
    public static final String ACTIVITY_NAME = "activity.name";

    /** The tag naming why a parked run was woken. */
    public static final String REASON = "reason";

    /** The tag naming how an activity attempt ended. */
    public static final String OUTCOME = "outcome";

    private final Meter.MeterProvider<Counter> started;

    private final Meter.MeterProvider<Counter> recovered;

    private final Meter.MeterProvider<Counter> woken;

    private final Meter.MeterProvider<Counter> completed;

    private final Meter.MeterProvider<Counter> failed;

    private final Meter.MeterProvider<Counter> cancelled;

    private final Meter.MeterProvider<Timer> activityDuration;

    private final Meter.MeterProvider<Counter> attempts;

    private final Meter.MeterProvider<Counter> retries;

    private final Timer commitLatency;

    private final DistributionSummary batchSize;

    private final Counter commitFailures;

    /** The start of each activity attempt in flight, by run and seq, to time the attempts that fail. */
    private final Map<String, Map<Long, Instant>> attemptStarts = new ConcurrentHashMap<>();

    /**
     * Registers the meters.
     *
     * @param registry where the meters go
     * @param activeRuns how many runs this node drives now (the engine's {@code activeRunCount})
     */
    public WeftMetrics(MeterRegistry registry, IntSupplier activeRuns) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(activeRuns, "activeRuns");
        started = counter("weft.workflows.started", "Runs started on this node", registry);
        recovered = counter("weft.workflows.recovered", "Interrupted runs this node took up: after a restart, from a node whose "
                + "lease lapsed, handed back by a node that stopped, or resumed", registry);
        woken = counter("weft.workflows.woken", "Parked runs this node took up again when their wait ended or was interrupted",
                registry);
        completed = counter("weft.workflows.completed", "Runs that completed on this node", registry);
        failed = counter("weft.workflows.failed", "Runs that failed on this node", registry);
        cancelled = counter("weft.workflows.cancelled", "Runs that ended cancelled on this node", registry);
        Gauge.builder("weft.workflows.active", activeRuns, IntSupplier::getAsInt)
                .description("Runs this node drives now")
                .strongReference(true)
                .register(registry);
        activityDuration = Timer.builder("weft.activity.duration").description("Activity attempts").withRegistry(registry);
        attempts = counter("weft.activity.attempts", "Activity attempts started", registry);
        retries = counter("weft.activity.retries", "Failed activity attempts followed by another attempt", registry);
        commitLatency = Timer.builder("weft.checkpoint.commit").description("Group commits of checkpoints").register(registry);
        batchSize = DistributionSummary.builder("weft.checkpoint.batch.size").description("Checkpoints per group commit")
                .baseUnit("checkpoints").register(registry);
        commitFailures = Counter.builder("weft.checkpoint.commit.failures").description("Group commits that failed")
                .register(registry);
    }

    private static Meter.MeterProvider<Counter> counter(String name, String description, MeterRegistry registry) {
        return Counter.builder(name).description(description).withRegistry(registry);
    }

    @Override
    public void onEvent(EngineEvent event) {
        switch (event) {
            case WorkflowStarted e -> started.withTag(WORKFLOW_TYPE, e.workflowType()).increment();
            case WorkflowRecovered e -> {
                // attempts of an earlier claim of this run will never report
                attemptStarts.remove(e.workflowId());
                recovered.withTag(WORKFLOW_TYPE, e.workflowType()).increment();
            }
            case WorkflowWoken e -> woken.withTags(WORKFLOW_TYPE, e.workflowType(), REASON, e.reason().tagValue()).increment();
            case WorkflowCompleted e -> ended(e.workflowId(), completed, e.workflowType());
            case WorkflowFailed e -> ended(e.workflowId(), failed, e.workflowType());
            case WorkflowCancelled e -> ended(e.workflowId(), cancelled, e.workflowType());
            case ActivityStarted e -> {
                attempts.withTag(ACTIVITY_NAME, e.activityName()).increment();
                attemptStarts.computeIfAbsent(e.workflowId(), id -> new ConcurrentHashMap<>()).put(e.seq(), e.at());
            }
            case ActivityCompleted e -> {
                forgetAttempt(e.workflowId(), e.seq());
                attemptEnded(e.activityName(), "success", e.duration());
            }
            case ActivityRetrying e -> {
                retries.withTag(ACTIVITY_NAME, e.activityName()).increment();
                attemptFailed(e.workflowId(), e.seq(), e.activityName(), "retry", e.at());
            }
            case ActivityFailed e -> attemptFailed(e.workflowId(), e.seq(), e.activityName(), "failure", e.at());
            default -> {
                // warnings, and events added to the engine later, have no meter
            }
        }
    }

    private void ended(String runId, Meter.MeterProvider<Counter> counter, String type) {
        attemptStarts.remove(runId);
        counter.withTag(WORKFLOW_TYPE, type).increment();
    }

    private void attemptFailed(String runId, long seq, String activity, String outcome, Instant at) {
        Instant start = forgetAttempt(runId, seq);
        // A step can fail for good with no attempt in flight (its schedule-to-close budget ran out in backoff).
        if (start != null) {
            attemptEnded(activity, outcome, Duration.between(start, at));
        }
    }

    private void attemptEnded(String activity, String outcome, Duration duration) {
        activityDuration.withTags(ACTIVITY_NAME, activity, OUTCOME, outcome).record(duration);
    }

    private @Nullable Instant forgetAttempt(String runId, long seq) {
        Map<Long, Instant> starts = attemptStarts.get(runId);
        return starts == null ? null : starts.remove(seq);
    }

    @Override
    public void onBatchCommitted(int checkpoints, Duration latency) {
        commitLatency.record(latency);
        batchSize.record(checkpoints);
    }

    @Override
    public void onBatchFailed(int checkpoints, Throwable error) {
        commitFailures.increment();
    }
}
