package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.RecoveryReport;
import dev.weft.WorkflowStatus;
import dev.weft.failure.RunOwnedElsewhereException;
import dev.weft.store.RunClaim;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes up runs nobody drives: all of them at start-up (with a report of those left for engines
 * that know their types), or one by id on request, a suspended one included.
 */
final class RunRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final WorkflowStore store;
    private final Registry registry;
    private final EngineState state;
    private final LeaseSettings lease;
    private final boolean worker;
    private final Instant incarnationStart;
    private final RunDriver driver;

    RunRecovery(WorkflowStore store, Registry registry, EngineState state, LeaseSettings lease, boolean worker, Instant incarnationStart,
            RunDriver driver) {
        this.store = store;
        this.registry = registry;
        this.state = state;
        this.lease = lease;
        this.worker = worker;
        this.incarnationStart = incarnationStart;
        this.driver = driver;
    }

    RecoveryReport recoverAll() {
        state.ensureOpen();
        if (!worker) {
            return new RecoveryReport(List.of(), Map.of());
        }
        List<String> recovered = driver.claimAndDrive(WorkflowStore.FAR_FUTURE);
        List<String> types = List.copyOf(registry.workflowTypes());
        Map<String, Long> unregistered = store.countRecoverableOfOtherTypes(lease.nodeId(), incarnationStart, types);
        if (!unregistered.isEmpty()) {
            LOG.warn("Runs of workflow types not registered on node {} were left for another node: {}", lease.nodeId(), unregistered);
        }
        return new RecoveryReport(recovered, unregistered);
    }

    /** Takes up one run unless it has ended or is driven here already; the caller then hands out a handle on it. */
    void resume(String id) {
        state.ensureOpen();
        if (!worker) {
            throw new IllegalStateException("this WeftEngine is client-only (worker(false)) and drives no runs");
        }
        RunRecord run = store.findRun(id).orElseThrow(() -> MissingRun.error(id));
        if (run.status().isTerminal() || run.status() == WorkflowStatus.QUEUED) {
            // a queued run starts when its concurrency key admits it, not on request
            return;
        }
        // A run suspended a moment ago may still have its abandoned execution here: the claim below
        // raises the epoch and drive() replaces it.
        if (run.status() == WorkflowStatus.RUNNING && driver.driven(id) != null) {
            return;
        }
        driver.forgetParked(id);
        registry.workflow(run.type());
        if (run.status() == WorkflowStatus.SUSPENDED) {
            store.unsuspend(id);
        }
        RunClaim claim = store.claim(id, lease.nodeId(), lease.lease())
                .orElseThrow(() -> new RunOwnedElsewhereException("Workflow '" + id + "' is driven by node '" + run.owner()
                        + "', whose lease has not lapsed"));
        driver.resume(claim);
    }
}
