package dev.weft.failure;


/**
 * No activity attempt is waiting for this completion token: it was never issued, it was already
 * used, its attempt was superseded, or its run has ended. Tokens are single-use.
 */
public class AsyncActivityTokenNotFoundException extends WeftException {

    public static final String CODE = "ASYNC_ACTIVITY_TOKEN_NOT_FOUND";

    public AsyncActivityTokenNotFoundException(String token) {
        super(CODE, FailureCategory.APPLICATION, "No pending async activity for token '" + token + "'");
    }
}
