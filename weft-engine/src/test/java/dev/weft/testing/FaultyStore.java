package dev.weft.testing;

import dev.weft.FailureInfo;
import dev.weft.StoreException;
import dev.weft.store.EntryState;
import dev.weft.WorkflowStatus;
import dev.weft.store.DeleteOutcome;
import dev.weft.store.RunQuery;
import dev.weft.store.NewSignal;
import dev.weft.store.PendingSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.SignalWithStart;
import dev.weft.store.CancelRequest;
import dev.weft.store.Checkpoint;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunClaim;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A real store whose lease renewals can be made to fail, as they do when the database is out of reach. */
public final class FaultyStore implements WorkflowStore {

    private final WorkflowStore delegate;
    private volatile boolean renewalsFail;

    public FaultyStore(WorkflowStore delegate) {
        this.delegate = delegate;
    }

    public void failRenewals(boolean fail) {
        this.renewalsFail = fail;
    }

    @Override
    public int renewLeases(String node, Collection<String> runIds, Duration lease) {
        if (renewalsFail) {
            throw new StoreException("database unreachable (simulated)");
        }
        return delegate.renewLeases(node, runIds, lease);
    }

    @Override
    public long createRun(NewRun run) {
        return delegate.createRun(run);
    }

    @Override
    public Optional<RunRecord> findRun(String runId) {
        return delegate.findRun(runId);
    }

    @Override
    public List<JournalEntry> loadJournal(String runId) {
        return delegate.loadJournal(runId);
    }

    @Override
    public CompletableFuture<Void> commit(Checkpoint checkpoint) {
        return delegate.commit(checkpoint);
    }

    @Override
    public List<RunClaim> claimRecoverable(String node, Instant ownClaimedBefore, Instant wakeDueBy, Collection<String> types,
            Duration lease, int limit) {
        return delegate.claimRecoverable(node, ownClaimedBefore, wakeDueBy, types, lease, limit);
    }

    @Override
    public SignalDelivery sendSignal(NewSignal signal) {
        return delegate.sendSignal(signal);
    }

    @Override
    public SignalWithStart signalWithStart(NewRun run, NewSignal signal) {
        return delegate.signalWithStart(run, signal);
    }

    @Override
    public Optional<PendingSignal> nextSignal(String runId, String name) {
        return delegate.nextSignal(runId, name);
    }

    @Override
    public Optional<RunClaim> claim(String runId, String node, Duration lease) {
        return delegate.claim(runId, node, lease);
    }

    @Override
    public void release(String runId, long epoch) {
        delegate.release(runId, epoch);
    }

    @Override
    public Map<String, Long> countRecoverableOfOtherTypes(String node, Instant ownClaimedBefore, Collection<String> knownTypes) {
        return delegate.countRecoverableOfOtherTypes(node, ownClaimedBefore, knownTypes);
    }

    @Override
    public CancelRequest requestCancel(String runId) {
        return delegate.requestCancel(runId);
    }

    @Override
    public List<String> findCancelRequested(String node) {
        return delegate.findCancelRequested(node);
    }

    @Override
    public Instant databaseTime() {
        return delegate.databaseTime();
    }

    @Override
    public Optional<JournalEntry> findJournalEntry(String runId, long seq) {
        return delegate.findJournalEntry(runId, seq);
    }

    @Override
    public boolean resolvePending(String runId, long seq, int attempt, EntryState outcome, String result, FailureInfo failure) {
        return delegate.resolvePending(runId, seq, attempt, outcome, result, failure);
    }

    @Override
    public List<String> takeWakeRequests(String node) {
        return delegate.takeWakeRequests(node);
    }

    @Override
    public Optional<WorkflowStatus> suspend(String runId) {
        return delegate.suspend(runId);
    }

    @Override
    public boolean unsuspend(String runId) {
        return delegate.unsuspend(runId);
    }

    @Override
    public List<RunRecord> listRuns(RunQuery query) {
        return delegate.listRuns(query);
    }

    @Override
    public long countRuns(RunQuery query) {
        return delegate.countRuns(query);
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus() {
        return delegate.countByStatus();
    }

    @Override
    public long countOverdue(Duration beyond) {
        return delegate.countOverdue(beyond);
    }

    @Override
    public DeleteOutcome deleteRun(String runId) {
        return delegate.deleteRun(runId);
    }
}
