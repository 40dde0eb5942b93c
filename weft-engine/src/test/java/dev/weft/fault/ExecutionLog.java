package dev.weft.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the activities of every node in this JVM did, kept by the activities themselves: when each
 * execution began, when its node told it to stop (its cancellation signal fired) and when it
 * returned or threw. Every node runs in this JVM, so one monotonic clock orders them all.
 */
final class ExecutionLog {

    /** One execution of an activity attempt on one node. */
    static final class Execution {

        final String node;
        final String runId;
        final String step;
        final long startNanos = System.nanoTime();
        private volatile long stopSignalNanos;
        private volatile @Nullable Instant stopSignalAt;
        private volatile long endNanos;
        private volatile boolean returned;

        private Execution(String node, String runId, String step) {
            this.node = node;
            this.runId = runId;
            this.step = step;
        }

        /** Called from the activity's cancellation callback. */
        void markStopSignalled() {
            stopSignalAt = Instant.now();
            stopSignalNanos = System.nanoTime();
        }

        /** Called as the activity returns ({@code returned}) or throws. */
        void ended(boolean returned) {
            this.returned = returned;
            endNanos = System.nanoTime();
        }

        boolean ended() {
            return endNanos != 0;
        }

        boolean returned() {
            return returned;
        }

        boolean stopSignalled() {
            return stopSignalAt != null;
        }

        /** The wall-clock time its cancellation signal fired: comparable with the database's lease times on this host. */
        @Nullable Instant stopSignalAt() {
            return stopSignalAt;
        }

        @Override
        public String toString() {
            return step + " of " + runId + " on " + node + (returned ? " (returned)" : ended() ? " (threw)" : " (running)");
        }
    }

    private final List<Execution> executions = new CopyOnWriteArrayList<>();

    Execution begin(String node, String runId, String step) {
        Execution execution = new Execution(node, runId, step);
        executions.add(execution);
        return execution;
    }

    List<Execution> all() {
        return List.copyOf(executions);
    }

    List<Execution> on(String node, String step) {
        return executions.stream().filter(execution -> execution.node.equals(node) && execution.step.equals(step)).toList();
    }

    /**
     * No two executions of one step of one run were under way at once: each began only after the one
     * before it had ended, and, when the one before was told to stop, after it was told.
     */
    void assertNoStepOverlapsItself() {
        Map<String, List<Execution>> bySteps = executions.stream()
                .collect(Collectors.groupingBy(execution -> execution.runId + "/" + execution.step));
        bySteps.forEach((step, ofStep) -> {
            List<Execution> ordered = ofStep.stream().sorted(Comparator.comparingLong(execution -> execution.startNanos)).toList();
            for (int i = 1; i < ordered.size(); i++) {
                Execution earlier = ordered.get(i - 1);
                Execution later = ordered.get(i);
                assertThat(earlier.ended()).as("%s was still under way when %s began", earlier, later).isTrue();
                assertThat(later.startNanos - earlier.endNanos).as("%s began before %s ended", later, earlier).isPositive();
                if (earlier.stopSignalled()) {
                    assertThat(later.startNanos - earlier.stopSignalNanos).as("%s began before %s was told to stop", later, earlier)
                            .isPositive();
                }
            }
        });
    }
}
