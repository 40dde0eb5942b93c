package dev.weft.samples.orders;

import dev.weft.spring.Activity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** A stand-in for a mail service. */
@Service
public class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private final Tally sent = new Tally();

    /** What the shipping confirmation says. */
    public record Confirmation(String orderId, String email, String tracking) {
    }

    /** Emails the customer that the order is on its way. */
    @Activity(maxAttempts = "5")
    public void sendConfirmation(Confirmation confirmation) {
        sent.increment(confirmation.orderId());
        log.info("[{}] emailed {}: your order is on its way, tracking {}", confirmation.orderId(), confirmation.email(),
                confirmation.tracking());
    }

    /** How many confirmations were sent for the order. */
    public int confirmations(String orderId) {
        return sent.get(orderId);
    }
}
