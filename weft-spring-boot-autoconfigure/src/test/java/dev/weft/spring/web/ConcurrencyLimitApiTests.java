package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.weft.spring.web.ApiCalls.Answer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** Starts under a concurrency limit over the REST API: queued runs and their place, refusals with 429 and 400. */
@ApiKeyModeTest
class ConcurrencyLimitApiTests {

    private static final AtomicInteger KEYS = new AtomicInteger();

    @Autowired
    MockMvc mvc;

    private ApiCalls api;

    @BeforeEach
    void client() {
        api = new ApiCalls(mvc, ApiKeyModeTest.ALL_KEY);
    }

    private static String key() {
        return "tenant-" + KEYS.incrementAndGet() + "-" + System.nanoTime();
    }

    private Answer startApproval(String key, int limit, String extra) {
        return api.post("/api/v1/workflows", "{\"type\":\"approval\",\"input\":\"a\",\"concurrencyKey\":\"" + key
                + "\",\"concurrencyLimit\":" + limit + extra + "}");
    }

    @Test
    void aStartOverTheLimitIsQueuedAndShowsItsPlaceUntilCancelled() {
        String key = key();
        Answer first = startApproval(key, 1, "");
        Answer second = startApproval(key, 1, "");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().path("status").asString()).isEqualTo("running");
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body().path("status").asString()).isEqualTo("queued");
        String queuedId = second.body().path("id").asString();
        Answer shown = api.get("/api/v1/workflows/" + queuedId);
        assertThat(shown.body().path("concurrencyKey").asString()).isEqualTo(key);
        assertThat(shown.body().path("queue").path("position").asLong()).isEqualTo(1);
        assertThat(shown.body().path("queue").path("limit").asInt()).isEqualTo(1);
        assertThat(shown.body().path("queue").path("ageMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(shown.body().path("queue").path("queuedAt").isString()).isTrue();
        assertThat(api.get("/api/v1/workflows/" + first.body().path("id").asString()).body().has("queue"))
                .as("a running run has no place in a queue").isFalse();

        assertThat(api.post("/api/v1/workflows/" + queuedId + "/cancel", "").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/workflows/" + queuedId).body().path("status").asString()).isEqualTo("cancelled");
        api.post("/api/v1/workflows/" + first.body().path("id").asString() + "/cancel", "");
    }

    @Test
    void aStartThatAsksToBeRefusedAnswers429NamingTheKeyAndLimit() {
        String key = key();
        Answer first = startApproval(key, 1, ",\"overLimit\":\"reject\"");

        Answer refused = startApproval(key, 1, ",\"overLimit\":\"reject\"");

        assertThat(first.status()).isEqualTo(201);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("ConcurrencyLimitReached");
        assertThat(refused.error()).contains("'" + key + "'");
        assertThat(refused.body().path("data").path("weftCode").asString()).isEqualTo("CONCURRENCY_LIMIT_REACHED");
        assertThat(refused.body().path("data").path("concurrencyKey").asString()).isEqualTo(key);
        assertThat(refused.body().path("data").path("limit").asInt()).isEqualTo(1);
        assertThat(refused.body().path("data").path("workflowType").asString()).isEqualTo("approval");
        api.post("/api/v1/workflows/" + first.body().path("id").asString() + "/cancel", "");
    }

    @Test
    void aKeyedStartUnderALimitAnswersTheSameQueuedRunAgain() {
        String key = key();
        Answer first = startApproval(key, 1, "");
        String body = "{\"type\":\"approval\",\"input\":\"b\",\"concurrencyKey\":\"" + key + "\",\"concurrencyLimit\":1}";
        String idempotencyKey = key();

        Answer queued = api.send(post("/api/v1/workflows").header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON).content(body));
        Answer again = api.send(post("/api/v1/workflows").header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON).content(body));

        assertThat(queued.status()).isEqualTo(201);
        assertThat(queued.body().path("status").asString()).isEqualTo("queued");
        assertThat(again.body().path("id").asString()).isEqualTo(queued.body().path("id").asString());
        api.post("/api/v1/workflows/" + queued.body().path("id").asString() + "/cancel", "");
        api.post("/api/v1/workflows/" + first.body().path("id").asString() + "/cancel", "");
    }

    @Test
    void badConcurrencyFieldsAre400NamingTheField() {
        assertThat(startApproval(key(), 0, "")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("concurrencyLimit");
            assertThat(answer.error()).contains("between 1 and");
        });
        assertThat(startApproval("k".repeat(256), 1, "").body().path("data").path("field").asString()).isEqualTo("concurrencyKey");
        assertThat(startApproval(key(), 1, ",\"overLimit\":\"drop\"")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("overLimit");
            assertThat(answer.error()).contains("\"queue\" or \"reject\"");
        });
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"approval\",\"concurrencyKey\":\"k\"}").body()
                .path("data").path("field").asString()).isEqualTo("concurrencyLimit");
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"approval\",\"concurrencyLimit\":2}").body()
                .path("data").path("field").asString()).isEqualTo("concurrencyKey");
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"approval\",\"overLimit\":\"reject\"}").body()
                .path("data").path("field").asString()).isEqualTo("overLimit");
    }
}
