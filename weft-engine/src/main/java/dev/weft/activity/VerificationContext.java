package dev.weft.activity;

/**
 * What a verifier is told about the step it verifies.
 *
 * @param runId the run
 * @param activity the activity's name
 * @param step the step's position in the run's journal
 * @param attempt the attempt verified: the one that returned, or the one dispatched before a crash
 * @param idempotencyKey the step's key in clear, to look the side effect up by (the engine stores only its digest)
 */
public record VerificationContext(String runId, String activity, long step, int attempt, String idempotencyKey) {

    @Override
    public String toString() {
        // never the key: contexts end up in logs
        return "VerificationContext[runId=" + runId + ", activity=" + activity + ", step=" + step + ", attempt=" + attempt + "]";
    }
}
