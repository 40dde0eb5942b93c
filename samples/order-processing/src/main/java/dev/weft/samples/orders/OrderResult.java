package dev.weft.samples.orders;

import org.jspecify.annotations.Nullable;

/**
 * How an order ended: shipped with its payment and tracking numbers, or declined with the reason.
 *
 * @param orderId the order
 * @param outcome {@code SHIPPED} or {@code DECLINED}
 * @param reservation the stock reservation taken (released when declined)
 * @param payment the payment id, when the card was charged
 * @param tracking the carrier's tracking number, when shipped
 * @param reason why the order was declined
 */
public record OrderResult(String orderId, Outcome outcome, String reservation, @Nullable String payment,
        @Nullable String tracking, @Nullable String reason) {

    /** How an order ended. */
    public enum Outcome {
        SHIPPED, DECLINED
    }

    static OrderResult shipped(Order order, String reservation, String payment, String tracking) {
        return new OrderResult(order.id(), Outcome.SHIPPED, reservation, payment, tracking, null);
    }

    static OrderResult declined(Order order, String reservation, String reason) {
        return new OrderResult(order.id(), Outcome.DECLINED, reservation, null, null, reason);
    }
}
