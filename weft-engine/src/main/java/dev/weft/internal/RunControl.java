package dev.weft.internal;

import dev.weft.WorkflowStatus;
import dev.weft.event.EngineEvent;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.store.CancelRequest;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;

/** Acts on one existing run by its id, wherever it is driven: reads it, cancels it, suspends it. */
final class RunControl {

    private final WorkflowStore store;
    private final TimeSource time;
    private final EventBus events;
    private final Registry registry;
    private final RunDriver driver;

    RunControl(WorkflowStore store, TimeSource time, EventBus events, Registry registry, RunDriver driver) {
        this.store = store;
        this.time = time;
        this.events = events;
        this.registry = registry;
        this.driver = driver;
    }

    RunRecord find(String id) {
        return store.findRun(id).orElseThrow(() -> MissingRun.error(id));
    }

    WorkflowStatus statusOf(String id) {
        return find(id).status();
    }

    /** The result type the run's workflow registered here, or {@code Object} (plain JSON values) when it is not registered. */
    Class<?> resultTypeOf(String id) {
        RunRecord run = find(id);
        return registry.hasWorkflow(run.type()) ? registry.workflow(run.type()).resultType() : Object.class;
    }

    boolean cancel(String id) {
        CancelRequest request = store.requestCancel(id);
        return switch (request) {
            case NOT_FOUND -> throw MissingRun.error(id);
            case ALREADY_FINISHED -> false;
            case REQUESTED -> {
                driver.cancelLocally(id);
                driver.wake(id);
                yield true;
            }
        };
    }

    boolean suspend(String id) {
        WorkflowStatus before = store.suspend(id).orElseThrow(() -> MissingRun.error(id));
        if (before.isTerminal()) {
            throw new WorkflowFinishedException(id);
        }
        driver.suspendLocally(id);
        if (before == WorkflowStatus.RUNNING) {
            events.emit(new EngineEvent.WorkflowSuspended(time.now(), id));
        }
        return before == WorkflowStatus.RUNNING;
    }
}
