package dev.weft.bench;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.workflow.Workflow;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** The code behind the proxy DBOS makes of {@link DbosFlows}. */
    final class Code implements DbosFlows {

        /** Naps that reached their sleep in this process (its checkpoint may still be on its way). */
        static final AtomicInteger NAPS_ENTERED = new AtomicInteger();

        private final DBOS dbos;

        Code(DBOS dbos) {
            this.dbos = dbos;
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
    }
}
