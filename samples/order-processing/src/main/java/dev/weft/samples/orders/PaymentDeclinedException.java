package dev.weft.samples.orders;

import dev.weft.failure.NonRetryableException;

/** The card issuer refused the charge: trying again will not help, so the engine does not retry it. */
public class PaymentDeclinedException extends NonRetryableException {

    public PaymentDeclinedException(String message) {
        super(message);
    }
}
