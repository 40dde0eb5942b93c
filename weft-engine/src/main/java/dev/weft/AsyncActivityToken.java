package dev.weft;

import java.util.Optional;

/**
 * The completion token of an activity attempt that called {@code completeAsync()}:
 * {@code async-act:v1:<workflowId>:<seq>:<attempt>}. Deterministic and not a secret: whoever may
 * complete activities must be authenticated by other means.
 */
public record AsyncActivityToken(String workflowId, long seq, int attempt) {

    private static final String PREFIX = "async-act:v1:";

    public AsyncActivityToken {
        if (workflowId.isEmpty() || seq < 1 || attempt < 1) {
            throw new IllegalArgumentException("not a valid token: " + workflowId + ", " + seq + ", " + attempt);
        }
    }

    /** Reads a token; empty for anything not of the token's form. Workflow ids may contain colons. */
    public static Optional<AsyncActivityToken> parse(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int attemptColon = token.lastIndexOf(':');
        int seqColon = token.lastIndexOf(':', attemptColon - 1);
        if (seqColon < PREFIX.length()) {
            return Optional.empty();
        }
        try {
            long seq = Long.parseLong(token.substring(seqColon + 1, attemptColon));
            int attempt = Integer.parseInt(token.substring(attemptColon + 1));
            String workflowId = token.substring(PREFIX.length(), seqColon);
            if (workflowId.isEmpty() || seq < 1 || attempt < 1) {
                return Optional.empty();
            }
            return Optional.of(new AsyncActivityToken(workflowId, seq, attempt));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return PREFIX + workflowId + ":" + seq + ":" + attempt;
    }
}
