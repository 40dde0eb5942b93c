package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.failure.StoreException;
import dev.weft.failure.WeftException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.failure.WorkflowNotTerminalException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Weft's refusals that an application controller lets escape answer as problem details with the
 * status the API gives them, each provoked through the real engine; an application's own advice
 * answers first, and a failure of the server stays one.
 */
@SpringBootTest(classes = { ApiTestApplication.class, ProblemDetailsTests.Shop.class }, properties = {
        "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "weft.jdbc.initialize-schema=always", "weft.adoption-interval=0" })
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
class ProblemDetailsTests {

    /** An application's controllers, which let Weft's exceptions escape. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Shop {

        @RestController
        static class Orders {

            private final WeftEngine engine;

            Orders(WeftEngine engine) {
                this.engine = engine;
            }

            @GetMapping("/shop/unknown-type")
            String unknownType() {
                return engine.start("no-such-workflow", "x").id();
            }

            @GetMapping("/shop/missing")
            String missing() {
                engine.runs().delete("no-such-run");
                return "deleted";
            }

            @GetMapping("/shop/twice")
            String twice() {
                String id = "twice-" + System.nanoTime();
                engine.start("approval", "x", StartOptions.withId(id));
                return engine.start("approval", "x", StartOptions.withId(id)).id();
            }

            @GetMapping("/shop/live")
            String live() {
                String id = "live-" + System.nanoTime();
                engine.start("approval", "x", StartOptions.withId(id));
                engine.runs().delete(id);
                return "deleted";
            }

            @GetMapping("/shop/database-down")
            String databaseDown() {
                throw new StoreException("the database is down");
            }
        }

        @RestController
        static class Handled {

            private final WeftEngine engine;

            Handled(WeftEngine engine) {
                this.engine = engine;
            }

            @GetMapping("/shop/handled")
            String handled() {
                return engine.start("no-such-workflow", "x").id();
            }
        }

        /** The application's own advice, for one of its controllers. */
        @RestControllerAdvice(assignableTypes = Handled.class)
        static class OwnAdvice {

            @ExceptionHandler(WeftException.class)
            ResponseEntity<String> weft(WeftException e) {
                return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("the shop's answer");
            }
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void anUnknownWorkflowTypeIsABadRequest() throws Exception {
        JsonNode problem = problem("/shop/unknown-type", 400);

        assertThat(problem.path("title").asString()).isEqualTo("Bad Request");
        assertThat(problem.path("detail").asString()).contains("no-such-workflow");
        assertThat(problem.path("weftCode").asString()).isEqualTo(WorkflowNotRegisteredException.CODE);
    }

    @Test
    void aRunNotFoundIsNotFound() throws Exception {
        JsonNode problem = problem("/shop/missing", 404);

        assertThat(problem.path("detail").asString()).isEqualTo("Workflow 'no-such-run' not found");
        assertThat(problem.path("weftCode").asString()).isEqualTo(WorkflowNotFoundException.CODE);
    }

    @Test
    void aRunThatAlreadyExistsIsAConflict() throws Exception {
        JsonNode problem = problem("/shop/twice", 409);

        assertThat(problem.path("weftCode").asString()).isEqualTo(WorkflowAlreadyExistsException.CODE);
    }

    @Test
    void aRunThatIsNotTerminalIsAConflict() throws Exception {
        JsonNode problem = problem("/shop/live", 409);

        assertThat(problem.path("weftCode").asString()).isEqualTo(WorkflowNotTerminalException.CODE);
        assertThat(problem.path("identifier").asString()).startsWith("live-");
    }

    /** The problem detail {@code path} answers, checking its status (in the answer and the body) and its media type. */
    private JsonNode problem(String path, int status) throws Exception {
        MockHttpServletResponse response = mvc.perform(get(path)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(MediaType.parseMediaType(response.getContentType()).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        JsonNode problem = JsonMapper.builder().build().readTree(response.getContentAsString());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }

    @Test
    void theApplicationsOwnAdviceAnswersFirst() throws Exception {
        mvc.perform(get("/shop/handled"))
                .andExpect(status().isIAmATeapot())
                .andExpect(content().string("the shop's answer"));
    }

    @Test
    void aFailureOfTheServerIsNoRefusalAndStaysAFailure() {
        assertThatThrownBy(() -> mvc.perform(get("/shop/database-down")))
                .rootCause().isInstanceOf(StoreException.class).hasMessage("the database is down");
    }

    @Test
    void theApisOwnErrorsKeepTheirShape() throws Exception {
        String body = mvc.perform(get("/api/v1/workflows/no-such-run")).andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString();

        assertThat(body).contains("\"code\":\"NotFound\"").doesNotContain("\"title\"");
    }
}
