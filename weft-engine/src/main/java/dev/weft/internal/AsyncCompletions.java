package dev.weft.internal;

import dev.weft.AsyncActivityToken;
import dev.weft.PendingAsyncActivity;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureInfo;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.EntryState;
import dev.weft.store.WorkflowStore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Out-of-band completions of activity attempts that called {@code completeAsync()}, by their tokens. */
final class AsyncCompletions {

    private final WorkflowStore store;
    private final PayloadSerializer serializer;
    private final PayloadLimit payloadLimit;
    private final RunDriver driver;

    AsyncCompletions(WorkflowStore store, PayloadSerializer serializer, PayloadLimit payloadLimit, RunDriver driver) {
        this.store = store;
        this.serializer = serializer;
        this.payloadLimit = payloadLimit;
        this.driver = driver;
    }

    void complete(String token, @Nullable Object result) {
        AsyncActivityToken parsed = parse(token);
        String resultJson = serializer.serialize(result);
        payloadLimit.check("the async activity result", resultJson);
        resolve(parsed, token, EntryState.COMPLETED, resultJson, null);
    }

    void fail(String token, FailureInfo failure) {
        AsyncActivityToken parsed = parse(token);
        payloadLimit.check("the async activity failure message", failure.message());
        resolve(parsed, token, EntryState.ATTEMPT_FAILED, null, failure);
    }

    List<PendingAsyncActivity> pending(String workflowId) {
        store.findRun(workflowId).orElseThrow(() -> MissingRun.error(workflowId));
        return store.loadJournal(workflowId).stream()
                .filter(entry -> entry.state() == EntryState.PENDING)
                .map(entry -> new PendingAsyncActivity(new AsyncActivityToken(workflowId, entry.seq(), entry.attempt()).toString(),
                        entry.name(), entry.seq(), entry.attempt(), entry.scheduledAt()))
                .toList();
    }

    private static AsyncActivityToken parse(String token) {
        return AsyncActivityToken.parse(token).orElseThrow(() -> new AsyncActivityTokenNotFoundException(token));
    }

    private void resolve(AsyncActivityToken token, String raw, EntryState outcome, @Nullable String resultJson,
            @Nullable FailureInfo failure) {
        if (!store.resolvePending(token.workflowId(), token.seq(), token.attempt(), outcome, resultJson, failure)) {
            throw new AsyncActivityTokenNotFoundException(raw);
        }
        // The owner may be another node: it finds the run's wake flag at its next lease renewal.
        driver.wake(token.workflowId());
    }
}
