package dev.weft.failure;

/**
 * A start with a concurrency key found no free slot and asked to be refused rather than queued
 * ({@link dev.weft.ConcurrencyLimit.OverLimit#REJECT}): nothing was written.
 */
public class ConcurrencyLimitReachedException extends WeftException {

    public static final String CODE = "CONCURRENCY_LIMIT_REACHED";

    private final String workflowType;
    private final String concurrencyKey;
    private final int limit;

    public ConcurrencyLimitReachedException(String workflowType, String concurrencyKey, int limit) {
        this("Workflow type '" + workflowType + "' already runs " + limit + " runs (its limit) of concurrency key '" + concurrencyKey
                + "', or has runs of it queued: the start was refused", workflowType, concurrencyKey, limit);
    }

    /** The same refusal as reported by a remote engine, whose message it keeps. */
    public ConcurrencyLimitReachedException(String message, String workflowType, String concurrencyKey, int limit) {
        super(CODE, FailureCategory.RESOURCE, message);
        this.workflowType = workflowType;
        this.concurrencyKey = concurrencyKey;
        this.limit = limit;
    }

    public String workflowType() {
        return workflowType;
    }

    public String concurrencyKey() {
        return concurrencyKey;
    }

    public int limit() {
        return limit;
    }
}
