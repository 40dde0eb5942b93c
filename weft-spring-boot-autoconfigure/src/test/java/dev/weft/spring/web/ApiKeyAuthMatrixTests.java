package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.web.ApiCalls.Answer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;

/** Every endpoint x {anonymous, wrong scope, right scope, bad key} with API keys from properties. */
@ApiKeyModeTest
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyAuthMatrixTests {

    private static final String BAD_KEY = "not-a-key-5f3a9c";

    @Autowired
    MockMvc mvc;

    static Iterable<ApiEndpoints> endpoints() {
        return ApiEndpoints.all();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void anonymousIs401(ApiEndpoints endpoint, CapturedOutput output) {
        Answer answer = new ApiCalls(mvc, null).send(endpoint.request());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().path("code").asString()).isEqualTo("Unauthorized");
        assertThat(answer.body().path("data").path("reason").asString()).isEqualTo("missing-credential");
        assertThat(output).contains("Weft API refused " + endpoint.method() + " " + endpoint.path().split("\\?")[0]);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void wrongScopeIs403(ApiEndpoints endpoint, CapturedOutput output) {
        String key = endpoint.scope().equals(ApiScopes.WORKFLOWS_READ) ? ApiKeyModeTest.WRITE_KEY : ApiKeyModeTest.READ_KEY;

        Answer answer = new ApiCalls(mvc, key).send(endpoint.request());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().path("data").path("requiredScope").asString()).isEqualTo(endpoint.scope());
        assertThat(output).contains("missing-scope " + endpoint.scope()).doesNotContain(key);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void rightScopeIsLetThrough(ApiEndpoints endpoint) {
        String key = endpoint.scope().equals(ApiScopes.WORKFLOWS_READ) ? ApiKeyModeTest.READ_KEY : ApiKeyModeTest.WRITE_KEY;

        Answer answer = new ApiCalls(mvc, key).send(endpoint.request());

        assertThat(answer.status()).isNotIn(401, 403, 500);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void badKeyIs401AndNeverLogged(ApiEndpoints endpoint, CapturedOutput output) {
        Answer asHeader = new ApiCalls(mvc, BAD_KEY).send(endpoint.request());
        Answer asBearer = new ApiCalls(mvc, null).send(endpoint.request().header("Authorization", "Bearer " + BAD_KEY));

        assertThat(asHeader.status()).isEqualTo(401);
        assertThat(asBearer.status()).isEqualTo(401);
        assertThat(asBearer.body().path("data").path("reason").asString()).isEqualTo("invalid-credential");
        assertThat(output).contains("invalid-credential").doesNotContain(BAD_KEY);
    }
}
