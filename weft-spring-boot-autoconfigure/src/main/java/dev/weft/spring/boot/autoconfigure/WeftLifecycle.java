package dev.weft.spring.boot.autoconfigure;

import dev.weft.RecoveryReport;
import dev.weft.WeftEngine;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Weft's work once every workflow and activity is registered, by taking up the runs this
 * node can drive (its own from before a restart, and those whose owner's lease lapsed), and at
 * shutdown stops taking work, lets in-flight activity attempts finish within the shutdown timeout
 * and hands the remaining runs back for another node to adopt.
 *
 * <p>It starts early and stops late (phase {@value #PHASE}), so that a web server stops taking
 * requests that start workflows before the engine closes.
 */
public class WeftLifecycle implements SmartLifecycle {

    /** Before the web server's phases: started before it, stopped after it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log LOG = LogFactory.getLog(WeftLifecycle.class);

    private final WeftEngine engine;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    public WeftLifecycle(WeftEngine engine, Duration shutdownTimeout) {
        this.engine = engine;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        if (engine.isPaused()) {
            // A context stopped and started again (as the test framework does with cached contexts).
            engine.unpause();
        }
        running = true;
        if (!engine.isWorker()) {
            LOG.info("Weft node " + engine.nodeId() + " is client-only (weft.worker.enabled=false): it drives no runs");
            return;
        }
        RecoveryReport report = engine.recoverAll();
        LOG.info("Weft node " + engine.nodeId() + " started; took up " + report.recovered().size() + " unfinished runs");
        if (report.unregisteredCount() > 0) {
            LOG.warn("Weft node " + engine.nodeId() + " left " + report.unregisteredCount()
                    + " unfinished runs of workflow types not registered here for other nodes: " + report.unregisteredTypes());
        }
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            LOG.info("Weft node " + engine.nodeId() + " stopping; waiting up to " + shutdownTimeout + " for "
                    + engine.activeRunCount() + " runs' in-flight activities");
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
