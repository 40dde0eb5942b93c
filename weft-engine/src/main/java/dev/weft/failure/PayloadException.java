package dev.weft.failure;


/** A value could not be turned into JSON, or JSON into the requested type. */
public class PayloadException extends WeftException {

    public static final String CODE = "INVALID_PAYLOAD";

    public PayloadException(String message, Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
    }
}
