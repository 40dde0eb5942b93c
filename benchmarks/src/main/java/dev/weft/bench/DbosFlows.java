package dev.weft.bench;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.workflow.Workflow;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The workloads' workflow shapes written for the peer DBOS Java: the same no-op steps as {@link Flows},
 * each a {@code runStep} (one checkpoint row in DBOS's {@code operation_outputs}).
 */
interface DbosFlows {

    /** W1 and W2: {@code count} no-op steps, each handing its value to the next. */
    Integer steps(Integer input, Integer count);

    /** W3: step 1 (counted), step 2 (held by {@link Flows#stepTwoGate}), a no-op. */
    Integer recoverable(Integer input) throws InterruptedException;

    /** W4: a durable sleep of an hour. */
    Integer nap(Integer input);

    /**
     * W7: {@code count} no-op steps, each through the queue {@value DbosPeer#QUEUE}. DBOS Java queues
     * workflows, not steps, so each step is a child workflow enqueued there, whose result the parent
     * waits for: DBOS's documented way to run a workflow's work on a queue.
     */
    Integer queuedSteps(Integer input, Integer count);

    /** W7's queued step: records its dispatch latency, from {@code calledAt} (the parent's call) to its start. */
    Long queuedNoop(Long calledAt);

    /** The code behind the proxy DBOS makes of {@link DbosFlows}. */
    final class Code implements DbosFlows {

        /** Naps that reached their sleep in this process (its checkpoint may still be on its way). */
        static final AtomicInteger NAPS_ENTERED = new AtomicInteger();

        private final DBOS dbos;

        /** The proxy DBOS made of this object, through which a queued step must be started. */
        private volatile @Nullable DbosFlows proxy;

        Code(DBOS dbos) {
            this.dbos = dbos;
        }

        /** Hands over the proxy {@code registerProxy} returned, once it exists. */
        void proxiedAs(DbosFlows proxy) {
            this.proxy = proxy;
        }

        @Override
        @Workflow(name = "steps")
        public Integer steps(Integer input, Integer count) {
            Integer value = input;
            for (int i = 0; i < count; i++) {
                Integer previous = value;
                value = dbos.runStep(() -> Flows.noop(previous), Flows.NOOP);
            }
            return value;
        }

        @Override
        @Workflow(name = "recoverable")
        public Integer recoverable(Integer input) throws InterruptedException {
            Integer one = dbos.runStep(() -> {
                Flows.STEP_ONE_EXECUTIONS.incrementAndGet();
                return input;
            }, Flows.STEP_ONE);
            Integer two = dbos.runStep(() -> {
                Flows.stepTwoGate.await();
                return one;
            }, Flows.STEP_TWO);
            return dbos.runStep(() -> Flows.noop(two), Flows.NOOP);
        }

        @Override
        @Workflow(name = "nap")
        public Integer nap(Integer input) {
            NAPS_ENTERED.incrementAndGet();
            dbos.sleep(Duration.ofHours(1));
            return input;
        }

        @Override
        @Workflow(name = "queuedSteps")
        public Integer queuedSteps(Integer input, Integer count) {
            DbosFlows self = Objects.requireNonNull(proxy, "proxy");
            StartWorkflowOptions queued = new StartWorkflowOptions().withQueue(DbosPeer.QUEUE);
            for (int i = 0; i < count; i++) {
                // taken before the call, as the engine's workflow takes it as the activity's argument
                long calledAt = System.nanoTime();
                dbos.startWorkflow(() -> self.queuedNoop(calledAt), queued).getResult();
            }
            return input;
        }

        @Override
        @Workflow(name = "queuedNoop")
        public Long queuedNoop(Long calledAt) {
            QueueThroughput.recordDispatch(calledAt);
            return calledAt;
        }
    }
}
