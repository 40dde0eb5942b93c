package dev.weft.internal;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityVerifier;
import dev.weft.activity.Reconciliation;
import dev.weft.activity.VerificationContext;
import dev.weft.failure.ActivityReconciliationException;
import dev.weft.failure.DefinitionNames;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.PayloadException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.ActivityRecord;
import dev.weft.store.WorkflowStore;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One activity step called with an idempotency key: its reconciliation record, read before the
 * step's next attempt, committed {@code started} (fenced by the run's epoch, through the group
 * commit) before each dispatch, and {@code completed} with the step's own checkpoint, which waits
 * for the run's next write (or at once, for a call inside a memo, which has no checkpoint of its
 * own); and the definition's verifier,
 * asked when the record says an attempt was dispatched whose outcome the journal never learned.
 */
final class KeyedStep {

    /** What the record says the step must do before its next attempt. */
    sealed interface Next {

        /**
         * Dispatch this attempt, writing the record first unless {@code recorded}: the read that
         * found no record wrote the {@code started} one in the same statement.
         */
        record Dispatch(int attempt, boolean recorded) implements Next {

            Dispatch(int attempt) {
                this(attempt, false);
            }
        }

        /** Do not dispatch: the activity completed with this result, recorded or reconciled. */
        record Completed(String resultJson, int attempt) implements Next {
        }

        /** Do not dispatch, and fail the step for good: nothing proves that dispatching is safe. */
        record FailClosed(FailureInfo failure, int attempt) implements Next {
        }
    }

    private final RunExecution run;
    private final WorkflowStore store;
    private final Checkpointer checkpointer;
    private final PayloadSerializer serializer;
    private final ActivityDefinition<?, ?> definition;
    private final long seq;
    private final String key;
    private final String keyDigest;
    private final String inputJson;
    private final Set<String> writtenHere;

    private KeyedStep(RunExecution run, WorkflowStore store, Checkpointer checkpointer, PayloadSerializer serializer,
            ActivityDefinition<?, ?> definition, long seq, String key, String inputJson, Set<String> writtenHere) {
        this.run = run;
        this.store = store;
        this.checkpointer = checkpointer;
        this.serializer = serializer;
        this.definition = definition;
        this.seq = seq;
        this.key = key;
        this.keyDigest = IdempotencyKeys.digest(key);
        this.inputJson = inputJson;
        this.writtenHere = writtenHere;
    }

    /**
     * The keyed step at {@code seq}, when the call or the definition gives it a key; empty for a
     * plain step, which keeps at-least-once without a record.
     */
    /**
     * @param writtenHere the records this execution of the run wrote ({@code activity + digest}),
     *     shared by its steps: on a run's first execution no other record can exist
     */
    static Optional<KeyedStep> of(RunExecution run, WorkflowStore store, Checkpointer checkpointer, PayloadSerializer serializer,
            ActivityDefinition<?, ?> definition, long seq, @Nullable String callKey, String inputJson, Set<String> writtenHere) {
        String key = callKey != null ? callKey : definitionKey(definition, serializer, inputJson);
        return key == null ? Optional.empty()
                : Optional.of(new KeyedStep(run, store, checkpointer, serializer, definition, seq, key, inputJson, writtenHere));
    }

    @SuppressWarnings("unchecked")
    private static @Nullable String definitionKey(ActivityDefinition<?, ?> definition, PayloadSerializer serializer, String inputJson) {
        if (definition.idempotencyKey() == null) {
            return null;
        }
        Object input = serializer.deserialize(inputJson, definition.inputType());
        String key = ((Function<Object, String>) definition.idempotencyKey()).apply(input);
        if (key == null || !DefinitionNames.isValidKey(key)) {
            throw new IllegalArgumentException("The idempotency key function of activity '" + definition.name()
                    + "' gave no key of 1 to 255 characters of valid Unicode without control characters");
        }
        return key;
    }

    /**
     * What to do before attempt {@code nextAttempt} (the attempt the journal would run next): a
     * completed record answers; a record started for this step at this attempt or later is an
     * outcome the journal never learned, and is reconciled; any other is history, and the step
     * dispatches.
     */
    Next before(int nextAttempt) {
        if (run.epoch() == 1 && !writtenHere.contains(recordName())) {
            // The run's first execution (every take-up, after a crash or a park, raises the epoch),
            // and no step of it wrote this record: there is none to read.
            return new Next.Dispatch(nextAttempt);
        }
        // A completion of this record held back for the run's next write must be read as completed.
        run.writeHeldBack();
        // The read also writes the started record when there is none (where the database can do
        // both in one statement): then nothing is left to decide, and the attempt is dispatched.
        ActivityRecord started = ActivityRecord.started(run.runId(), definition.name(), keyDigest, seq, nextAttempt);
        Optional<ActivityRecord> found = checkpointer.write(run.runId(), run.epoch(), "Reading the reconciliation record",
                () -> store.startActivityRecord(started, run.epoch()));
        if (found.isEmpty()) {
            writtenHere.add(recordName());
            return new Next.Dispatch(nextAttempt, true);
        }
        ActivityRecord record = found.get();
        if (record.state() == ActivityRecord.State.COMPLETED) {
            return new Next.Completed(record.result(), record.attempt());
        }
        if (record.seq() != seq || record.attempt() < nextAttempt) {
            // that attempt's failure is in the journal: the step moved past it
            return new Next.Dispatch(nextAttempt);
        }
        return reconcile(record.attempt());
    }

    @SuppressWarnings("unchecked")
    private Next reconcile(int dispatched) {
        ActivityVerifier<Object, Object> verifier = (ActivityVerifier<Object, Object>) definition.verifier();
        if (verifier == null) {
            return failClosed(dispatched, "has a prior dispatch marker for attempt " + dispatched + " but no verifier to reconcile it");
        }
        Reconciliation answer;
        try {
            answer = verifier.reconcile(input(), context(dispatched));
        } catch (Exception e) {
            return failClosed(dispatched, "could not be reconciled: its verifier threw " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        return switch (answer) {
            case Reconciliation.NotCompleted notCompleted -> new Next.Dispatch(dispatched + 1);
            case Reconciliation.CompletedWithResult completed -> adopt(completed.result(), dispatched);
            case Reconciliation.CompletedResultUnavailable unavailable ->
                    failClosed(dispatched, "completed, its verifier says, but its result cannot be reconstructed");
            case Reconciliation.Indeterminate indeterminate ->
                    failClosed(dispatched, "is indeterminate, its verifier says: " + indeterminate.reason());
            case null -> failClosed(dispatched, "could not be reconciled: its verifier answered null");
        };
    }

    /** Takes the verifier's result as the attempt's, recording it before the step completes. */
    private Next adopt(@Nullable Object result, int attempt) {
        String resultJson;
        try {
            resultJson = serializer.serialize(result);
        } catch (PayloadException e) {
            return failClosed(attempt, "completed, its verifier says, with a result that cannot be encoded: " + e.getMessage());
        }
        completed(attempt, resultJson);
        return new Next.Completed(resultJson, attempt);
    }

    /**
     * For a queued step that the journal says completed: the worker that ran it wrote the entry,
     * and the run completes the record only once its verifier accepted the result. A record not
     * completed means the run stopped in between, so the verifier is asked now. Empty when the
     * result stands (the record is then completed with the run's next write); else the failure
     * that rejects the attempt.
     */
    Optional<FailureInfo> verifyReplayed(int attempt, String resultJson) {
        Optional<ActivityRecord> record = checkpointer.write(run.runId(), run.epoch(), "Reading the reconciliation record",
                () -> store.findActivityRecord(run.runId(), definition.name(), keyDigest));
        if (record.isPresent() && record.get().state() == ActivityRecord.State.COMPLETED) {
            return Optional.empty();
        }
        Optional<FailureInfo> rejected = rejection(attempt, resultJson);
        if (rejected.isEmpty()) {
            run.commitWithNextWrite(null, completedRecord(attempt, resultJson));
        }
        return rejected;
    }

    /** Commits the record that attempt {@code attempt} is being dispatched, before it is. */
    void dispatching(int attempt) {
        write(ActivityRecord.started(run.runId(), definition.name(), keyDigest, seq, attempt));
    }

    /** Commits the record of the attempt's result at once: for a call that has no checkpoint of its own to carry it. */
    void completed(int attempt, String resultJson) {
        write(completedRecord(attempt, resultJson));
    }

    /**
     * The record of the attempt's result, for the step's checkpoint to carry: until that commits,
     * the record says {@code started}, so a crash after the effect and before the checkpoint asks
     * the verifier, as the journal knows nothing either.
     */
    ActivityRecord completedRecord(int attempt, String resultJson) {
        return ActivityRecord.completed(run.runId(), definition.name(), keyDigest, seq, attempt, resultJson);
    }

    private String recordName() {
        return definition.name() + "/" + keyDigest;
    }

    /**
     * Commits {@code record}, fenced as a checkpoint: through the group commit, so concurrent runs
     * share the commit, and with the previous keyed step's completion if the run held it back.
     */
    private void write(ActivityRecord record) {
        writtenHere.add(recordName());
        run.commitRecord(record);
    }

    /**
     * The attempt's outcome once the verifier had its say: a rejected result is a failed attempt.
     * An accepted one is not recorded here: see {@link #completedRecord} and {@link #completed}.
     */
    AttemptOutcome settle(int attempt, AttemptOutcome outcome) {
        if (!(outcome instanceof AttemptOutcome.Succeeded succeeded)) {
            return outcome;
        }
        Optional<FailureInfo> rejected = rejection(attempt, succeeded.resultJson());
        return rejected.isPresent() ? new AttemptOutcome.Failed(rejected.get()) : outcome;
    }

    /**
     * The verifier's post-execution check of an attempt's result: empty when accepted (or there is
     * no verifier), else the failure that rejects the attempt.
     */
    @SuppressWarnings("unchecked")
    private Optional<FailureInfo> rejection(int attempt, String resultJson) {
        ActivityVerifier<Object, Object> verifier = (ActivityVerifier<Object, Object>) definition.verifier();
        if (verifier == null) {
            return Optional.empty();
        }
        try {
            Object result = serializer.deserialize(resultJson, definition.resultType());
            if (verifier.accept(input(), result, context(attempt))) {
                return Optional.empty();
            }
            return Optional.of(FailureInfo.of(new IllegalStateException("Verification failed for activity '" + definition.name()
                    + "': its verifier rejected the result of attempt " + attempt)));
        } catch (Exception e) {
            return Optional.of(FailureInfo.of(e));
        }
    }

    private @Nullable Object input() {
        return serializer.deserialize(inputJson, definition.inputType());
    }

    private VerificationContext context(int attempt) {
        return new VerificationContext(run.runId(), definition.name(), seq, attempt, key);
    }

    private Next failClosed(int attempt, String why) {
        // names the run, the step and the activity, never the key
        return new Next.FailClosed(FailureInfo.of(new ActivityReconciliationException("Activity '" + definition.name()
                + "' at step " + seq + " of run '" + run.runId() + "' " + why + "; not dispatched again")), attempt);
    }
}
