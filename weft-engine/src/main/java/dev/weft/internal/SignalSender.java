package dev.weft.internal;

import dev.weft.Signals;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.NewSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import org.jspecify.annotations.Nullable;

/** Sends signals to runs: checks and stores them, and wakes the run if this engine drives or parked it. */
final class SignalSender {

    private final WorkflowStore store;
    private final PayloadSerializer serializer;
    private final TimeSource time;
    private final PayloadLimit payloadLimit;
    private final RunDriver driver;

    SignalSender(WorkflowStore store, PayloadSerializer serializer, TimeSource time, PayloadLimit payloadLimit, RunDriver driver) {
        this.store = store;
        this.serializer = serializer;
        this.time = time;
        this.payloadLimit = payloadLimit;
        this.driver = driver;
    }

    boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        NewSignal signal = newSignal(id, name, payload, signalId);
        SignalDelivery delivery = store.sendSignal(signal);
        return delivered(id, delivery);
    }

    NewSignal newSignal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        Signals.requireValidName(name);
        Signals.requireValidId(signalId);
        String payloadJson = serializer.serialize(payload);
        payloadLimit.check("the signal payload", payloadJson);
        return new NewSignal(id, name, payloadJson, signalId, time.now());
    }

    /** @return whether the signal was stored ({@code false}: a duplicate signal id) */
    boolean delivered(String id, SignalDelivery delivery) {
        return switch (delivery) {
            case NOT_FOUND -> throw MissingRun.error(id);
            case RUN_FINISHED -> throw new WorkflowFinishedException(id);
            case DUPLICATE -> false;
            case DELIVERED -> {
                driver.wake(id);
                yield true;
            }
        };
    }
}
