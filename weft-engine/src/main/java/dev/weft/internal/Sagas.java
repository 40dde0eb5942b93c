package dev.weft.internal;

import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.workflow.Saga;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The sagas of one execution: which are open (nested ones innermost first), what each recorded,
 * and running a body as a saga. A compensation's own steps are never recorded as compensable.
 */
final class Sagas {

    private final PayloadSerializer serializer;
    private final LongSupplier currentPosition;
    /** Calls a compensating activity by name with its payload, as a durable step of the workflow. */
    private final BiConsumer<String, Object> callActivity;
    private final Deque<SagaScope> open = new ArrayDeque<>();
    private int compensating;

    Sagas(PayloadSerializer serializer, LongSupplier currentPosition, BiConsumer<String, Object> callActivity) {
        this.serializer = serializer;
        this.currentPosition = currentPosition;
        this.callActivity = callActivity;
    }

    /** Whether a completed step would be recorded now: a saga is open and no compensation is running. */
    synchronized boolean recording() {
        return !open.isEmpty() && compensating == 0;
    }

    /**
     * Records, in the innermost saga, the compensation of the activity step completed at
     * {@code position}: a call of {@code compensation} with the step's input and output.
     */
    synchronized void stepCompleted(long position, String compensation, String inputJson, @Nullable String resultJson) {
        if (open.isEmpty() || compensating > 0) {
            return;
        }
        open.peek().record(position, () -> callActivity.accept(compensation, payload(inputJson, resultJson)));
    }

    /** {@code {"input": ..., "output": ...}}, read back from the step's recorded JSON. */
    private Map<String, @Nullable Object> payload(String inputJson, @Nullable String resultJson) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("input", serializer.deserialize(inputJson, Object.class));
        payload.put("output", serializer.deserialize(resultJson, Object.class));
        return payload;
    }

    /** Runs {@code body} as a saga; see {@link dev.weft.workflow.WorkflowContext#saga}. */
    <R> @Nullable R run(Function<? super Saga, ? extends @Nullable R> body) {
        SagaScope scope = new SagaScope(currentPosition, this::runCompensation);
        push(scope);
        R result;
        try {
            result = body.apply(scope);
        } catch (WorkflowCancelledException | NonDeterministicWorkflowException notToCompensate) {
            pop(scope);
            throw notToCompensate;
        } catch (RuntimeException failure) {
            pop(scope);
            scope.compensateAll().forEach(failure::addSuppressed);
            throw failure;
        } catch (Error unwinding) {
            // the run parked or was given up: the journal keeps the saga's steps, a replay records them again
            pop(scope);
            throw unwinding;
        }
        pop(scope);
        SagaScope outer = enclosing();
        if (outer != null) {
            scope.handOverTo(outer);
        }
        return result;
    }

    private void runCompensation(Runnable compensation) {
        synchronized (this) {
            compensating++;
        }
        try {
            compensation.run();
        } finally {
            synchronized (this) {
                compensating--;
            }
        }
    }

    private synchronized void push(SagaScope scope) {
        open.push(scope);
    }

    private synchronized void pop(SagaScope scope) {
        open.remove(scope);
    }

    /** The innermost saga still open. */
    private synchronized @Nullable SagaScope enclosing() {
        return open.peek();
    }
}
