package dev.weft.spring.web;

import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Every endpoint of the API with a harmless request and the scope it needs, for the auth matrices. */
record ApiEndpoints(HttpMethod method, String path, String body, String scope) {

    static List<ApiEndpoints> all() {
        String read = ApiScopes.WORKFLOWS_READ;
        String write = ApiScopes.WORKFLOWS_WRITE;
        return List.of(
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows", "{\"type\":\"echo\",\"input\":\"matrix\"}", write),
                new ApiEndpoints(HttpMethod.GET, "/api/v1/workflows", null, read),
                new ApiEndpoints(HttpMethod.GET, "/api/v1/workflows/matrix-none", null, read),
                new ApiEndpoints(HttpMethod.GET, "/api/v1/workflows/matrix-none/result?timeout=10ms", null, read),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows/matrix-none/cancel", null, write),
                new ApiEndpoints(HttpMethod.DELETE, "/api/v1/workflows/matrix-none", null, write),
                new ApiEndpoints(HttpMethod.GET, "/api/v1/workflows/matrix-none/pending-async-activities", null, read),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows/matrix-none/signal/approve", "{\"payload\":\"m\"}", write),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows/start-or-signal",
                        "{\"type\":\"approval\",\"id\":\"matrix-sws\",\"input\":\"m\",\"signal\":{\"name\":\"approve\",\"payload\":\"m\"}}",
                        write),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows/matrix-none/query/progress", "{\"input\":1}", read),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows/matrix-none/suspend", null, write),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/workflows/matrix-none/resume", null, write),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/activities/complete", "{\"token\":\"async-act:v1:matrix-none:1:1\"}", write),
                new ApiEndpoints(HttpMethod.POST, "/api/v1/activities/fail",
                        "{\"token\":\"async-act:v1:matrix-none:1:1\",\"error\":{\"message\":\"m\"}}", write));
    }

    MockHttpServletRequestBuilder request() {
        MockHttpServletRequestBuilder builder = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request(method, path);
        if (body != null) {
            builder.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return builder;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
