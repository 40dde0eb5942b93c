package dev.weft.spring.web;

import java.util.regex.Pattern;

/**
 * The scopes of the REST API, as upstream Weft names them: reading runs needs
 * {@value #WORKFLOWS_READ}; starting, cancelling and deleting runs and completing or failing async
 * activities need {@value #WORKFLOWS_WRITE}; remote workers connect with {@value #WORKERS_WRITE}. Spring Security sees them as authorities with the
 * {@value #AUTHORITY_PREFIX} prefix, as an OAuth2 resource server maps a token's {@code scope} claim.
 */
public final class ApiScopes {

    public static final String WORKFLOWS_READ = "workflows:read";
    public static final String WORKFLOWS_WRITE = "workflows:write";
    /** What a remote worker needs to connect to a queue's endpoint. */
    public static final String WORKERS_WRITE = "workers:write";
    public static final String AUTHORITY_PREFIX = "SCOPE_";
    /** The one path anybody may read: the API's OpenAPI description. */
    public static final String OPENAPI_PATH = WeftApi.BASE_PATH + "/openapi.yaml";

    private ApiScopes() {
    }

    /** Queries read a run's state though they are POSTed (their argument is a body): they need reads only. */
    public static final String QUERY_PATTERN = WeftApi.BASE_PATH + "/workflows/*/query/*";

    private static final Pattern QUERY_PATH = Pattern.compile(
            Pattern.quote(WeftApi.BASE_PATH) + "/workflows/[^/]+/query/[^/]+");

    /** The endpoints of remote workers (WebSocket upgrades): they need {@value #WORKERS_WRITE}. */
    public static final String WORKER_STREAM_PATTERN = WeftApi.BASE_PATH + "/tasks/*/stream";

    private static final Pattern WORKER_STREAM_PATH = Pattern.compile(
            Pattern.quote(WeftApi.BASE_PATH) + "/tasks/[^/]+/stream");

    /** The scope a request needs: workers' for a worker endpoint, reads for GET, HEAD and queries, writes for the rest. */
    public static String requiredFor(String method, String path) {
        if (WORKER_STREAM_PATH.matcher(path).matches()) {
            return WORKERS_WRITE;
        }
        boolean reads = "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method) || QUERY_PATH.matcher(path).matches();
        return reads ? WORKFLOWS_READ : WORKFLOWS_WRITE;
    }
}
