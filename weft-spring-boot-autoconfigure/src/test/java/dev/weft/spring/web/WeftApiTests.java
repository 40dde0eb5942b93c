package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.weft.spring.web.ApiCalls.Answer;
import java.lang.reflect.Method;
import tools.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.yaml.snakeyaml.Yaml;

/** Every endpoint of the REST API, its successes and its refusals. */
@ApiKeyModeTest
class WeftApiTests {

    private static final AtomicInteger IDS = new AtomicInteger();

    @Autowired
    MockMvc mvc;

    private ApiCalls api;

    @BeforeEach
    void client() {
        api = new ApiCalls(mvc, ApiKeyModeTest.ALL_KEY);
    }

    private static String id(String prefix) {
        return prefix + "-" + IDS.incrementAndGet() + "-" + System.nanoTime();
    }

    @Test
    void startAnswers201WithTheRunAndItsLocation() {
        String id = id("start");
        Answer started = api.post("/api/v1/workflows", "{\"type\":\"echo\",\"input\":\"hi\",\"id\":\"" + id + "\"}");

        assertThat(started.status()).isEqualTo(201);
        assertThat(started.response().getHeader("Location")).isEqualTo("/api/v1/workflows/" + id);
        assertThat(started.body().path("id").asString()).isEqualTo(id);
        assertThat(started.body().path("type").asString()).isEqualTo("echo");
        Answer result = api.get("/api/v1/workflows/" + id + "/result?timeout=5s");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().path("result").asString()).isEqualTo("echo:hi");
        Answer run = api.get("/api/v1/workflows/" + id);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body().path("status").asString()).isEqualTo("completed");
        assertThat(run.body().path("input").asString()).isEqualTo("hi");
        assertThat(run.body().path("result").asString()).isEqualTo("echo:hi");
        assertThat(run.body().path("completedAt").isString()).isTrue();
    }

    @Test
    void startGeneratesAnIdWhenNoneIsGiven() {
        Answer started = api.post("/api/v1/workflows", "{\"type\":\"echo\",\"input\":\"x\"}");

        assertThat(started.status()).isEqualTo(201);
        assertThat(started.body().path("id").asString()).isNotBlank();
    }

    @Test
    void startRefusesADuplicateIdWith409() {
        String id = id("dup");
        api.start("echo", "\"a\"", id);

        Answer again = api.post("/api/v1/workflows", "{\"type\":\"echo\",\"input\":\"b\",\"id\":\"" + id + "\"}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("Conflict");
        assertThat(again.body().path("data").path("weftCode").asString()).isEqualTo("WORKFLOW_ALREADY_EXISTS");
    }

    private Answer startKeyed(String key, String body) {
        return api.send(post("/api/v1/workflows").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void aStartWithAnIdempotencyKeyAnswersTheSameRunAgain() {
        String key = id("key");

        Answer first = startKeyed(key, "{\"type\":\"approval\",\"input\":\"a\"}");
        Answer again = startKeyed(key, "{\"type\":\"approval\",\"input\":\"a\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body().path("id").asString()).isEqualTo(first.body().path("id").asString());
        assertThat(again.response().getHeader("Location")).isEqualTo(first.response().getHeader("Location"));
    }

    @Test
    void aKeyedStartRefusesAnIdBesideTheKeyABadKeyAndIfEndedWithoutAKey() {
        assertThat(startKeyed(id("key"), "{\"type\":\"echo\",\"id\":\"" + id("both") + "\"}")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("Idempotency-Key");
            assertThat(answer.error()).contains("not both");
        });
        assertThat(startKeyed("k".repeat(256), "{\"type\":\"echo\"}").body().path("data").path("field").asString())
                .isEqualTo("Idempotency-Key");
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"echo\",\"ifEnded\":\"start-new\"}")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("ifEnded");
        });
        assertThat(startKeyed(id("key"), "{\"type\":\"echo\",\"ifEnded\":\"sometimes\"}").error())
                .contains("\"fail\" or \"start-new\"");
    }

    @Test
    void aKeyWhoseRunEndedIs409UnlessANewRunIsAskedFor() {
        String key = id("ended");
        String first = startKeyed(key, "{\"type\":\"echo\",\"input\":\"x\"}").body().path("id").asString();
        assertThat(api.get("/api/v1/workflows/" + first + "/result?timeout=5s").status()).isEqualTo(200);

        Answer refused = startKeyed(key, "{\"type\":\"echo\",\"input\":\"x\"}");
        Answer renewed = startKeyed(key, "{\"type\":\"echo\",\"input\":\"x\",\"ifEnded\":\"start-new\"}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).contains(first).doesNotContain(key);
        assertThat(renewed.status()).isEqualTo(201);
        String second = renewed.body().path("id").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/api/v1/workflows/" + second).body().path("restartedFrom").asString())
                .as("the new run names the ended one it took the key over from").isEqualTo(first);
        assertThat(api.get("/api/v1/workflows/" + first).body().path("restartedFrom").isNull())
                .as("the first run restarted from nothing").isTrue();
    }

    @Test
    void startOrSignalTakesTheKeyInsteadOfAnId() {
        String key = id("sws");
        String body = "{\"type\":\"approval\",\"input\":\"k\",\"signal\":{\"name\":\"approve\",\"payload\":\"ada\"}}";

        Answer started = api.send(post("/api/v1/workflows/start-or-signal").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(body));
        Answer signalled = api.send(post("/api/v1/workflows/start-or-signal").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(body));

        assertThat(started.status()).isEqualTo(201);
        assertThat(signalled.status()).isEqualTo(200);
        assertThat(signalled.body().path("id").asString()).isEqualTo(started.body().path("id").asString());
        assertThat(api.post("/api/v1/workflows/start-or-signal", body).body().path("data").path("field").asString()).isEqualTo("id");
    }

    @Test
    void startRefusesBadFieldsNamingThem() {
        assertThat(api.post("/api/v1/workflows", "{\"input\":1}")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.code()).isEqualTo("InvalidParams");
            assertThat(answer.error()).isEqualTo("Missing required field: type");
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("type");
        });
        assertThat(api.post("/api/v1/workflows", "{\"type\":7}").error()).isEqualTo("Field \"type\" must be a string");
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"nope\"}")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("type");
            assertThat(answer.error()).contains("nope");
        });
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"echo\",\"id\":\"a\\u0000b\"}").error()).contains("Field \"id\"");
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"echo\",\"id\":\"" + "x".repeat(201) + "\"}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/workflows", "[1,2]").error()).isEqualTo("Request body must be a JSON object");
        assertThat(api.post("/api/v1/workflows", "{\"type\":").error()).startsWith("Request body is not valid JSON");
        assertThat(api.send(post("/api/v1/workflows").contentType(MediaType.TEXT_PLAIN).content("{\"type\":\"echo\"}")).status())
                .isEqualTo(415);
    }

    @Test
    void startRefusesAnInputTheWorkflowCannotReadWith400NamingTheFieldAndNoJavaTypes() {
        String id = id("unreadable");

        Answer refused = api.post("/api/v1/workflows", "{\"type\":\"echo\",\"input\":{\"text\":1},\"id\":\"" + id + "\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("InvalidParams");
        assertThat(refused.error()).isEqualTo("Field \"input\" must be a string");
        assertThat(refused.body().path("data").path("field").asString()).isEqualTo("input");
        assertThat(refused.body().toString()).doesNotContain("java.").doesNotContain("dev.weft").doesNotContain("Jackson");
        assertThat(api.get("/api/v1/workflows/" + id).status()).isEqualTo(404);
    }

    @Test
    void aNulOrALoneSurrogateInAKeyIsA400NamingTheField() {
        assertThat(api.send(get("/api/v1/workflows").param("type", "\u0000"))).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("type");
        });
        String sws = "/api/v1/workflows/start-or-signal";
        assertThat(api.post(sws, "{\"type\":\"approval\",\"id\":\"" + id("nul") + "\",\"signal\":{\"name\":\"approve\","
                + "\"signalId\":\"s\\u0000\"}}")).satisfies(answer -> {
                    assertThat(answer.status()).isEqualTo(400);
                    assertThat(answer.body().path("data").path("field").asString()).isEqualTo("signal.signalId");
                });
        assertThat(api.post("/api/v1/workflows", "{\"type\":\"echo\",\"id\":\"a\\ud800\"}")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("id");
        });
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() {
        String huge = "{\"type\":\"echo\",\"input\":\"" + "x".repeat(1024 * 1024) + "\"}";

        Answer answer = api.post("/api/v1/workflows", huge);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.code()).isEqualTo("PayloadTooLarge");
        assertThat(answer.body().path("data").path("maxBytes").asLong()).isEqualTo(1024 * 1024);
    }

    @Test
    void getOfAnUnknownRunIs404() {
        Answer answer = api.get("/api/v1/workflows/no-such-run");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("NotFound");
        assertThat(answer.error()).contains("no-such-run");
        assertThat(answer.body().path("data").path("resource").asString()).isEqualTo("workflow");
    }

    @Test
    void resultWaitsThenAnswers408ForARunStillWaiting() {
        String id = api.start("callback", "\"https://callbacks.example.com/1\"", id("wait"));

        Answer answer = api.get("/api/v1/workflows/" + id + "/result?timeout=150ms");

        assertThat(answer.status()).isEqualTo(408);
        assertThat(answer.code()).isEqualTo("Timeout");
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=soon").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=-1s").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows/nope/result?timeout=10ms").status()).isEqualTo(404);
    }

    @Test
    void resultOfAFailedRunIs422WithTheFailure() {
        String id = api.start("broken", "\"x\"", id("broken"));

        Answer answer = api.get("/api/v1/workflows/" + id + "/result?timeout=5s");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.code()).isEqualTo("Unprocessable");
        assertThat(answer.body().path("data").path("status").asString()).isEqualTo("failed");
        assertThat(answer.body().path("data").path("failure").path("message").asString()).isEqualTo("broken on purpose: x");
        assertThat(answer.raw()).doesNotContain("at dev.weft");
    }

    @Test
    void cancelStopsALiveRunAndResultThenAnswers422() {
        String id = api.start("callback", "\"c\"", id("cancel"));
        api.awaitToken(id);

        Answer cancelled = api.post("/api/v1/workflows/" + id + "/cancel");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("cancelled").asBoolean()).isTrue();
        api.awaitStatus(id, "cancelled");
        Answer result = api.get("/api/v1/workflows/" + id + "/result?timeout=1s");
        assertThat(result.status()).isEqualTo(422);
        assertThat(result.body().path("data").path("status").asString()).isEqualTo("cancelled");
        assertThat(api.get("/api/v1/workflows/" + id).body().path("cancelRequested").asBoolean()).isTrue();
        Answer listed = api.get("/api/v1/workflows?status=cancelled&type=callback");
        assertThat(listed.body().path("items")).anySatisfy(run -> {
            assertThat(run.path("id").asString()).isEqualTo(id);
            assertThat(run.path("cancelRequested").asBoolean()).isTrue();
        });
        assertThat(api.post("/api/v1/workflows/" + id + "/cancel").body().path("cancelled").asBoolean()).isFalse();
        assertThat(api.post("/api/v1/workflows/nope/cancel").status()).isEqualTo(404);
    }

    @Test
    void listFiltersByStatusAndTypeAndPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.start("echo", "\"" + i + "\"", id("list")));
        }
        ids.forEach(id -> api.awaitStatus(id, "completed"));

        Answer all = api.get("/api/v1/workflows?status=completed&type=echo&limit=1000");
        assertThat(all.status()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        all.body().path("items").forEach(item -> {
            assertThat(item.path("status").asString()).isEqualTo("completed");
            assertThat(item.path("type").asString()).isEqualTo("echo");
            listed.add(item.path("id").asString());
        });
        assertThat(listed).containsAll(ids);
        assertThat(all.body().path("total").asLong()).isEqualTo(listed.size());

        Answer page = api.get("/api/v1/workflows?type=echo&limit=2&offset=1");
        assertThat(page.body().path("items").size()).isEqualTo(2);
        assertThat(page.body().path("offset").asInt()).isEqualTo(1);
        assertThat(page.body().path("limit").asInt()).isEqualTo(2);
        Answer byPage = api.get("/api/v1/workflows?type=echo&page=1&size=1");
        assertThat(byPage.body().path("offset").asInt()).isEqualTo(1);
        assertThat(byPage.body().path("items").size()).isEqualTo(1);
        assertThat(api.get("/api/v1/workflows?status=running,failed").status()).isEqualTo(200);

        assertThat(api.get("/api/v1/workflows?limit=1001").body().path("data").path("field").asString()).isEqualTo("limit");
        assertThat(api.get("/api/v1/workflows?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows?offset=-1").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows?limit=x").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows?page=1&limit=5").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows?status=sleeping").error()).contains("Field \"status\"");
    }

    @Test
    void deleteRemovesAFinishedRunAndRefusesALiveOne() {
        String done = api.start("echo", "\"d\"", id("delete"));
        api.awaitStatus(done, "completed");
        String live = api.start("callback", "\"l\"", id("delete-live"));

        Answer refused = api.delete("/api/v1/workflows/" + live);
        Answer deleted = api.delete("/api/v1/workflows/" + done);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("Conflict");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/workflows/" + done).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/workflows/" + done).status()).isEqualTo(404);
    }

    @Test
    void completeResolvesAPendingTokenOnceAndThenAnswers404() {
        String id = api.start("callback", "\"https://callbacks.example.com/x\"", id("complete"));
        String token = api.awaitToken(id);

        Answer done = api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":true}}");
        Answer again = api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":false}}");

        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body().path("ok").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.error()).contains("No pending async activity");
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=5s").body().path("result").asString()).isEqualTo("ok=true");
        assertThat(api.get("/api/v1/workflows/" + id + "/pending-async-activities").body().path("items").size()).isZero();
    }

    @Test
    void completeRefusesBadBodies() {
        assertThat(api.post("/api/v1/activities/complete", "{\"result\":1}").error()).isEqualTo("Missing required field: token");
        assertThat(api.post("/api/v1/activities/complete", "{\"token\":1}").error()).isEqualTo("Field \"token\" must be a string");
        assertThat(api.post("/api/v1/activities/complete", "{\"token\":\"async-act:v1:nope:1:1\"}").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/activities/complete", "{\"token\":\"garbage\"}").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/activities/complete", "{").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/activities/complete", "{\"token\":\"t\",\"result\":\"" + "y".repeat(1024 * 1024) + "\"}").status())
                .isEqualTo(413);
    }

    @Test
    void aResultOverTheEnginesLimitIsInvalidParamsAndLeavesTheTokenUsable() {
        String id = api.start("callback", "\"big\"", id("big"));
        String token = api.awaitToken(id);
        String big = "z".repeat(ApiTestApplication.MAX_PAYLOAD_BYTES + 1);

        Answer refused = api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":\"" + big + "\"}}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("InvalidParams");
        assertThat(refused.body().path("data").path("maxBytes").asLong()).isEqualTo(ApiTestApplication.MAX_PAYLOAD_BYTES);
        assertThat(api.get("/api/v1/workflows/" + id).body().path("status").asString()).isEqualTo("running");
        assertThat(api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":1}}").status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=5s").body().path("result").asString()).isEqualTo("ok=1");
    }

    @Test
    void failGoesThroughTheActivitysErrorHandling() {
        String id = api.start("callback", "\"f\"", id("fail"));
        String token = api.awaitToken(id);

        assertThat(api.post("/api/v1/activities/fail", "{\"token\":\"" + token + "\"}").error()).isEqualTo("Missing required field: error");
        assertThat(api.post("/api/v1/activities/fail", "{\"token\":\"" + token + "\",\"error\":\"x\"}").error())
                .isEqualTo("Field \"error\" must be an object");
        assertThat(api.post("/api/v1/activities/fail", "{\"token\":\"" + token + "\",\"error\":{}}").error())
                .isEqualTo("Missing required field: error.message");
        assertThat(api.post("/api/v1/activities/fail", "{\"token\":\"" + token + "\",\"error\":{\"message\":\"m\",\"category\":\"x\"}}")
                .body().path("data").path("field").asString()).isEqualTo("error.category");
        Answer failed = api.post("/api/v1/activities/fail",
                "{\"token\":\"" + token + "\",\"error\":{\"message\":\"callback refused\",\"name\":\"CallbackError\",\"nonRetryable\":true}}");

        assertThat(failed.status()).isEqualTo(200);
        api.awaitStatus(id, "failed");
        Answer run = api.get("/api/v1/workflows/" + id);
        assertThat(run.body().path("failure").path("message").asString()).contains("callback refused");
        assertThat(api.post("/api/v1/activities/fail", "{\"token\":\"" + token + "\",\"error\":{\"message\":\"m\"}}").status())
                .isEqualTo(404);
    }

    @Test
    void pendingListsTokensAndRefusesBadParameters() {
        String id = api.start("callback", "\"p\"", id("pending"));
        String token = api.awaitToken(id);

        Answer pending = api.get("/api/v1/workflows/" + id + "/pending-async-activities?limit=1");
        assertThat(pending.body().path("items").get(0).path("activityName").asString()).isEqualTo("awaitWebhook");
        assertThat(pending.body().path("items").get(0).path("token").asString()).isEqualTo(token).startsWith("async-act:v1:" + id + ":");
        assertThat(pending.body().path("items").get(0).path("attempt").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/workflows/" + id + "/pending-async-activities?limit=201").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/workflows/" + id + "/pending-async-activities?cursor=xyz").error()).contains("Field \"cursor\"");
        assertThat(api.get("/api/v1/workflows/nope/pending-async-activities").status()).isEqualTo(404);
    }

    @Test
    void signalDeliversOnceBySignalIdAndCompletesTheRun() {
        String id = api.start("approval", "\"budget\"", id("signal"));
        String path = "/api/v1/workflows/" + id + "/signal/approve";

        Answer first = api.post(path, "{\"payload\":\"ada\",\"signalId\":\"form-1\"}");
        Answer duplicate = api.post(path, "{\"payload\":\"eve\",\"signalId\":\"form-1\"}");
        Answer second = api.post(path, "{\"payload\":\"bo\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("ok").asBoolean()).isTrue();
        assertThat(first.body().path("delivered").asBoolean()).isTrue();
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.body().path("delivered").asBoolean()).isFalse();
        assertThat(second.body().path("delivered").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=5s").body().path("result").asString())
                .isEqualTo("budget approved by ada and bo");
        Answer retried = api.post(path, "{\"payload\":\"late\",\"signalId\":\"form-1\"}");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().path("delivered").asBoolean()).isFalse();
    }

    @Test
    void signalRefusesUnknownAndFinishedRunsAndBadSignalIds() {
        String done = api.start("echo", "\"e\"", id("signal-done"));
        api.awaitStatus(done, "completed");
        String live = api.start("approval", "\"x\"", id("signal-live"));

        Answer unknown = api.post("/api/v1/workflows/no-such-run/signal/approve", "{\"payload\":1}");
        Answer finished = api.post("/api/v1/workflows/" + done + "/signal/approve", "{\"payload\":1}");
        Answer longId = api.post("/api/v1/workflows/" + live + "/signal/approve", "{\"signalId\":\"" + "s".repeat(129) + "\"}");
        Answer longName = api.post("/api/v1/workflows/" + live + "/signal/" + "n".repeat(201), "{}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("data").path("resource").asString()).isEqualTo("workflow");
        assertThat(finished.status()).isEqualTo(409);
        assertThat(finished.code()).isEqualTo("Conflict");
        assertThat(finished.body().path("data").path("weftCode").asString()).isEqualTo("WORKFLOW_FINISHED");
        assertThat(finished.body().path("data").path("identifier").asString()).isEqualTo(done);
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.body().path("data").path("field").asString()).isEqualTo("signalId");
        assertThat(longName.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/workflows/" + live + "/signal/approve", "{\"signalId\":7}").error())
                .isEqualTo("Field \"signalId\" must be a string");
        assertThat(api.post("/api/v1/workflows/" + live + "/signal/approve", "{\"signalId\":\"" + "s".repeat(128) + "\"}").status())
                .isEqualTo(200);
    }

    @Test
    void startOrSignalStartsThenSignalsAndRefusesFinishedRuns() {
        String id = id("sws");
        String body = "{\"type\":\"approval\",\"id\":\"" + id + "\",\"input\":\"trip\",\"signal\":{\"name\":\"approve\","
                + "\"payload\":\"ada\",\"signalId\":\"s-1\"}}";

        Answer started = api.post("/api/v1/workflows/start-or-signal", body);
        Answer again = api.post("/api/v1/workflows/start-or-signal", body);
        Answer flat = api.post("/api/v1/workflows/start-or-signal", "{\"type\":\"approval\",\"id\":\"" + id
                + "\",\"input\":\"ignored\",\"signalName\":\"approve\",\"signalPayload\":\"bo\",\"signalId\":\"s-2\"}");

        assertThat(started.status()).isEqualTo(201);
        assertThat(started.response().getHeader("Location")).isEqualTo("/api/v1/workflows/" + id);
        assertThat(started.body().path("started").asBoolean()).isTrue();
        assertThat(started.body().path("signalStored").asBoolean()).isTrue();
        assertThat(started.body().path("outcome").asString()).isEqualTo("started");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("started").asBoolean()).isFalse();
        assertThat(again.body().path("signalStored").asBoolean()).isFalse();
        assertThat(flat.body().path("outcome").asString()).isEqualTo("signalled");
        assertThat(flat.body().path("signalStored").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=5s").body().path("result").asString())
                .isEqualTo("trip approved by ada and bo");
        // a retry of a signal that was taken is acknowledged even now; a new signal is refused
        Answer retried = api.post("/api/v1/workflows/start-or-signal", body);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().path("signalStored").asBoolean()).isFalse();
        Answer finished = api.post("/api/v1/workflows/start-or-signal", body.replace("\"s-1\"", "\"s-3\""));
        assertThat(finished.status()).isEqualTo(409);
        assertThat(finished.body().path("data").path("weftCode").asString()).isEqualTo("WORKFLOW_FINISHED");
    }

    @Test
    void startOrSignalRefusesBadBodiesNamingTheField() {
        String sws = "/api/v1/workflows/start-or-signal";
        assertThat(api.post(sws, "{\"type\":\"nope\",\"id\":\"x\",\"signal\":{\"name\":\"a\"}}")).satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().path("data").path("field").asString()).isEqualTo("type");
        });
        assertThat(api.post(sws, "{\"type\":\"approval\",\"signal\":{\"name\":\"a\"}}").error()).isEqualTo("Missing required field: id");
        assertThat(api.post(sws, "{\"type\":\"approval\",\"id\":\"x\"}").error()).isEqualTo("Missing required field: signal");
        assertThat(api.post(sws, "{\"type\":\"approval\",\"id\":\"x\",\"signal\":{}}").error())
                .isEqualTo("Missing required field: signal.name");
        assertThat(api.post(sws, "{\"type\":\"approval\",\"id\":\"x\",\"signal\":7}").error()).isEqualTo("Field \"signal\" must be an object");
        assertThat(api.post(sws, "{\"type\":\"approval\",\"id\":\"x\",\"signal\":{\"name\":\"a\"},\"signalName\":\"a\"}")
                .body().path("data").path("field").asString()).isEqualTo("signal");
        assertThat(api.post(sws, "{\"type\":\"approval\",\"id\":\"x\",\"signal\":{\"name\":\"a\",\"signalId\":\"\"}}")
                .body().path("data").path("field").asString()).isEqualTo("signal.signalId");
        assertThat(api.get("/api/v1/workflows/x").status()).isEqualTo(404);
    }

    @Test
    void suspendAndResumeARunWaitingForASignal() {
        String id = api.start("approval", "\"held\"", id("suspend"));

        Answer suspended = api.post("/api/v1/workflows/" + id + "/suspend");
        Answer again = api.post("/api/v1/workflows/" + id + "/suspend");

        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.body().path("suspended").asBoolean()).isTrue();
        assertThat(again.body().path("suspended").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/workflows/" + id).body().path("status").asString()).isEqualTo("suspended");
        // a signal to a suspended run is stored and waits for the resume
        assertThat(api.post("/api/v1/workflows/" + id + "/signal/approve", "{\"payload\":\"ada\"}").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/workflows/" + id + "/signal/approve", "{\"payload\":\"bo\"}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=300ms").status()).isEqualTo(408);

        Answer resumed = api.post("/api/v1/workflows/" + id + "/resume");

        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body().path("id").asString()).isEqualTo(id);
        assertThat(resumed.body().path("status").asString()).isIn("running", "completed");
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=5s").body().path("result").asString())
                .isEqualTo("held approved by ada and bo");
        assertThat(api.post("/api/v1/workflows/" + id + "/suspend").status()).isEqualTo(409);
        assertThat(api.post("/api/v1/workflows/" + id + "/resume").status()).isEqualTo(409);
        assertThat(api.post("/api/v1/workflows/nope/suspend").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/workflows/nope/resume").status()).isEqualTo(404);
    }

    @Test
    void taskQueuesAreListedAndPausedAndResumedForEveryNode() {
        String queue = id("api-queue");

        assertThat(api.post("/api/v1/task-queues/" + queue + "/pause").status()).isEqualTo(200);

        Answer listed = api.get("/api/v1/task-queues");
        assertThat(listed.status()).isEqualTo(200);
        JsonNode paused = queueNamed(listed, queue);
        assertThat(paused.path("paused").asBoolean()).isTrue();
        assertThat(paused.path("depth").asLong()).isZero();
        assertThat(paused.path("servedHere").asBoolean()).isFalse();
        assertThat(paused.has("maxInFlight")).isFalse();

        assertThat(api.post("/api/v1/task-queues/" + queue + "/resume").status()).isEqualTo(200);
        assertThat(queueNamed(api.get("/api/v1/task-queues"), queue).path("paused").asBoolean()).isFalse();
    }

    @Test
    void aQueueNameThatIsNotOneIsRefusedWith400AndChangesNothing() {
        int before = api.get("/api/v1/task-queues").body().path("items").size();

        Answer refused = api.post("/api/v1/task-queues/bad.name/pause");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("queue name");
        assertThat(api.get("/api/v1/task-queues").body().path("items").size()).isEqualTo(before);
    }

    private static JsonNode queueNamed(Answer answer, String name) {
        for (JsonNode item : answer.body().path("items")) {
            if (item.path("name").asString().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no queue " + name + " in " + answer.raw());
    }

    @Test
    void openApiDescribesEveryPathOfTheControllers() {
        Answer answer = new ApiCalls(mvc, null).get("/api/v1/openapi.yaml");

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> document = new Yaml().load(answer.raw());
        assertThat(document.get("openapi").toString()).startsWith("3.");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        List<Method> endpoints = WeftApi.CONTROLLERS.stream().flatMap(controller -> Arrays.stream(controller.getDeclaredMethods())).toList();
        assertThat(endpoints).isNotEmpty();
        for (Method method : endpoints) {
            String path = null;
            String verb = null;
            if (method.getAnnotation(GetMapping.class) instanceof GetMapping get) {
                path = first(get.value(), get.path());
                verb = "get";
            } else if (method.getAnnotation(PostMapping.class) instanceof PostMapping post) {
                path = first(post.value(), post.path());
                verb = "post";
            } else if (method.getAnnotation(DeleteMapping.class) instanceof DeleteMapping delete) {
                path = first(delete.value(), delete.path());
                verb = "delete";
            }
            if (path != null) {
                String full = WeftApi.BASE_PATH + path;
                assertThat(paths).as("paths of openapi.yaml").containsKey(full);
                assertThat(paths.get(full)).as(verb + " " + full).containsKey(verb);
            }
        }
    }

    private static String first(String[] value, String[] path) {
        return value.length > 0 ? value[0] : path[0];
    }
}
