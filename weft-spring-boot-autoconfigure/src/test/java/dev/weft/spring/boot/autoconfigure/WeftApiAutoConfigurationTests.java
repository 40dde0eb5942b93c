package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.web.ApiAccessInterceptor;
import dev.weft.spring.web.ApiErrorAdvice;
import dev.weft.spring.web.WeftApi;
import dev.weft.spring.web.WorkflowController;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.DispatcherServlet;

class WeftApiAutoConfigurationTests {

    private final AutoConfigurations configurations = AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class,
            WeftApiAutoConfiguration.class, WeftWorkerEndpointAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(configurations)
            .withPropertyValues("weft.adoption-interval=0");

    @Test
    void servesTheApiInAServletApplicationLoopbackOnlyWithoutCredentials() {
        web.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ApiErrorAdvice.class);
            WeftApi.CONTROLLERS.forEach(controller -> assertThat(context).hasSingleBean(controller));
            assertThat(context.getBean(ApiAccessInterceptor.class).mode()).isEqualTo(ApiAccessInterceptor.Mode.LOOPBACK_ONLY);
            assertThat(context).doesNotHaveBean(WeftApiAutoConfiguration.SECURITY_FILTER_CHAIN);
        });
    }

    @Test
    void usesApiKeysWhenConfigured() {
        web.withPropertyValues("weft.api.keys[0].key=k", "weft.api.keys[0].scopes=workflows:read").run(context ->
                assertThat(context.getBean(ApiAccessInterceptor.class).mode()).isEqualTo(ApiAccessInterceptor.Mode.API_KEYS));
    }

    @Test
    void refusesAKeyWithoutItsSecret() {
        web.withPropertyValues("weft.api.keys[0].scopes=workflows:read").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("weft.api.keys[0].key"));
    }

    @Test
    void canBeTurnedOff() {
        web.withPropertyValues("weft.api.enabled=false").run(context -> assertThat(context).doesNotHaveBean(WorkflowController.class));
    }

    @Test
    void needsSpringMvcAndAWebApplication() {
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(WorkflowController.class));
        new ApplicationContextRunner().withConfiguration(configurations).withPropertyValues("weft.adoption-interval=0")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WorkflowController.class));
    }
}
