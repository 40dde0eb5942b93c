package dev.weft.spring.boot.autoconfigure;

import dev.weft.LogCategories;
import dev.weft.RecoveryReport;
import dev.weft.WeftEngine;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Weft's work once every workflow and activity is registered, by taking up the runs this
 * node can drive (its own from before a restart, and those whose owner's lease lapsed), and at
 * shutdown stops taking work, lets in-flight activity attempts finish within the shutdown timeout
 * and hands the remaining runs back for another node to adopt.
 *
 * <p>At start it writes one INFO line under {@link LogCategories#ENGINE}: the node id, the
 * database platform, whether the schema was created or found, the registered workflows and
 * activities, and the runs taken up.
 *
 * <p>It starts early and stops late (phase {@value #PHASE}), so that a web server stops taking
 * requests that start workflows before the engine closes.
 */
public class WeftLifecycle implements SmartLifecycle {

    /** Before the web server's phases: started before it, stopped after it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final WeftEngine engine;
    private final Duration shutdownTimeout;
    private final Supplier<String> storeDescription;
    private volatile boolean running;

    public WeftLifecycle(WeftEngine engine, Duration shutdownTimeout) {
        this(engine, shutdownTimeout, () -> "an application-provided store");
    }

    /** @param storeDescription the database and schema as the start-up line names them, read when the node starts */
    public WeftLifecycle(WeftEngine engine, Duration shutdownTimeout, Supplier<String> storeDescription) {
        this.engine = engine;
        this.shutdownTimeout = shutdownTimeout;
        this.storeDescription = storeDescription;
    }

    @Override
    public void start() {
        if (engine.isPaused()) {
            // A context stopped and started again (as the test framework does with cached contexts).
            engine.unpause();
        }
        running = true;
        if (!engine.isWorker()) {
            LOG.info("Weft node {} started client-only (weft.worker.enabled=false) on {}: it drives no runs", engine.nodeId(),
                    storeDescription.get());
            return;
        }
        RecoveryReport report = engine.recoverAll();
        LOG.info("Weft node {} started on {}; workflows {}; activities {}; took up {} unfinished runs", engine.nodeId(),
                storeDescription.get(), engine.workflowTypes(), engine.activityNames(), report.recovered().size());
        if (report.unregisteredCount() > 0) {
            LOG.warn("Weft node {} left {} unfinished runs of workflow types not registered here for other nodes: {}", engine.nodeId(),
                    report.unregisteredCount(), report.unregisteredTypes());
        }
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            LOG.info("Weft node {} stopping; waiting up to {} for {} runs' in-flight activities", engine.nodeId(), shutdownTimeout,
                    engine.activeRunCount());
            // Paused, not closed: the context may start again; the engine's own close at the
            // context's end finishes the shutdown.
            engine.pause(shutdownTimeout);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
