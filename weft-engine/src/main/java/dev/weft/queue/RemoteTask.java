package dev.weft.queue;

import java.time.Duration;

/**
 * A task claimed on behalf of a remote worker: what the worker is sent (the activity's name and
 * its input, never code) and what identifies the claim.
 *
 * @param operationId the claim's token: the outcome is accepted only under it, on any node, while the
 *     claim holds
 * @param claims how many times the task was claimed, this claim included
 * @param visibilityTimeout how long the claim lasts unless it is extended
 */
public record RemoteTask(String operationId, String runId, long seq, int attempt, String queue, String activity,
        String inputJson, int claims, Duration visibilityTimeout) {
}
