package dev.weft.internal;

import static dev.weft.WeftEngine.RECOVERY_BATCH;
import dev.weft.LogCategories;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.WakeReason;
import dev.weft.failure.StoreException;
import dev.weft.store.ConcurrencyGroup;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunClaim;
import dev.weft.store.ClaimedTask;
import dev.weft.store.RunRecord;
import dev.weft.store.TaskOutcome;
import dev.weft.store.WorkflowStore;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs this engine drives: starts their executions (new, claimed or recovered), replaces a
 * stale one, refuses a run of a version it cannot replay, and, when an execution exits, lets the
 * run go or parks it until its wait ends.
 */
final class RunDriver implements LeaseKeeper.LeasedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final RunEnvironment services;
    private final EngineState state;
    private final Instant incarnationStart;
    private final ConcurrentHashMap<String, RunExecution> active = new ConcurrentHashMap<>();
    private final ParkedRuns parked;
    private final ReentrantLock claimLock = new ReentrantLock();
    private final boolean worker;
    /** The concurrency key of each execution whose run has one: its end frees a slot. */
    private final ConcurrentHashMap<RunExecution, ConcurrencyGroup> limited = new ConcurrentHashMap<>();
    private final Admissions admissions;
    private final GivenUpRuns givenUp;
    private final CrossNodeWaker elsewhere;
    private final VersionMismatchEnding versionMismatch;

    /**
     * @param incarnationStart when this engine began (database time): runs of its node id from before are recoverable
     * @param worker whether this engine drives runs (a client-only engine never takes one up)
     */
    RunDriver(RunEnvironment services, EngineState state, Instant incarnationStart, boolean worker) {
        this.services = services;
        this.state = state;
        this.incarnationStart = incarnationStart;
        this.worker = worker;
        this.parked = new ParkedRuns(services.time(), state, this::takeUpParked);
        this.admissions = new Admissions(services.store(), this::wake);
        this.givenUp = new GivenUpRuns(services.store(), services.settings().nodeId(), services.settings().lease(), this::resume);
        this.versionMismatch = new VersionMismatchEnding(services);
        this.elsewhere = new CrossNodeWaker(services.store(), services.registry(), services.settings().nodeId(), state,
                active::containsKey, id -> takeUpParked(id, WakeReason.REQUEST));
    }

    /**
     * Drives a run whose row this engine has just created (epoch as created); returns when its execution ends.
     *
     * @param group the run's concurrency key, or {@code null}
     */
    CompletableFuture<?> driveNew(WorkflowDefinition<?, ?> definition, String id, String inputJson, long epoch,
            @Nullable Instant deadline, @Nullable String parentId, int depth, @Nullable ConcurrencyGroup group) {
        RunExecution execution = new RunExecution(services,
                new RunSpec(id, definition, inputJson, epoch, List.of(), deadline, parentId, depth), this::exited);
        trackLimited(execution, group);
        active.put(id, execution);
        execution.start();
        return execution.end();
    }

    /** Claims recoverable runs of the registered types, batch after batch, and drives each. */
    List<String> claimAndDrive(Instant wakeDueBy) {
        claimLock.lock();
        try {
            List<String> recovered = new ArrayList<>();
            ClaimPass pass = new ClaimPass(services.settings().nodeId(), wakeDueBy.equals(WorkflowStore.FAR_FUTURE));
            List<String> types = List.copyOf(services.registry().workflowTypes());
            if (types.isEmpty()) {
                return recovered;
            }
            WorkflowStore store = services.store();
            List<RunClaim> claims;
            do {
                claims = store.claimRecoverable(services.settings().nodeId(), incarnationStart, wakeDueBy, types, services.settings().lease(), RECOVERY_BATCH);
                // Read the whole batch's runs and journals at once: run by run, recovery is a round trip per read.
                List<String> ids = claims.stream().map(RunClaim::runId).toList();
                Map<String, RunRecord> runs = store.findRuns(ids);
                Map<String, List<JournalEntry>> journals = store.loadJournals(ids);
                for (RunClaim claim : claims) {
                    drive(claim, runs.get(claim.runId()), journals.getOrDefault(claim.runId(), List.of()),
                            pass.taken(claim, services.time().now()));
                    recovered.add(claim.runId());
                }
            } while (claims.size() == RECOVERY_BATCH && !state.isPaused());
            pass.log();
            return recovered;
        } finally {
            claimLock.unlock();
        }
    }

    /**
     * The periodic adoption: starts what queues can start, then claims what lapsed (those runs
     * among them), without the report (and its warning) of a full recovery.
     */
    @Override
    public void adoptLapsed() {
        if (!state.isPaused()) {
            admissions.admitAll();
            // Parked runs are taken when due: their own engine's timer usually takes them first.
            claimAndDrive(services.time().now());
        }
    }

    /** Drives a run this engine has just claimed to resume it, reading it and its journal first. */
    void resume(RunClaim claim) {
        drive(claim, services.store().findRun(claim.runId()).orElse(null), null,
                new EngineEvent.WorkflowRecovered(services.time().now(), claim.runId(), claim.type(), claim.epoch()));
    }

    /**
     * @param run the claimed run as read after the claim ({@code null} if it is gone)
     * @param journal its journal as read after the claim, or {@code null} to read it here
     * @param takenUp the event that says why the run was taken up, emitted when its execution starts
     */
    private void drive(RunClaim claim, @Nullable RunRecord run, @Nullable List<JournalEntry> journal, EngineEvent takenUp) {
        RunExecution stale = active.get(claim.runId());
        if (stale != null) {
            if (stale.epoch() >= claim.epoch()) {
                return;
            }
            // This engine reclaimed a run it still drives (its lease lapsed while renewals failed): the
            // claim raised the epoch, so the old execution can write nothing. Left in place, it would keep
            // the lease renewed while the run makes no progress; it is replaced by one under the new epoch.
            stale.abandon();
            active.remove(claim.runId(), stale);
        }
        if (run == null) {
            throw MissingRun.error(claim.runId());
        }
        WorkflowDefinition<?, ?> definition = services.registry().workflow(claim.type());
        if (journal == null) {
            journal = services.store().loadJournal(claim.runId());
        }
        if (VersionMismatchEnding.mismatches(definition, run.version())) {
            versionMismatch.fail(claim, definition, run.version());
            return;
        }
        RunExecution execution = new RunExecution(services, new RunSpec(claim.runId(), definition, run.input(), claim.epoch(),
                journal, run.deadline(), run.parentId(), run.depth()), this::exited);
        if (claim.cancelRequested()) {
            execution.cancel();
        }
        trackLimited(execution, run.concurrencyKey() == null ? null : new ConcurrencyGroup(run.type(), run.concurrencyKey()));
        active.put(claim.runId(), execution);
        services.events().emit(takenUp);
        execution.start();
    }

    private void trackLimited(RunExecution execution, @Nullable ConcurrencyGroup group) {
        if (group != null) {
            limited.put(execution, group);
        }
    }

    /** Starts queued runs of {@code group} in the slots free now, soon and on a thread of its own; see {@link Admissions}. */
    void admitSoon(ConcurrencyGroup group) {
        admissions.admitSoon(group);
    }

    private void exited(RunExecution execution) {
        ConcurrencyGroup group = limited.remove(execution);
        if (group != null && execution.endedWith() instanceof RunEnd.Finished) {
            // the end is committed: its slot is free for the next queued run of the key
            admissions.admitSoon(group);
        }
        if (execution.endedWith() instanceof RunEnd.Parked(Instant wakeAt) && !state.isPaused()) {
            // The wake is scheduled before the run leaves `active`: a signal landing meanwhile finds
            // the execution (and wakes it) or the timer (and fires it), never neither.
            CompletableFuture<WakeReason> timer = parked.scheduleWake(execution.runId(), wakeAt);
            active.remove(execution.runId(), execution);
            if (execution.parking().wokenWhileParking()) {
                // A signal or cancellation landed while the run was parking: take it up at once.
                timer.complete(WakeReason.REQUEST);
            }
        } else {
            active.remove(execution.runId(), execution);
        }
        if (execution.parentId() != null && execution.endedWith() instanceof RunEnd.Finished) {
            wake(execution.parentId());
        }
    }

    /**
     * Claims a parked run and drives it. A database that does not answer is the caller's to retry
     * ({@link StoreException}): the claim is safe to repeat, a second one raises the epoch again.
     */
    private void takeUpParked(String id, WakeReason reason) {
        try {
            services.store().claim(id, services.settings().nodeId(), services.settings().lease()).ifPresent(claim -> drive(claim,
                    services.store().findRun(id).orElse(null), null,
                    new EngineEvent.WorkflowWoken(services.time().now(), id, claim.type(), claim.epoch(), reason)));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Could not take up parked run {}; adoption will", id, e);
        }
    }

    /**
     * Wakes a run that a signal, completion or cancellation reached: driven or parked here, it is
     * woken at once. A run that another node parked (nobody holds it) is taken up by this node now,
     * instead of waiting for the next adoption pass, which may never come when adoption is off. A
     * run that another live node drives is told through the store's wake channel (PostgreSQL's
     * notifications), or finds the wake request at that node's next poll.
     */
    public void wake(String id) {
        if (!wakeIfHere(id) && worker && !state.isPaused()) {
            elsewhere.wakeSoon(id);
        }
    }

    /**
     * Hands the committed outcome of a queued attempt to the run if this engine drives it (it then
     * need not read its journal entry again), and wakes the run wherever it is.
     */
    void deliver(TaskOutcome committed) {
        ClaimedTask task = committed.task();
        RunExecution execution = active.get(task.runId());
        AttemptOutcome outcome = switch (committed.state()) {
            case COMPLETED -> new AttemptOutcome.Succeeded(committed.resultJson(), true);
            case ATTEMPT_FAILED -> new AttemptOutcome.Failed(committed.failure());
            // pending on its token: the run waits on, for the completion by token
            default -> null;
        };
        if (execution != null && outcome != null) {
            execution.wakeups().deliver(task.seq(), task.attempt(), outcome);
        } else {
            wake(task.runId());
        }
    }

    /**
     * Wakes a run only if this engine drives or parked it: another node announced the wake, or
     * left a wake request. A cancellation asked for elsewhere comes this way too, so a run driven
     * here is cancelled at once when its row says so, not at the next poll for cancellations.
     */
    @Override
    public void wakeHere(String id) {
        RunExecution execution = active.get(id);
        if (execution != null) {
            try {
                if (services.store().findRun(id).map(RunRecord::cancelRequested).orElse(false)) {
                    execution.cancel();
                }
            } catch (RuntimeException e) {
                LOG.debug("Could not read whether run {} is to be cancelled; the next poll will", id, e);
            }
        }
        wakeIfHere(id);
    }

    private boolean wakeIfHere(String id) {
        RunExecution execution = active.get(id);
        if (execution != null) {
            execution.wakeups().wake();
            return true;
        }
        return parked.wake(id);
    }

    @Override
    public void cancelLocally(String id) {
        RunExecution execution = active.get(id);
        if (execution != null) {
            execution.cancel();
        }
    }

    /**
     * Stops driving every run without releasing it: this node's leases lapsed and others may hold
     * them now. The runs are remembered, to be taken back once renewals get through again.
     */
    @Override
    public void abandonAll() {
        List<RunExecution> driven = List.copyOf(active.values());
        givenUp.add(driven.stream().filter(execution -> !execution.isAbandoned()).map(RunExecution::runId).toList());
        driven.forEach(RunExecution::abandon);
    }

    @Override
    public void takeBackGivenUp() {
        if (!givenUp.isEmpty() && !state.isPaused() && !state.isClosed()) {
            givenUp.takeBack();
        }
    }

    /**
     * The runs whose leases to renew: an execution given up (its thread may still hang in a write
     * that the network holds) drives nothing, and renewing its lease would only keep others from
     * adopting the run.
     */
    @Override
    public List<String> drivenRunIds() {
        return active.values().stream().filter(execution -> !execution.isAbandoned()).map(RunExecution::runId).toList();
    }

    /** The execution of a run this engine drives now, or {@code null}. */
    @Nullable RunExecution driven(String id) {
        return active.get(id);
    }

    /** Completes when this engine's execution of the run ends; {@code null} if it drives none. */
    @Nullable CompletableFuture<?> localEnd(String id) {
        RunExecution execution = active.get(id);
        return execution != null ? execution.end() : null;
    }

    /** A snapshot of the executions this engine drives now. */
    List<RunExecution> drivenRuns() {
        return new ArrayList<>(active.values());
    }

    /** Stops driving a run that was suspended, parked or not, without writing anything. */
    void suspendLocally(String id) {
        RunExecution execution = active.get(id);
        if (execution != null) {
            execution.abandon();
        }
        parked.forget(id);
    }

    /** Forgets a parked run's timer: the run is about to be claimed and driven by other means. */
    void forgetParked(String id) {
        parked.forget(id);
    }

    /** Forgets every parked run: the engine hands its runs back. */
    void forgetAllParked() {
        parked.forgetAll();
    }

    int activeCount() {
        return active.size();
    }

    int parkedCount() {
        return parked.count();
    }
}
