package dev.weft.internal;

import dev.weft.activity.ActivityDefinition;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.workflow.Step;
import org.jspecify.annotations.Nullable;

/**
 * The activity steps of one execution: a step with a recorded outcome is answered from the
 * journal, any other is run (or taken up where its retry state stands) by the invoker.
 */
final class ActivitySteps {

    private final RunExecution run;
    private final Registry registry;
    private final PayloadSerializer serializer;
    private final ActivityInvoker invoker;

    ActivitySteps(RunExecution run, Registry registry, PayloadSerializer serializer, ActivityInvoker invoker) {
        this.run = run;
        this.registry = registry;
        this.serializer = serializer;
        this.invoker = invoker;
    }

    <R> @Nullable R perform(long seq, Step.ActivityStep<R> step) {
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.ACTIVITY, step.name());
            if (entry.state().isFinished()) {
                return replayedOutcome(entry, step.resultType());
            }
        }
        ActivityDefinition<?, ?> definition = registry.activity(step.name());
        String inputJson = serializer.serialize(step.input());
        String resultJson = invoker.invoke(seq, definition, inputJson, step.options(), entry);
        return serializer.deserialize(resultJson, step.resultType());
    }

    /** The recorded result, or the recorded final failure thrown as the workflow saw it the first time. */
    private <R> @Nullable R replayedOutcome(JournalEntry entry, Class<R> resultType) {
        if (entry.state() == EntryState.FAILED) {
            throw Failures.toException(entry.name(), entry.failure(), entry.attempt());
        }
        return serializer.deserialize(entry.result(), resultType);
    }
}
