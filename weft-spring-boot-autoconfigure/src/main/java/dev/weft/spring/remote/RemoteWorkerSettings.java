package dev.weft.spring.remote;

import java.time.Duration;

/**
 * How this node treats its remote workers.
 *
 * @param reconnectGrace how long a disconnected worker's tasks wait for it to register again before
 *     they go back to the queue (0 to 5 s, as upstream Weft clamps it)
 * @param heartbeatTimeout a worker silent this long is disconnected
 * @param shutdownTimeout how long a stopping node accepts results after sending {@code shutdown}
 * @param maxFrameChars the largest frame accepted
 */
public record RemoteWorkerSettings(Duration reconnectGrace, Duration heartbeatTimeout, Duration shutdownTimeout,
        int maxFrameChars) {

    public static final Duration MAX_RECONNECT_GRACE = Duration.ofSeconds(5);

    public RemoteWorkerSettings {
        if (reconnectGrace.isNegative() || reconnectGrace.compareTo(MAX_RECONNECT_GRACE) > 0) {
            throw new IllegalArgumentException("the reconnect grace is 0 to 5 s, got " + reconnectGrace);
        }
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("the heartbeat timeout must be positive, got " + heartbeatTimeout);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("the shutdown timeout must not be negative, got " + shutdownTimeout);
        }
        if (maxFrameChars < 4096) {
            throw new IllegalArgumentException("the largest frame must be at least 4096 characters, got " + maxFrameChars);
        }
    }

    public static RemoteWorkerSettings defaults() {
        return new RemoteWorkerSettings(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), 1024 * 1024);
    }
}
