package dev.weft.worker.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A frame the reader refused, with the protocol's code for it. A refused registration
 * ({@link #registration()}) is answered with {@code registerError} and close 1008; any other refusal
 * with {@code protocolError} and close 1002.
 */
public final class FrameRejected extends RuntimeException {

    private final String code;
    private final boolean registration;
    private final @Nullable Integer requestedVersion;

    private FrameRejected(String code, String message, boolean registration, @Nullable Integer requestedVersion) {
        super(message, null, false, false);
        this.code = code;
        this.registration = registration;
        this.requestedVersion = requestedVersion;
    }

    static FrameRejected protocol(String code, String message) {
        return new FrameRejected(code, message, false, null);
    }

    static FrameRejected registration(String code, String message, @Nullable Integer requestedVersion) {
        return new FrameRejected(code, message, true, requestedVersion);
    }

    public String code() {
        return code;
    }

    public boolean registration() {
        return registration;
    }

    public @Nullable Integer requestedVersion() {
        return requestedVersion;
    }
}
