package dev.weft.internal;

import dev.weft.failure.ActivityNotRegisteredException;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.activity.ActivityDefinition;
import dev.weft.workflow.WorkflowDefinition;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The workflow and activity definitions known to one engine, by name. */
final class Registry {

    private final ConcurrentHashMap<String, WorkflowDefinition<?, ?>> workflows = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ActivityDefinition<?, ?>> activities = new ConcurrentHashMap<>();

    public void register(WorkflowDefinition<?, ?> definition) {
        if (workflows.putIfAbsent(definition.name(), definition) != null) {
            throw new InvalidDefinitionException("a workflow named '" + definition.name() + "' is already registered");
        }
    }

    public void register(ActivityDefinition<?, ?> definition) {
        if (activities.putIfAbsent(definition.name(), definition) != null) {
            throw new InvalidDefinitionException("an activity named '" + definition.name() + "' is already registered");
        }
    }

    /**
     * Refuses an activity whose options name a compensating activity that is not registered: the
     * saga would find it missing only when it must undo a step.
     */
    public void checkCompensations() {
        for (ActivityDefinition<?, ?> definition : activities.values()) {
            definition.options().compensation().filter(compensation -> !activities.containsKey(compensation)).ifPresent(missing -> {
                throw new InvalidDefinitionException("Activity '" + definition.name() + "' names '" + missing
                        + "' as its compensation, but no activity of that name is registered; registered activities are "
                        + activities.keySet().stream().sorted().toList());
            });
        }
    }

    public WorkflowDefinition<?, ?> workflow(String type) {
        WorkflowDefinition<?, ?> definition = workflows.get(type);
        if (definition == null) {
            throw new WorkflowNotRegisteredException("No workflow type '" + type + "' is registered; registered types are "
                    + workflows.keySet().stream().sorted().toList());
        }
        return definition;
    }

    public ActivityDefinition<?, ?> activity(String name) {
        ActivityDefinition<?, ?> definition = activities.get(name);
        if (definition == null) {
            throw new ActivityNotRegisteredException("No activity named '" + name + "' is registered; registered activities are "
                    + activities.keySet().stream().sorted().toList());
        }
        return definition;
    }

    public boolean hasWorkflow(String type) {
        return workflows.containsKey(type);
    }

    public Set<String> workflowTypes() {
        return Set.copyOf(workflows.keySet());
    }

    public Set<String> activityNames() {
        return Set.copyOf(activities.keySet());
    }
}
