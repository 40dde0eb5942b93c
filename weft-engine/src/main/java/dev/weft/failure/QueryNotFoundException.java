package dev.weft.failure;


/** The run has registered no query handler of that name (yet: handlers are registered as the workflow runs). */
public class QueryNotFoundException extends WeftException {

    public static final String CODE = "QUERY_NOT_FOUND";

    public QueryNotFoundException(String message) {
        super(CODE, FailureCategory.APPLICATION, message);
    }
}
