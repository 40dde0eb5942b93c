package dev.weft.soak;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.failure.WorkflowAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits the soak's runs at a steady rate through a client-only engine (its runs are adopted by
 * the nodes), and sends each run its signal. A run is acknowledged when {@code start} returned, or
 * when a retry found it already there (an earlier try was committed although its answer was lost).
 * Starts and signals that fail (the database is restarting) are tried again until they succeed.
 * Every signal carries the run id as its signal id, so a retried signal is delivered once.
 */
final class Submitter {

    private final WeftEngine client;
    private final SoakSettings settings;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Deque<String> startsToRetry = new ArrayDeque<>();
    private final Deque<String> signalsToRetry = new ArrayDeque<>();
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicInteger failedStarts = new AtomicInteger();
    private final AtomicInteger failedSignals = new AtomicInteger();

    Submitter(WeftEngine client, SoakSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Submits every run at the settings' rate (catching up after a stall), then retries what failed until none is left. */
    void submitAll() throws InterruptedException {
        long startNanos = System.nanoTime();
        long intervalNanos = (long) (1_000_000_000L / settings.ratePerSecond());
        for (int i = 0; i < settings.runs(); i++) {
            long dueNanos = startNanos + i * intervalNanos;
            long waitNanos = dueNanos - System.nanoTime();
            if (waitNanos > 0) {
                Thread.sleep(Duration.ofNanos(waitNanos));
            }
            submitted.incrementAndGet();
            start(runId(i));
            retrySome();
        }
        while (!startsToRetry.isEmpty() || !signalsToRetry.isEmpty()) {
            Thread.sleep(200);
            retrySome();
        }
    }

    static String runId(int index) {
        return "soak-%06d".formatted(index);
    }

    Set<String> acknowledged() {
        return acknowledged;
    }

    int submitted() {
        return submitted.get();
    }

    int failedStarts() {
        return failedStarts.get();
    }

    int failedSignals() {
        return failedSignals.get();
    }

    private void start(String id) {
        try {
            client.start(SoakWorkflow.TYPE, id, StartOptions.withId(id));
        } catch (WorkflowAlreadyExistsException e) {
            // an earlier try was committed although it failed for us
        } catch (RuntimeException e) {
            failedStarts.incrementAndGet();
            startsToRetry.addLast(id);
            return;
        }
        acknowledged.add(id);
        signal(id);
    }

    private void signal(String id) {
        try {
            client.signal(id, SoakWorkflow.SIGNAL, SoakWorkflow.SIGNAL, id);
        } catch (RuntimeException e) {
            failedSignals.incrementAndGet();
            signalsToRetry.addLast(id);
        }
    }

    /** A few retries per submission, so a backlog drains without stalling the rate. */
    private void retrySome() {
        for (int i = 0; i < 5 && !startsToRetry.isEmpty(); i++) {
            start(startsToRetry.pollFirst());
        }
        for (int i = 0; i < 5 && !signalsToRetry.isEmpty(); i++) {
            signal(signalsToRetry.pollFirst());
        }
    }
}
