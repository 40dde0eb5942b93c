package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.web.ApiCalls.Answer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A crash between accepting a completion and committing the checkpoint that adopts it: the
 * resolving transaction's commit fails. Either the run waits and the token still works, or the
 * run has the result and the token is spent; never both, never neither.
 */
@ApiKeyModeTest
class AsyncCompletionCommitFailureTests {

    private static final String RESOLVING_STATEMENT = "state = 'pending' and kind = 'activity'";

    @Autowired
    MockMvc mvc;

    @Autowired
    CommitFaults faults;

    @Autowired
    DataSource dataSource;

    @Test
    void aCompletionWhoseCommitFailsLeavesTheRunWaitingAndTheTokenUsable() {
        ApiCalls api = new ApiCalls(mvc, ApiKeyModeTest.ALL_KEY);
        String id = api.start("callback", "\"https://callbacks.example.com/crash\"", "crash-" + System.nanoTime());
        String token = api.awaitToken(id);

        faults.failNextCommitOf(RESOLVING_STATEMENT);
        Answer failed = api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":true}}");

        assertThat(faults.isArmed()).as("the resolving commit was the one that failed").isFalse();
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body().path("error").asString()).isEqualTo("Internal server error");
        assertThat(failed.raw()).doesNotContainIgnoringCase("sql").doesNotContain("Exception").doesNotContain("dev.weft")
                .doesNotContain("weft_journal");
        // still waiting, token not spent: neither outcome was adopted
        assertThat(api.get("/api/v1/workflows/" + id).body().path("status").asString()).isEqualTo("running");
        assertThat(journalState(id)).isEqualTo("pending");
        assertThat(api.get("/api/v1/workflows/" + id + "/pending-async-activities").body().path("items").get(0).path("token").asString())
                .isEqualTo(token);

        Answer retried = api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":\"second\"}}");

        // adopted and spent together
        assertThat(retried.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=5s").body().path("result").asString()).isEqualTo("ok=second");
        assertThat(journalState(id)).isEqualTo("completed");
        assertThat(api.post("/api/v1/activities/complete", "{\"token\":\"" + token + "\",\"result\":{\"ok\":3}}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/workflows/" + id + "/pending-async-activities").body().path("items").size()).isZero();
    }

    private String journalState(String runId) {
        return JdbcClient.create(dataSource).sql("select state from weft_journal where run_id = :id and kind = 'activity'")
                .param("id", runId).query(String.class).single();
    }
}
