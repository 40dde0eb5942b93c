package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.web.WeftProblemDetailsAdvice;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The problem-details advice is there in a servlet application unless switched off, and never without one. */
class WeftProblemDetailsAutoConfigurationTests {

    private final AutoConfigurations configurations = AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class,
            WeftProblemDetailsAutoConfiguration.class);

    @Test
    void aServletApplicationGetsTheAdvice() {
        new WebApplicationContextRunner().withConfiguration(configurations).withPropertyValues("weft.adoption-interval=0")
                .run(context -> assertThat(context).hasSingleBean(WeftProblemDetailsAdvice.class));
    }

    @Test
    void thePropertySwitchesItOff() {
        new WebApplicationContextRunner().withConfiguration(configurations)
                .withPropertyValues("weft.adoption-interval=0", "weft.web.problem-details.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftProblemDetailsAdvice.class));
    }

    @Test
    void anApplicationWithoutWebMvcHasNone() {
        new ApplicationContextRunner().withConfiguration(configurations).withPropertyValues("weft.adoption-interval=0")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftProblemDetailsAdvice.class));
    }
}
