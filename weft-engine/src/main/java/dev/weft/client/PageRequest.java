package dev.weft.client;

/**
 * A page of a listing.
 *
 * @param offset how many matching runs to skip
 * @param limit how many to return at most, 1 to {@value #MAX_LIMIT}
 */
public record PageRequest(int offset, int limit) {

    /** The largest page. */
    public static final int MAX_LIMIT = 1000;
    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;

    public PageRequest {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** The first {@code limit} runs. */
    public static PageRequest first(int limit) {
        return new PageRequest(0, limit);
    }
}
