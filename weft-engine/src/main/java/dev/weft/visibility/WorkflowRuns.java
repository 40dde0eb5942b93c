package dev.weft.visibility;

import dev.weft.WorkflowStatus;
import dev.weft.client.PageRequest;
import dev.weft.client.WorkflowFilter;
import dev.weft.failure.StoreException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunQuery;
import dev.weft.store.RunRecord;
import dev.weft.store.VisibilityStore;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's read API for runs ({@link dev.weft.WeftEngine#runs()}): look-ups, listings, counts
 * and histories for web, Actuator, consoles and clients, so that none of them reaches into the
 * storage SPI. It also removes finished runs, the one write readers make. Everything is read from
 * the database, so it covers the runs of every node sharing it.
 */
public final class WorkflowRuns {

    private final WorkflowStore store;

    /** The read API over {@code store}; the engine builds one on its own store. */
    public WorkflowRuns(WorkflowStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The run with that id, if there is one. */
    public Optional<WorkflowRun> find(String id) {
        return store.findRun(id).map(WorkflowRuns::run);
    }

    /**
     * The run with that id.
     *
     * @throws WorkflowNotFoundException when no run has that id
     */
    public WorkflowRun get(String id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    /** The steps a run has taken, in order; empty when it has taken none or no run has that id. */
    public List<WorkflowStep> history(String id) {
        return store.loadJournal(id).stream().map(WorkflowRuns::step).toList();
    }

    /** A page of the runs matching {@code filter}, newest first, and how many match in all. */
    public WorkflowRunPage list(WorkflowFilter filter, PageRequest page) {
        RunQuery query = new RunQuery(filter.statuses(), filter.type(), page.offset(), page.limit());
        VisibilityStore visibility = store.visibility();
        List<WorkflowRun> items = visibility.listRuns(query).stream().map(WorkflowRuns::run).toList();
        return new WorkflowRunPage(items, visibility.countRuns(query), page.offset(), page.limit());
    }

    /** How many runs match {@code filter}. */
    public long count(WorkflowFilter filter) {
        return store.visibility().countRuns(new RunQuery(filter.statuses(), filter.type(), 0, 1));
    }

    /** The number of runs in each status; statuses with no run are absent. */
    public Map<WorkflowStatus, Long> countByStatus() {
        return store.visibility().countByStatus();
    }

    /**
     * How many running runs have had no live owner for longer than {@code beyond}: their lease
     * lapsed that long ago and no node adopted them (runs of dead nodes, or of types no live node
     * registers).
     */
    public long countOverdue(Duration beyond) {
        return store.visibility().countOverdue(beyond);
    }

    /**
     * The database's clock, read afresh: a reachability check for health.
     *
     * @throws StoreException when the database does not answer
     */
    public Instant databaseTime() {
        return store.databaseTime();
    }

    /**
     * Removes a finished run and its history.
     *
     * @throws WorkflowNotTerminalException when the run is still running or suspended (nothing is removed)
     * @throws WorkflowNotFoundException when no run has that id
     */
    public void delete(String id) {
        switch (store.visibility().deleteRun(id)) {
            case DELETED -> { }
            case STILL_RUNNING -> throw new WorkflowNotTerminalException(id);
            case NOT_FOUND -> throw notFound(id);
        }
    }

    private static WorkflowRun run(RunRecord run) {
        return new WorkflowRun(run.id(), run.type(), run.status(), run.input(), run.result(), run.failure(), run.owner(),
                run.epoch(), run.leaseExpiresAt(), run.cancelRequested(), run.createdAt(), run.completedAt(), run.deadline(),
                run.version(), run.parentId(), run.depth(), run.restartedFrom());
    }

    private static WorkflowStep step(JournalEntry entry) {
        return new WorkflowStep(entry.seq(), kind(entry), entry.name(), state(entry), entry.attempt(), entry.scheduledAt(),
                entry.dueAt(), entry.result(), entry.failure());
    }

    // Exhaustive switches: a kind or state added to the SPI fails compilation here until readers can see it.
    private static WorkflowStep.Kind kind(JournalEntry entry) {
        return switch (entry.kind()) {
            case ACTIVITY -> WorkflowStep.Kind.ACTIVITY;
            case SLEEP -> WorkflowStep.Kind.SLEEP;
            case GROUP -> WorkflowStep.Kind.GROUP;
            case VALUE -> WorkflowStep.Kind.VALUE;
            case SIGNAL -> WorkflowStep.Kind.SIGNAL;
            case VERSION -> WorkflowStep.Kind.VERSION;
            case CHILD -> WorkflowStep.Kind.CHILD;
            case CHILD_RESULT -> WorkflowStep.Kind.CHILD_RESULT;
        };
    }

    private static WorkflowStep.State state(JournalEntry entry) {
        return switch (entry.state()) {
            case WAITING -> WorkflowStep.State.WAITING;
            case PENDING -> WorkflowStep.State.PENDING;
            case QUEUED -> WorkflowStep.State.QUEUED;
            case ATTEMPT_FAILED -> WorkflowStep.State.ATTEMPT_FAILED;
            case COMPLETED -> WorkflowStep.State.COMPLETED;
            case FAILED -> WorkflowStep.State.FAILED;
        };
    }

    private static WorkflowNotFoundException notFound(String id) {
        return new WorkflowNotFoundException("Workflow '" + id + "' not found");
    }
}
