package dev.weft.internal;

import dev.weft.event.EngineEvent;
import dev.weft.store.NewRun;
import dev.weft.workflow.WorkflowDefinition;

/** This engine's part in starting children: it drives those whose type it knows, and wakes their parents. */
final class LocalChildLauncher implements ChildLauncher {

    private final Registry registry;
    private final EventBus events;
    private final EngineState state;
    private final boolean worker;
    /**
     * Set once, by {@link #driveWith}, before any run starts (the runs' threads see it): the driver
     * needs the engine services, which hold this launcher, so it cannot come in through the constructor.
     */
    private RunDriver driver;

    LocalChildLauncher(Registry registry, EventBus events, EngineState state, boolean worker) {
        this.registry = registry;
        this.events = events;
        this.state = state;
        this.worker = worker;
    }

    void driveWith(RunDriver driver) {
        this.driver = driver;
    }

    @Override
    public boolean drivesLocally(String type) {
        return worker && registry.hasWorkflow(type);
    }

    @Override
    public int versionOf(String type) {
        return registry.hasWorkflow(type) ? registry.workflow(type).version() : 1;
    }

    @Override
    public void launch(NewRun child) {
        if (state.isPaused()) {
            return;
        }
        WorkflowDefinition<?, ?> definition = registry.workflow(child.type());
        events.emit(new EngineEvent.WorkflowStarted(child.createdAt(), child.id(), child.type()));
        driver.driveNew(definition, child.id(), child.input(), 1, child.deadline(), child.parentId(), child.depth(), null);
    }

    @Override
    public void wakeParent(String parentId) {
        driver.wake(parentId);
    }
}
