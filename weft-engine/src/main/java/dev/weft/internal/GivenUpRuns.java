package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.StoreException;
import dev.weft.store.RunClaim;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs this node stopped driving because its leases were about to lapse (no renewal got
 * through), to take back once renewals get through again. Without this, a node whose periodic
 * adoption is off would leave them running and unowned until a restart: no other node adopts them
 * either. With adoption on it only comes sooner than the adoption pass.
 */
final class GivenUpRuns {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final WorkflowStore store;
    private final String node;
    private final Duration lease;
    private final Consumer<RunClaim> drive;

    /** @param drive drives a run this node has just claimed again */
    GivenUpRuns(WorkflowStore store, String node, Duration lease, Consumer<RunClaim> drive) {
        this.store = store;
        this.node = node;
        this.lease = lease;
        this.drive = drive;
    }

    void add(Collection<String> given) {
        ids.addAll(given);
    }

    boolean isEmpty() {
        return ids.isEmpty();
    }

    /**
     * Claims each run given up that is still this node's or has lapsed, and drives it; a run that
     * another live node holds now, or that ended, is left alone. While the database is still away
     * the rest wait for the next pass.
     */
    void takeBack() {
        int taken = 0;
        for (String id : List.copyOf(ids)) {
            Optional<RunClaim> claim;
            try {
                claim = store.claim(id, node, lease);
            } catch (StoreException e) {
                LOG.debug("Could not take back run {} yet: {}", id, e.getMessage());
                break;
            }
            ids.remove(id);
            if (claim.isPresent()) {
                drive.accept(claim.get());
                taken++;
            }
        }
        if (taken > 0) {
            LOG.info("Node {} took back {} runs it had stopped driving while its leases could not be renewed", node, taken);
        }
    }
}
