package dev.weft.spring.boot.actuate.observation;

import dev.weft.failure.FailureInfo;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.ActivityCompleted;
import dev.weft.event.EngineEvent.ActivityFailed;
import dev.weft.event.EngineEvent.ActivityRetrying;
import dev.weft.event.EngineEvent.ActivityStarted;
import dev.weft.event.EngineEvent.WorkflowCancelled;
import dev.weft.event.EngineEvent.WorkflowCompleted;
import dev.weft.event.EngineEvent.WorkflowFailed;
import dev.weft.event.EngineEvent.WorkflowRecovered;
import dev.weft.event.EngineEvent.WorkflowWoken;
import dev.weft.event.EngineEvent.WorkflowStarted;
import dev.weft.event.EngineListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer observations of runs and activity attempts, built from the engine's events: a
 * {@value #WORKFLOW} observation from a run's start (or its recovery on this node, or its wake-up
 * here after it parked on another node) to its end, and
 * within it a {@value #ACTIVITY} observation per activity attempt. With a tracing bridge these are
 * spans, the attempts children of their run.
 *
 * <p>Low-cardinality keys: {@code workflow.type}, {@code activity.name}, {@code outcome} and, on
 * failure, {@code error.type} (the exception's simple class name). The run id, the step's position
 * and the attempt number are high-cardinality keys, so they reach traces but never metric tags.
 *
 * <p>A run that this node stops driving without ending it (handed back at shutdown, or lost with
 * its lease) leaves its observation open until the run is recovered here or the listener is closed;
 * either stops it with outcome {@code abandoned}.
 */
public class WeftObservationListener implements EngineListener, AutoCloseable {

    /** The name of a run's observation. */
    public static final String WORKFLOW = "weft.workflow";

    /** The name of an activity attempt's observation. */
    public static final String ACTIVITY = "weft.activity";

    private final ObservationRegistry registry;

    private final Map<String, RunObservation> runs = new ConcurrentHashMap<>();

    public WeftObservationListener(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (registry.isNoop()) {
            return;
        }
        switch (event) {
            case WorkflowStarted e -> open(e.workflowId(), e.workflowType(), "started");
            case WorkflowRecovered e -> {
                abandon(e.workflowId());
                open(e.workflowId(), e.workflowType(), "recovered");
            }
            case WorkflowWoken e -> {
                // A run parked here goes on under the observation it began; one parked elsewhere begins one here.
                if (!runs.containsKey(e.workflowId())) {
                    open(e.workflowId(), e.workflowType(), "woken");
                }
            }
            case WorkflowCompleted e -> end(e.workflowId(), "completed", null);
            case WorkflowFailed e -> end(e.workflowId(), "failed", e.failure());
            case WorkflowCancelled e -> end(e.workflowId(), "cancelled", null);
            case ActivityStarted e -> startAttempt(e);
            case ActivityCompleted e -> endAttempt(e.workflowId(), e.seq(), "success", null);
            case ActivityRetrying e -> endAttempt(e.workflowId(), e.seq(), "retry", e.failure());
            case ActivityFailed e -> endAttempt(e.workflowId(), e.seq(), "failure", e.failure());
            default -> {
                // warnings, and events added to the engine later, are not observed
            }
        }
    }

    private void open(String runId, String type, String cause) {
        Observation observation = Observation.createNotStarted(WORKFLOW, registry)
                .contextualName("workflow " + type)
                .lowCardinalityKeyValue("workflow.type", type)
                .highCardinalityKeyValue("workflow.id", runId)
                .highCardinalityKeyValue("workflow.begin", cause)
                .start();
        runs.put(runId, new RunObservation(observation, new ConcurrentHashMap<>()));
    }

    private void end(String runId, String outcome, @Nullable FailureInfo failure) {
        RunObservation run = runs.remove(runId);
        if (run != null) {
            run.attempts().values().forEach(attempt -> stop(attempt, "abandoned", null));
            stop(run.observation(), outcome, failure);
        }
    }

    private void abandon(String runId) {
        end(runId, "abandoned", null);
    }

    private void startAttempt(ActivityStarted event) {
        RunObservation run = runs.get(event.workflowId());
        Observation attempt = Observation.createNotStarted(ACTIVITY, registry)
                .contextualName("activity " + event.activityName())
                .parentObservation(run == null ? null : run.observation())
                .lowCardinalityKeyValue("activity.name", event.activityName())
                .highCardinalityKeyValue("workflow.id", event.workflowId())
                .highCardinalityKeyValue("activity.seq", Long.toString(event.seq()))
                .highCardinalityKeyValue("activity.attempt", Integer.toString(event.attempt()))
                .start();
        if (run != null) {
            Observation previous = run.attempts().put(event.seq(), attempt);
            if (previous != null) {
                stop(previous, "abandoned", null);
            }
        } else {
            // a run not observed from its start (this listener came later): the attempt stands alone
            runs.put(event.workflowId(), new RunObservation(null, new ConcurrentHashMap<>(Map.of(event.seq(), attempt))));
        }
    }

    private void endAttempt(String runId, long seq, String outcome, @Nullable FailureInfo failure) {
        RunObservation run = runs.get(runId);
        Observation attempt = run == null ? null : run.attempts().remove(seq);
        if (attempt != null) {
            stop(attempt, outcome, failure);
        }
    }

    private static void stop(@Nullable Observation observation, String outcome, @Nullable FailureInfo failure) {
        if (observation == null) {
            return;
        }
        observation.lowCardinalityKeyValue("outcome", outcome);
        if (failure != null) {
            observation.lowCardinalityKeyValue("error.type", failure.simpleType());
            observation.highCardinalityKeyValue("error.message", failure.message());
        }
        observation.stop();
    }

    /** Stops the observations still open, as {@code abandoned}. */
    @Override
    public void close() {
        runs.keySet().forEach(this::abandon);
    }

    /** A run's observation ({@code null} when the run was not seen starting) and those of its attempts in flight, by seq. */
    private record RunObservation(@Nullable Observation observation, Map<Long, Observation> attempts) {
    }
}
