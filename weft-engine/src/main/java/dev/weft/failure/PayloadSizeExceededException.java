package dev.weft.failure;


/**
 * A payload is larger than the engine accepts. Checked before anything is written: an async
 * completion refused for its size leaves its token usable.
 */
public class PayloadSizeExceededException extends WeftException {

    public static final String CODE = "PAYLOAD_SIZE_EXCEEDED";

    private final long maxBytes;

    public PayloadSizeExceededException(String what, long actualBytes, long maxBytes) {
        super(CODE, FailureCategory.APPLICATION, what + " is " + actualBytes + " bytes, more than the " + maxBytes + " bytes allowed");
        this.maxBytes = maxBytes;
    }

    /** The same refusal as reported by a remote engine, whose message it keeps. */
    public PayloadSizeExceededException(String message, long maxBytes) {
        super(CODE, FailureCategory.APPLICATION, message);
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
