package dev.weft.client.wire;

/** The answer of a request that only needs to be confirmed: {@code {"ok": true}}. */
public record Acknowledgement(boolean ok) {

    public static final Acknowledgement OK = new Acknowledgement(true);
}
