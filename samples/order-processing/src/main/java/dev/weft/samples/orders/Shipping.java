package dev.weft.samples.orders;

import dev.weft.activity.ActivityContext;
import dev.weft.spring.Activity;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * A stand-in for a carrier's booking API. With {@code orders.shipping.stall-first-attempt} (on by
 * default) the first attempt for each order hangs, as a stuck HTTP call does; the per-attempt
 * {@code timeout} of the {@code @Activity} cuts it off (its thread is interrupted) and the next
 * attempt books the parcel. With {@code orders.shipping.queue} set, shipping goes through that
 * queue instead, for a remote worker to run (see {@code samples/remote-worker}).
 */
@Service
public class Shipping {

    private static final Logger log = LoggerFactory.getLogger(Shipping.class);
    private static final Duration STALL = Duration.ofMinutes(1);

    private final boolean stallFirstAttempt;
    private final Tally attempts = new Tally();
    private final Tally shipments = new Tally();

    public Shipping(@Value("${orders.shipping.stall-first-attempt:true}") boolean stallFirstAttempt) {
        this.stallFirstAttempt = stallFirstAttempt;
    }

    /** Books the parcel and returns its tracking number. The engine injects the context. */
    @Activity(timeout = "${orders.shipping.timeout:2s}", maxAttempts = "3", initialBackoff = "${orders.shipping.initial-backoff:500ms}",
            queue = "${orders.shipping.queue:}")
    public String ship(Order order, ActivityContext context) {
        attempts.increment(order.id());
        if (stallFirstAttempt && context.attempt() == 1) {
            log.info("[{}] shipping attempt 1: the carrier is not answering (simulated)", order.id());
            try {
                Thread.sleep(STALL);
            } catch (InterruptedException ex) {
                // the per-attempt timeout fired: give up this attempt
                Thread.currentThread().interrupt();
                context.cancellation().throwIfCancelled();
                throw new IllegalStateException("carrier call interrupted", ex);
            }
        }
        shipments.increment(order.id());
        String tracking = "TRK-" + order.id();
        log.info("[{}] shipped {} x {} on attempt {}: {}", order.id(), order.quantity(), order.sku(), context.attempt(), tracking);
        return tracking;
    }

    /** How many attempts {@link #ship} made for the order, timed-out ones included. */
    public int attempts(String orderId) {
        return attempts.get(orderId);
    }

    /** How many parcels were booked for the order. */
    public int shipments(String orderId) {
        return shipments.get(orderId);
    }
}
