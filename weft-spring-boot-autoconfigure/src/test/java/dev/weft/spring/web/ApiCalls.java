package dev.weft.spring.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls of the API through MockMvc, answers read as JSON. */
final class ApiCalls {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One answer. */
    record Answer(int status, JsonNode body, String raw, MockHttpServletResponse response) {
        String error() {
            return body.path("error").asString("");
        }

        String code() {
            return body.path("code").asString("");
        }
    }

    private final MockMvc mvc;
    private final String apiKey;

    ApiCalls(MockMvc mvc, String apiKey) {
        this.mvc = mvc;
        this.apiKey = apiKey;
    }

    Answer get(String path) {
        return send(request(HttpMethod.GET, path));
    }

    Answer post(String path, String json) {
        return send(request(HttpMethod.POST, path).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    Answer post(String path) {
        return send(request(HttpMethod.POST, path));
    }

    Answer delete(String path) {
        return send(request(HttpMethod.DELETE, path));
    }

    Answer send(MockHttpServletRequestBuilder request) {
        try {
            if (apiKey != null) {
                request.header("X-Api-Key", apiKey);
            }
            MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
            String raw = response.getContentAsString(StandardCharsets.UTF_8);
            JsonNode body;
            try {
                body = raw.isEmpty() ? JSON.missingNode() : JSON.readTree(raw);
            } catch (RuntimeException e) {
                body = JSON.missingNode();
            }
            return new Answer(response.getStatus(), body, raw, response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a run and returns its id. */
    String start(String type, String inputJson, String id) {
        Answer answer = post("/api/v1/workflows", "{\"type\":\"" + type + "\",\"input\":" + inputJson + ",\"id\":\"" + id + "\"}");
        if (answer.status() != 201) {
            throw new IllegalStateException("start failed: " + answer.raw());
        }
        return answer.body().path("id").asString();
    }

    /** The token of the run's first pending activity, once there is one. */
    String awaitToken(String id) {
        String path = "/api/v1/workflows/" + id + "/pending-async-activities";
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get(path).body().path("items").size() > 0);
        return get(path).body().path("items").get(0).path("token").asString();
    }

    String awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/api/v1/workflows/" + id).body().path("status").asString(), status::equals);
        return status;
    }
}
