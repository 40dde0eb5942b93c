package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.WakeReason;
import dev.weft.store.RunClaim;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of claiming runs nobody drives, at start-up or in the periodic adoption: tells for each
 * claim whether the run was interrupted (a recovery) or only parked (a wake-up), and sums the pass
 * up in a few lines of counts rather than one line per run.
 */
final class ClaimPass {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final String nodeId;
    private final boolean startUp;
    private int ownFromBefore;
    private final Map<String, Integer> adoptedByOwner = new TreeMap<>();
    private int unowned;
    private int woken;

    /** @param startUp whether this is the pass of an engine starting (every parked run is taken), not a periodic adoption */
    ClaimPass(String nodeId, boolean startUp) {
        this.nodeId = nodeId;
        this.startUp = startUp;
    }

    /** The event that says why {@code claim} was taken up, counted in this pass. */
    EngineEvent taken(RunClaim claim, Instant now) {
        if (claim.parked()) {
            woken++;
            WakeReason reason = claim.wakeRequested() ? WakeReason.REQUEST : startUp ? WakeReason.ENGINE_START : WakeReason.TIMER;
            return new EngineEvent.WorkflowWoken(now, claim.runId(), claim.type(), claim.epoch(), reason);
        }
        String owner = claim.previousOwner();
        if (owner == null) {
            unowned++;
        } else if (owner.equals(nodeId)) {
            ownFromBefore++;
        } else {
            adoptedByOwner.merge(owner, 1, Integer::sum);
        }
        return new EngineEvent.WorkflowRecovered(now, claim.runId(), claim.type(), claim.epoch());
    }

    /** Writes the counts of the pass: INFO for recoveries and the wake-ups of a start, DEBUG for routine wake-ups. */
    void log() {
        if (ownFromBefore > 0) {
            LOG.info("Node {} took up {} of its runs after a restart", nodeId, ownFromBefore);
        }
        adoptedByOwner.forEach((owner, count) -> LOG.info("Node {} adopted {} runs from node {} whose lease lapsed", nodeId, count, owner));
        if (unowned > 0) {
            LOG.info("Node {} took up {} runs that another node handed back or that no node had driven yet", nodeId, unowned);
        }
        if (woken > 0) {
            if (startUp) {
                LOG.info("Node {} took up {} parked runs at start-up; each replays to its wait and parks again if it still waits",
                        nodeId, woken);
            } else {
                LOG.debug("Node {} woke {} parked runs whose wait came due", nodeId, woken);
            }
        }
    }
}
