package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.StartOptions;
import dev.weft.client.HttpWorkflowClient;
import dev.weft.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The contract of the HTTP client, against the application's REST API on a real server on a
 * random port; and the seed's curl example against the same server.
 */
@ApiKeyModeTest
class HttpWorkflowClientTests extends WorkflowClientContract {

    @LocalServerPort
    int port;

    @Override
    protected WorkflowClient client() {
        return HttpWorkflowClient.builder(URI.create("http://localhost:" + port)).apiKey(ApiKeyModeTest.ALL_KEY).build();
    }

    @Test
    void aBearerApiKeyWorksToo() {
        WorkflowClient bearer = HttpWorkflowClient.builder(URI.create("http://localhost:" + port + "/"))
                .bearerToken(ApiKeyModeTest.ALL_KEY).build();

        String id = bearer.start("echo", "b", StartOptions.withId("bearer-" + System.nanoTime())).id();

        assertThat(bearer.result(id, String.class, Duration.ofSeconds(5))).isEqualTo("echo:b");
    }

    @Test
    void theSeedsCurlExampleCompletesAParkedActivity() throws Exception {
        // curl -X POST http://localhost:<port>/api/v1/activities/complete -H 'content-type: application/json'
        //   -d '{"token":"async-act:v1:workflow-123:4:1","result":{"ok":true}}'
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + port + "/api/v1";
        String id = "workflow-" + System.nanoTime();
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/workflows"))
                .header("content-type", "application/json").header("X-Api-Key", ApiKeyModeTest.WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"callback\",\"input\":\"https://callbacks.example.com/hook\",\"id\":\""
                        + id + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(201);
        String token = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> pending = http.send(HttpRequest.newBuilder(URI.create(base + "/workflows/" + id + "/pending-async-activities"))
                    .header("Authorization", "Bearer " + ApiKeyModeTest.READ_KEY).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode items = ApiCalls.JSON.readTree(pending.body()).path("items");
            return items.isEmpty() ? null : items.get(0).path("token").asString();
        }, java.util.Objects::nonNull);
        assertThat(token).isEqualTo("async-act:v1:" + id + ":1:1");

        HttpResponse<String> completed = http.send(HttpRequest.newBuilder(URI.create(base + "/activities/complete"))
                .header("content-type", "application/json").header("Authorization", "Bearer " + ApiKeyModeTest.WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"result\":{\"ok\":true}}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(completed.statusCode()).isEqualTo(200);
        assertThat(completed.body()).isEqualTo("{\"ok\":true}");
        assertThat(client().result(id, String.class, Duration.ofSeconds(5))).isEqualTo("ok=true");
    }
}
