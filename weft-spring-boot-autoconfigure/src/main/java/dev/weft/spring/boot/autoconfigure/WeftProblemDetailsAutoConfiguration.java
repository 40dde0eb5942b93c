package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.spring.web.WeftProblemDetailsAdvice;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Renders Weft's refusals that escape an application's Spring MVC controllers as problem details
 * with the right status ({@code weft.web.problem-details.enabled}, on by default). Backs off
 * without servlet Spring MVC.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, WeftEngine.class })
@ConditionalOnBean(WeftEngine.class)
@ConditionalOnBooleanProperty(name = "weft.web.problem-details.enabled", matchIfMissing = true)
public final class WeftProblemDetailsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WeftProblemDetailsAdvice weftProblemDetailsAdvice() {
        return new WeftProblemDetailsAdvice();
    }
}
