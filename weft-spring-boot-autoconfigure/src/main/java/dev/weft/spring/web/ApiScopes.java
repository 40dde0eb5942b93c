package dev.weft.spring.web;

/**
 * The scopes of the REST API, as upstream Weft names them: reading runs needs
 * {@value #WORKFLOWS_READ}; starting, cancelling and deleting runs and completing or failing async
 * activities need {@value #WORKFLOWS_WRITE}. Spring Security sees them as authorities with the
 * {@value #AUTHORITY_PREFIX} prefix, as an OAuth2 resource server maps a token's {@code scope} claim.
 */
public final class ApiScopes {

    public static final String WORKFLOWS_READ = "workflows:read";
    public static final String WORKFLOWS_WRITE = "workflows:write";
    public static final String AUTHORITY_PREFIX = "SCOPE_";
    /** The one path anybody may read: the API's OpenAPI description. */
    public static final String OPENAPI_PATH = WeftApiController.BASE_PATH + "/openapi.yaml";

    private ApiScopes() {
    }

    /** The scope a request with this HTTP method needs: reads for GET and HEAD, writes for the rest. */
    public static String requiredFor(String method) {
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method) ? WORKFLOWS_READ : WORKFLOWS_WRITE;
    }
}
