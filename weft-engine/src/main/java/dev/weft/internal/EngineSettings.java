package dev.weft.internal;

import dev.weft.retry.RetryPolicy;
import java.time.Duration;

/**
 * The settings an engine is built with that the kernel reads: fixed for the engine's life.
 *
 * @param nodeId the owner name this engine holds leases under
 * @param lease how long a claim on a run lasts without renewal
 * @param defaultRetryPolicy the retry policy of activities that set none
 * @param developmentMode whether to emit warnings meant for development
 * @param maxPayloadBytes the largest payload accepted from outside (an async completion's result)
 * @param parkAfter waits at least this long give their run up (park it)
 * @param maxChildDepth how deep children may nest
 */
record EngineSettings(
        String nodeId,
        Duration lease,
        RetryPolicy defaultRetryPolicy,
        boolean developmentMode,
        long maxPayloadBytes,
        Duration parkAfter,
        int maxChildDepth) {
}
