package dev.weft.store;

import dev.weft.ConcurrencyLimit;
import dev.weft.WorkflowStatus;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.StoreException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.time.StorableTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Durable state of runs: the run rows, their journals and their ownership. Every method is safe to
 * call from many threads. Failures of the database surface as {@link StoreException}; no
 * technology-specific exception crosses this interface.
 *
 * <p>Ownership: every running run has an owner, a lease expiry from the database's clock, and a
 * fencing epoch that rises by one whenever the run is claimed. Every write of an owner names the
 * epoch it holds, and the database refuses it when the epoch has moved on.
 */
public interface WorkflowStore {

    /**
     * Creates a running run owned by {@code run.owner()} with epoch 1.
     *
     * @return the epoch (1)
     * @throws WorkflowAlreadyExistsException when a run with that id exists, finished or not
     */
    long createRun(NewRun run);

    /**
     * Creates {@code run} under an idempotency key of its type, or finds the run an earlier start
     * with the key created; atomic across nodes. When the key's run has ended, creates {@code run}
     * in its place (recording the ended run as where it restarted from) only if
     * {@code restartIfEnded}; a key whose run was deleted leads to {@code run}.
     *
     * @param keyDigest the key's digest: the key itself is never stored
     */
    default KeyedStart startKeyed(NewRun run, String keyDigest, boolean restartIfEnded) {
        return startKeyed(run, keyDigest, restartIfEnded, null);
    }

    /**
     * As {@link #startKeyed(NewRun, String, boolean)}, with the run it creates (if any) created
     * under {@code limit} as {@link #startLimited} creates it, in the same transaction; a refusal
     * of the limit writes nothing, the key included.
     */
    KeyedStart startKeyed(NewRun run, String keyDigest, boolean restartIfEnded, @Nullable ConcurrencyLimit limit);

    /**
     * Creates {@code run} under a concurrency limit of its type, atomically across nodes: running
     * (owned by {@code run.owner()}) when the key has a free slot and nothing queued ahead of it,
     * else {@link dev.weft.WorkflowStatus#QUEUED} behind the key's queue, or not at all when the
     * limit says to refuse. The limit given becomes the key's limit in force.
     *
     * @throws WorkflowAlreadyExistsException when a run with that id exists
     */
    LimitedStart startLimited(NewRun run, ConcurrencyLimit limit);

    /**
     * Admits the oldest queued runs of a type and key into the slots free under its limit, as one
     * transaction serialized with every other start and admission of the key; the admitted runs
     * are running and unowned, for any node of their type to claim.
     *
     * @return the admitted runs' ids, oldest first
     */
    List<String> admitQueued(ConcurrencyGroup group);

    /** The types and keys that have queued runs: what a periodic admission pass visits. */
    List<ConcurrencyGroup> queuedGroups();

    /** The reconciliation record of a keyed activity in a run, if one was written. */
    Optional<ActivityRecord> findActivityRecord(String runId, String activity, String keyDigest);

    /**
     * Writes (or overwrites) a reconciliation record, fenced: only while the run is running and
     * held at {@code epoch}.
     *
     * @throws dev.weft.failure.OwnershipLostException when it is not
     */
    void writeActivityRecord(ActivityRecord record, long epoch);

    /**
     * Reads the record of {@code started}'s activity and key in its run and, when there is none,
     * writes {@code started}, fenced as {@link #writeActivityRecord}: in one statement where the
     * database allows, so a keyed step after a take-up pays one round trip for both.
     *
     * @return the record found (then nothing was written), or empty when {@code started} is written now
     * @throws dev.weft.failure.OwnershipLostException when the run is not held at {@code epoch}
     */
    Optional<ActivityRecord> startActivityRecord(ActivityRecord started, long epoch);

    Optional<RunRecord> findRun(String runId);

    /** The run's journal, ordered by seq. */
    List<JournalEntry> loadJournal(String runId);

    /**
     * The runs among {@code runIds} that exist, by id: for recovery, which takes up runs by the
     * hundred. A store should answer in one round trip; this default asks run by run.
     */
    default Map<String, RunRecord> findRuns(Collection<String> runIds) {
        Map<String, RunRecord> runs = new HashMap<>();
        runIds.forEach(id -> findRun(id).ifPresent(run -> runs.put(id, run)));
        return runs;
    }

    /**
     * The journals of {@code runIds}, by run id, each ordered by seq; a run without entries maps to an
     * empty list. A store should answer in one round trip; this default asks run by run.
     */
    default Map<String, List<JournalEntry>> loadJournals(Collection<String> runIds) {
        Map<String, List<JournalEntry>> journals = new HashMap<>();
        runIds.forEach(id -> journals.put(id, loadJournal(id)));
        return journals;
    }

    /**
     * Writes a checkpoint durably. Checkpoints from many threads are grouped into one transaction
     * and one commit. The future completes once the commit is done, or exceptionally with
     * {@link OwnershipLostException} when the run's epoch is no longer {@code checkpoint.epoch()}
     * (nothing of that checkpoint is written), or with {@link StoreException}.
     */
    CompletableFuture<Void> commit(Checkpoint checkpoint);

    /**
     * Claims up to {@code limit} running runs of the given types that are unowned, whose lease has
     * lapsed, or that {@code node} claimed before {@code ownClaimedBefore} (by the database clock:
     * runs of an earlier incarnation of the same node, which a restart can take at once without
     * waiting for their leases to lapse). Rows another node has locked are skipped. Each claimed
     * run gets owner {@code node}, epoch + 1, a fresh lease and a new claim time.
     */
    default List<RunClaim> claimRecoverable(String node, Instant ownClaimedBefore, Collection<String> types, Duration lease,
            int limit) {
        return claimRecoverable(node, ownClaimedBefore, FAR_FUTURE, types, lease, limit);
    }

    /** A time after every wake-up: a run parked until then waits for a signal alone. */
    Instant FAR_FUTURE = StorableTimes.LIMIT;

    /**
     * As {@link #claimRecoverable(String, Instant, Collection, Duration, int)}, and leaving parked
     * runs (see {@link Checkpoint#parkUntil()}) whose wake-up time is after {@code wakeDueBy}.
     */
    List<RunClaim> claimRecoverable(String node, Instant ownClaimedBefore, Instant wakeDueBy, Collection<String> types,
            Duration lease, int limit);

    /**
     * Claims one run if it is running and either owned by {@code node}, unowned, or its lease has
     * lapsed.
     *
     * @return the claim, or empty when the run is missing, finished or held by another live node
     */
    Optional<RunClaim> claim(String runId, String node, Duration lease);

    /**
     * Extends the leases of the given runs that {@code node} still owns, in as few statements as
     * the database allows; returns how many were extended. Only runs the node is actually driving
     * are renewed, so a run it stopped driving lapses and is adopted.
     */
    int renewLeases(String node, Collection<String> runIds, Duration lease);

    /** Gives up ownership of a run, if {@code epoch} is still current, so another node can claim it at once. */
    void release(String runId, long epoch);

    /**
     * Counts, by type, the running runs that {@code node} could claim (its own or lapsed) but whose
     * type is not in {@code knownTypes}: what a recovery must report rather than drop.
     */
    Map<String, Long> countRecoverableOfOtherTypes(String node, Instant ownClaimedBefore, Collection<String> knownTypes);

    /** Marks a running run for cancellation. */
    CancelRequest requestCancel(String runId);

    /** The running runs owned by {@code node} with a cancellation requested. */
    List<String> findCancelRequested(String node);

    /** The database's clock, which leases are measured by. */
    Instant databaseTime();

    /** One journal entry, if the run has one at {@code seq}. */
    Optional<JournalEntry> findJournalEntry(String runId, long seq);

    /**
     * Adopts the outcome of an activity attempt that is {@link EntryState#PENDING}, as an
     * out-of-band completion delivers it: the entry becomes {@code outcome}
     * ({@link EntryState#COMPLETED} with {@code result}, or {@link EntryState#ATTEMPT_FAILED} with
     * {@code failure}) and the run is flagged for its owner to wake, in one transaction. This
     * write is what spends the completion token, so a token is spent exactly when its outcome is
     * durable.
     *
     * @return {@code false}, changing nothing, when the run is not running or the entry is not
     *     pending at that attempt (an unknown or spent token)
     */
    boolean resolvePending(String runId, long seq, int attempt, EntryState outcome, @Nullable String result,
            @Nullable FailureInfo failure);

    /** The runs owned by {@code node} flagged for a wake-up since the last call; their flags are cleared. */
    List<String> takeWakeRequests(String node);

    /**
     * Tells whichever node drives run {@code runId} that it has something new (a signal, a
     * completion), at once where the database has a channel for it; best effort: the wake request
     * the store recorded is read at the owner's next poll anyway.
     */
    void announceWake(String runId);

    /**
     * Starts hearing the wakes announced on this database, from any node: {@code onWake} gets run
     * ids, on a thread of the listener's. Returns what stops it, or {@code null} where the database
     * has no such channel (the engine then polls for wake requests often).
     */
    @Nullable AutoCloseable listenForWakes(Consumer<String> onWake);

    /**
     * Stores a signal for a running run and flags the run for a wake-up (a parked run becomes due
     * at once), in one transaction.
     */
    SignalDelivery sendSignal(NewSignal signal);

    /**
     * Creates the run if no run has its id and stores the signal for it; if the run exists and
     * runs, stores the signal for it; atomically either way.
     *
     * @return the delivery, with {@link SignalWithStart#started()} telling which happened
     */
    SignalWithStart signalWithStart(NewRun run, NewSignal signal);

    /** The oldest signal of that name the run has not consumed. */
    Optional<PendingSignal> nextSignal(String runId, String name);

    /**
     * Suspends a running run: it keeps its journal, loses its owner (whose writes are refused from
     * now on: the epoch rises) and is not claimed until {@link #unsuspend(String)}.
     *
     * @return the run's status before the call, or empty when no run has that id
     */
    Optional<WorkflowStatus> suspend(String runId);

    /** Makes a suspended run running again, unowned, so that it can be claimed at once. */
    boolean unsuspend(String runId);

    /**
     * Checks that the store's tables exist, before an engine takes up any run.
     *
     * @throws dev.weft.failure.MissingTablesException naming the tables not found and the script that creates them
     */
    void checkSchema();

    /**
     * Registers a worker node under {@code nodeId}, refusing while another node with that id is
     * alive: its heartbeat, on the database clock, younger than {@code staleAfter}. The row of a
     * node that stopped beating for longer (a crashed process) is taken over.
     *
     * @param host the host the node runs on, to name it to a node refused later; {@code null} if unknown
     * @param pid the node's process id, likewise
     * @throws dev.weft.failure.NodeIdInUseException when a live node holds the id
     */
    void registerNode(String nodeId, @Nullable String host, @Nullable Long pid, Duration staleAfter);

    /** Sets the node's heartbeat to the database's now; {@code false} when its row is gone. */
    boolean heartbeatNode(String nodeId);

    /** Removes the node's row, at a clean shutdown: its id is free again at once. */
    void removeNode(String nodeId);

    /**
     * The visibility queries over this store's runs, for the engine's read API: the kernel never
     * calls them. A store that answers none keeps this default, and the engine's read API then
     * refuses listings and counts.
     */
    default VisibilityStore visibility() {
        throw new UnsupportedOperationException(getClass().getName() + " answers no visibility queries");
    }

    /**
     * The task queues over this store's runs, for activities called with a queue. A store without
     * them keeps this default, and the engine then refuses queued activities.
     */
    default TaskStore tasks() {
        throw new UnsupportedOperationException(getClass().getName() + " has no task queues");
    }
}
