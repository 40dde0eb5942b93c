package dev.weft.samples.orders;

import dev.weft.activity.ActivityContext;
import dev.weft.spring.Activity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * A stand-in for a payment gateway. Its first {@code orders.payments.transient-failures} attempts
 * for each order time out, as a flaky gateway does; the {@code @Activity} retry attributes retry
 * them. The card {@value #DECLINED_CARD} is declined, which is final: the exception is a
 * {@link dev.weft.failure.NonRetryableException}.
 */
@Service
public class Payments {

    /** The card token that the issuer always declines. */
    public static final String DECLINED_CARD = "tok_declined";

    private static final Logger log = LoggerFactory.getLogger(Payments.class);

    private final int transientFailures;
    private final Tally attempts = new Tally();
    private final Tally charges = new Tally();

    public Payments(@Value("${orders.payments.transient-failures:1}") int transientFailures) {
        this.transientFailures = transientFailures;
    }

    /** Charges the order's card and returns the payment id. The engine injects the context. */
    @Activity(maxAttempts = "${orders.payments.max-attempts:4}", initialBackoff = "${orders.payments.initial-backoff:1s}",
            backoffMultiplier = "2", maxBackoff = "10s")
    public String charge(Order order, ActivityContext context) {
        attempts.increment(order.id());
        if (DECLINED_CARD.equals(order.card())) {
            log.info("[{}] card declined by the issuer", order.id());
            throw new PaymentDeclinedException("card " + order.card() + " was declined by the issuer");
        }
        if (context.attempt() <= transientFailures) {
            log.info("[{}] charge attempt {}: the payment gateway timed out (simulated)", order.id(), context.attempt());
            throw new IllegalStateException("payment gateway timed out");
        }
        charges.increment(order.id());
        String payment = "PAY-" + order.id();
        log.info("[{}] charged {} cents on attempt {}: {}", order.id(), order.amountCents(), context.attempt(), payment);
        return payment;
    }

    /** How many attempts {@link #charge} made for the order, failed ones included. */
    public int attempts(String orderId) {
        return attempts.get(orderId);
    }

    /** How many times the order's card was actually charged. */
    public int charges(String orderId) {
        return charges.get(orderId);
    }
}
