package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.weft.spring.web.ApiCalls.Answer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The API keeps to itself: an application's Jackson settings do not change the API's JSON, the
 * API's writer does not take over the application's bodies, and the API's error advice does not
 * answer for the application's controllers.
 */
@SpringBootTest(classes = { ApiTestApplication.class, ApiIsolationTests.Shop.class }, properties = {
        "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "weft.jdbc.initialize-schema=always", "weft.adoption-interval=0",
        "spring.jackson.property-naming-strategy=SNAKE_CASE", "spring.jackson.default-property-inclusion=non_null" })
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
class ApiIsolationTests {

    /** An application controller of its own (registered as a member of this configuration). */
    @TestConfiguration(proxyBeanMethods = false)
    static class Shop {

        record Order(String orderId, @Nullable String note) {
        }

        @RestController
        static class Orders {
            @GetMapping("/shop/order")
            Order order() {
                return new Order("o-1", null);
            }

            @GetMapping("/shop/broken")
            Order broken() {
                throw new IllegalStateException("the shop's own failure");
            }
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void theApisJsonIgnoresTheApplicationsJacksonSettings() {
        ApiCalls api = new ApiCalls(mvc, null);
        String id = api.start("echo", "\"iso\"", "isolation-" + System.nanoTime());

        Answer run = api.get("/api/v1/workflows/" + id);

        assertThat(run.body().has("cancelRequested")).as(run.raw()).isTrue();
        assertThat(run.body().has("failure")).as(run.raw()).isTrue();
        assertThat(api.get("/api/v1/workflows/nope").body().path("data").has("weftCode")).isTrue();
    }

    @Test
    void theApplicationsBodiesAndErrorsStayTheApplications() {
        Answer order = new ApiCalls(mvc, null).get("/shop/order");

        assertThat(order.raw()).isEqualTo("{\"order_id\":\"o-1\"}");
        assertThatThrownBy(() -> mvc.perform(get("/shop/broken")))
                .rootCause().hasMessage("the shop's own failure");
    }

    @Test
    void theErrorAdviceCoversEveryControllerOfTheApiAndNoOther() {
        RestControllerAdvice scope = ApiErrorAdvice.class.getAnnotation(RestControllerAdvice.class);

        assertThat(scope.assignableTypes()).containsExactlyInAnyOrderElementsOf(WeftApi.CONTROLLERS);
        assertThat(scope.basePackages()).isEmpty();
        assertThat(scope.basePackageClasses()).isEmpty();
        assertThat(scope.annotations()).isEmpty();
    }
}
