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
    private final Sagas sagas;

    ActivitySteps(RunExecution run, Registry registry, PayloadSerializer serializer, ActivityInvoker invoker, Sagas sagas) {
        this.run = run;
        this.registry = registry;
        this.serializer = serializer;
        this.invoker = invoker;
        this.sagas = sagas;
    }

    <R> @Nullable R perform(long seq, Step.ActivityStep<R> step) {
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.ACTIVITY, step.name());
            if (entry.state() == EntryState.COMPLETED) {
                entry = reverified(seq, step, entry);
            }
            if (entry.state().isFinished()) {
                R replayed = replayedOutcome(entry, step.resultType());
                recordCompensation(seq, null, step, null, entry.result());
                return replayed;
            }
        }
        ActivityDefinition<?, ?> definition = registry.activity(step.name());
        String inputJson = serializer.serialize(step.input());
        String resultJson = invoker.invoke(seq, definition, inputJson, step.options(), entry);
        R result = serializer.deserialize(resultJson, step.resultType());
        recordCompensation(seq, definition, step, inputJson, resultJson);
        return result;
    }

    /**
     * A completed entry as it stands, or, for a queued keyed step whose verifier had not had its
     * say when the run stopped, the attempt the verifier rejects (see {@link ActivityInvoker#reverified}).
     */
    private JournalEntry reverified(long seq, Step.ActivityStep<?> step, JournalEntry completed) {
        ActivityDefinition<?, ?> definition = registry.activity(step.name());
        if (definition.verifier() == null) {
            return completed;
        }
        return invoker.reverified(seq, definition, serializer.serialize(step.input()), step.options(), completed).orElse(completed);
    }

    /** Inside a saga: records the compensation the step's options name, if any, with its input and output. */
    private void recordCompensation(long seq, @Nullable ActivityDefinition<?, ?> known, Step.ActivityStep<?> step,
            @Nullable String knownInputJson, @Nullable String resultJson) {
        if (!sagas.recording()) {
            return;
        }
        ActivityDefinition<?, ?> definition = known != null ? known : registry.activity(step.name());
        definition.options().overriddenBy(step.options()).compensation().ifPresent(
                compensation -> sagas.stepCompleted(seq, compensation,
                        knownInputJson != null ? knownInputJson : serializer.serialize(step.input()), resultJson));
    }

    /** The recorded result, or the recorded final failure thrown as the workflow saw it the first time. */
    private <R> @Nullable R replayedOutcome(JournalEntry entry, Class<R> resultType) {
        if (entry.state() == EntryState.FAILED) {
            throw Failures.toException(entry.name(), entry.failure(), entry.attempt());
        }
        return serializer.deserialize(entry.result(), resultType);
    }
}
