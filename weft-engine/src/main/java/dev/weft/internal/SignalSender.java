package dev.weft.internal;

import static dev.weft.WeftEngine.MAX_SIGNAL_ID_BYTES;
import static dev.weft.WeftEngine.MAX_SIGNAL_NAME_LENGTH;

import dev.weft.failure.WorkflowFinishedException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.NewSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.nio.charset.StandardCharsets;
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
        if (name.isBlank()) {
            throw new IllegalArgumentException("a signal name must not be blank");
        }
        if (name.length() > MAX_SIGNAL_NAME_LENGTH) {
            throw new IllegalArgumentException("a signal name must be at most " + MAX_SIGNAL_NAME_LENGTH + " characters");
        }
        if (signalId != null && (signalId.isBlank()
                || signalId.getBytes(StandardCharsets.UTF_8).length > MAX_SIGNAL_ID_BYTES)) {
            throw new IllegalArgumentException("signalId must be 1 to " + MAX_SIGNAL_ID_BYTES + " bytes");
        }
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
