package dev.weft.client.wire;

/**
 * A request body's field that is missing or wrong. The REST API answers it with a 400
 * {@code InvalidParams} naming {@link #field()}; the message is the one the client sees.
 */
public final class InvalidFieldException extends IllegalArgumentException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field's path in the body, such as {@code signal.name}. */
    public String field() {
        return field;
    }
}
