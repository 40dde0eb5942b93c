package dev.weft.spring.boot.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.spring.WeftClient;
import dev.weft.spring.web.ApiTestApplication;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code weft} endpoint over HTTP with {@code show-values=when-authorized}: the web extension
 * replaces the endpoint's read of one run, so the caller's principal and roles (from Spring
 * Security) decide whether its payloads are shown; the list keeps the REST API's shape. The queues
 * have an endpoint of their own, {@code weftqueues}, beside it.
 */
@SpringBootTest(classes = {ApiTestApplication.class, WeftEndpointWebTests.ActuatorSecurity.class},
        properties = {"weft.jdbc.initialize-schema=always", "weft.adoption-interval=0",
                "management.endpoints.web.exposure.include=weft,weftqueues", "management.endpoint.weft.show-values=when-authorized",
                "management.endpoint.weft.roles=WEFT_ADMIN"})
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
class WeftEndpointWebTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The management endpoints open to all, so that only show-values decides what a caller sees. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ActuatorSecurity {
        @Bean
        @Order(0)
        SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
            return http.securityMatcher("/actuator/**").authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .build();
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    WeftClient client;

    @Autowired
    WeftEngine engine;

    @Test
    void showsPayloadsOnlyToACallerWithTheRole() throws Exception {
        WorkflowHandle<Object> run = client.start("echo", "ada@example.com");
        run.result(Duration.ofSeconds(10));

        JsonNode anonymous = read(get("/actuator/weft/" + run.id()));
        assertThat(anonymous.path("status").asString()).isEqualTo("completed");
        assertThat(anonymous.path("input").asString()).isEqualTo(WeftEndpoint.MASK);
        assertThat(anonymous.path("result").asString()).isEqualTo(WeftEndpoint.MASK);

        JsonNode withoutRole = read(get("/actuator/weft/" + run.id()).with(user("guest")));
        assertThat(withoutRole.path("input").asString()).isEqualTo(WeftEndpoint.MASK);

        JsonNode authorized = read(get("/actuator/weft/" + run.id()).with(user("ops").roles("WEFT_ADMIN")));
        assertThat(authorized.path("input").asString()).isEqualTo("\"ada@example.com\"");
        assertThat(authorized.path("result").asString()).isEqualTo("\"echo:ada@example.com\"");
    }

    @Test
    void listsRunsInTheShapeOfTheApi() throws Exception {
        client.start("echo", "Bo").result(Duration.ofSeconds(10));

        JsonNode page = read(get("/actuator/weft?type=echo&limit=1"));

        assertThat(page.propertyNames()).containsExactlyInAnyOrder("items", "total", "offset", "limit");
        assertThat(page.path("limit").asInt()).isEqualTo(1);
        assertThat(page.path("items")).hasSize(1);
        assertThat(page.path("items").get(0).has("cancelRequested")).isTrue();
        assertThat(mvc.perform(get("/actuator/weft?limit=5&page=1")).andReturn().getResponse().getStatus()).isEqualTo(400);
    }

    @Test
    void showsTheQueuesAtTheirOwnEndpointInTheShapeOfTheApi() throws Exception {
        engine.queues().pause("ops-mail");

        JsonNode list = read(get("/actuator/weftqueues"));
        assertThat(list.propertyNames()).containsExactly("items");
        assertThat(list.path("items").valueStream().map(queue -> queue.path("name").asString())).contains("ops-mail");

        JsonNode one = read(get("/actuator/weftqueues/ops-mail"));
        assertThat(one.path("paused").asBoolean()).isTrue();
        assertThat(one.path("depth").asLong()).isZero();
        assertThat(one.path("inFlight").asLong()).isZero();
        assertThat(one.path("expiredClaims").asLong()).isZero();
        assertThat(one.has("oldestWaitingMillis")).as("absent while none waits").isFalse();
        assertThat(one.has("claimedHere")).isTrue();

        assertThat(status(get("/actuator/weftqueues/no-such-queue"))).isEqualTo(404);
        assertThat(status(get("/actuator/weftqueues/bad.name"))).isEqualTo(400);
        assertThat(status(get("/actuator/weft/queues"))).as("still the run of that id, which does not exist").isEqualTo(404);
        assertThat(read(get("/actuator")).path("_links").has("weftqueues")).isTrue();
    }

    private int status(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getStatus();
    }

    private static MockHttpServletRequestBuilder get(String path) {
        return MockMvcRequestBuilders.get(path);
    }

    private JsonNode read(MockHttpServletRequestBuilder request) throws Exception {
        var response = mvc.perform(request).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return JSON.readTree(response.getContentAsString());
    }
}
