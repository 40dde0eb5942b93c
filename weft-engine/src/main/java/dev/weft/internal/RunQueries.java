package dev.weft.internal;

import dev.weft.WorkflowStatus;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.store.RunRecord;
import dev.weft.workflow.WorkflowDefinition;
import org.jspecify.annotations.Nullable;

/**
 * Answers query handlers: from memory for a run this engine drives, else by a read-only replay of
 * the run's journal, which writes nothing and runs no activity.
 */
final class RunQueries {

    private final RunEnvironment services;
    private final RunControl runs;
    private final RunDriver driver;

    RunQueries(RunEnvironment services, RunControl runs, RunDriver driver) {
        this.services = services;
        this.runs = runs;
        this.driver = driver;
    }

    <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType) {
        RunRecord run = runs.find(id);
        if (run.status().isTerminal()) {
            throw new WorkflowFinishedException(id);
        }
        RunExecution live = driver.driven(id);
        RunExecution answering = live != null ? live : replay(run);
        return services.serializer().deserialize((String) answering.answerQuery(name, argument), resultType);
    }

    private RunExecution replay(RunRecord run) {
        WorkflowDefinition<?, ?> definition = services.registry().workflow(run.type());
        RunExecution replay = RunExecution.forQuery(services, new RunSpec(run.id(), definition, run.input(), run.epoch(),
                services.store().loadJournal(run.id()), run.deadline(), run.parentId(), run.depth()));
        replay.start();
        if (replay.end().join() instanceof RunEnd.Finished(WorkflowStatus status, String result, FailureInfo failure)
                && failure != null) {
            throw new WorkflowFailedException(run.id(), failure);
        }
        return replay;
    }
}
