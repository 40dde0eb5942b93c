package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

import dev.weft.spring.boot.autoconfigure.WeftApiAutoConfiguration;
import dev.weft.spring.web.ApiCalls.Answer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Every endpoint x {anonymous, wrong scope, right scope, bad token} when Spring Security guards
 * the API: the application only defines a {@link JwtDecoder}, as Spring Boot does for an OAuth2
 * resource server, and scopes in the token's {@code scope} claim do the rest.
 */
@SpringBootTest(classes = { ApiTestApplication.class, SpringSecurityAuthMatrixTests.Tokens.class },
        properties = { "weft.jdbc.initialize-schema=always", "weft.adoption-interval=0" })
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
@ExtendWith(OutputCaptureExtension.class)
class SpringSecurityAuthMatrixTests {

    @TestConfiguration(proxyBeanMethods = false)
    static class Tokens {
        /** Tokens named by their scope: "token.workflows.read" carries workflows:read; anything else is refused. */
        @Bean
        JwtDecoder jwtDecoder() {
            return token -> {
                if (!token.startsWith("token.workflows.")) {
                    throw new BadJwtException("not a test token");
                }
                String scope = token.substring("token.".length()).replaceFirst("\\.", ":");
                return new Jwt(token, Instant.now(), Instant.now().plusSeconds(60), Map.of("alg", "none"),
                        Map.of("sub", "tester", "scope", scope));
            };
        }
    }

    private static String token(String scope) {
        return "token." + scope.replace(':', '.');
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    static Iterable<ApiEndpoints> endpoints() {
        return ApiEndpoints.all();
    }

    /** A remote worker's WebSocket upgrade needs workers:write; neither API scope will do (the upgrade itself needs a real server). */
    @Test
    void aWorkersUpgradeNeedsTheWorkersScope() {
        ApiEndpoints upgrade = new ApiEndpoints(HttpMethod.GET, "/api/v1/tasks/matrix/stream", null, ApiScopes.WORKERS_WRITE);

        assertThat(send(upgrade, null).status()).isEqualTo(401);
        for (String scope : List.of(ApiScopes.WORKFLOWS_READ, ApiScopes.WORKFLOWS_WRITE)) {
            Answer answer = send(upgrade, token(scope));
            assertThat(answer.status()).as(scope).isEqualTo(403);
            assertThat(answer.body().path("data").path("requiredScope").asString()).isEqualTo(ApiScopes.WORKERS_WRITE);
        }
    }

    private Answer send(ApiEndpoints endpoint, String token) {
        return new ApiCalls(mvc, null).send(token == null ? endpoint.request()
                : endpoint.request().header("Authorization", "Bearer " + token));
    }

    @Test
    void theApisFilterChainIsDefinedAndApiKeysAreNotInPlay() {
        assertThat(context.containsBean(WeftApiAutoConfiguration.SECURITY_FILTER_CHAIN)).isTrue();
        assertThat(context.getBean(ApiAccessInterceptor.class).mode()).isEqualTo(ApiAccessInterceptor.Mode.SPRING_SECURITY);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void anonymousIs401(ApiEndpoints endpoint, CapturedOutput output) {
        Answer answer = send(endpoint, null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().path("code").asString()).isEqualTo("Unauthorized");
        assertThat(output).contains("Weft API refused " + endpoint.method());
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void wrongScopeIs403(ApiEndpoints endpoint) {
        String other = endpoint.scope().equals(ApiScopes.WORKFLOWS_READ) ? ApiScopes.WORKFLOWS_WRITE : ApiScopes.WORKFLOWS_READ;

        Answer answer = send(endpoint, token(other));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().path("data").path("requiredScope").asString()).isEqualTo(endpoint.scope());
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void rightScopeIsLetThrough(ApiEndpoints endpoint) {
        Answer answer = send(endpoint, token(endpoint.scope()));

        assertThat(answer.status()).isNotIn(401, 403, 500);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void badTokenIs401AndNeverLogged(ApiEndpoints endpoint, CapturedOutput output) {
        Answer answer = send(endpoint, "forged-7d1e2b");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().path("data").path("reason").asString()).isEqualTo("invalid-credential");
        assertThat(output).doesNotContain("forged-7d1e2b");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void springSecurityTestsJwtPostProcessorCarriesScopesToo(ApiEndpoints endpoint) {
        Answer allowed = new ApiCalls(mvc, null).send(endpoint.request()
                .with(jwt().jwt(token -> token.claim("scope", endpoint.scope()))));
        Answer denied = new ApiCalls(mvc, null).send(endpoint.request().with(jwt().jwt(token -> token.claim("scope", "other"))));

        assertThat(allowed.status()).isNotIn(401, 403, 500);
        assertThat(denied.status()).isEqualTo(403);
    }

    @Test
    void theOpenApiDescriptionIsPublic() {
        assertThat(new ApiCalls(mvc, null).get("/api/v1/openapi.yaml").status()).isEqualTo(200);
    }
}
