package dev.weft.spring.boot.autoconfigure.endpoint;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code weft} actuator endpoint, when Actuator is on the class path and the endpoint is available. */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnClass({WeftEngine.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(WeftEngine.class)
public final class WeftEndpointAutoConfiguration {

    // On the method, not the class: the class conditions come first, so an application without
    // Actuator never has to resolve this condition's class.
    @Bean
    @ConditionalOnAvailableEndpoint(WeftEndpoint.class)
    @ConditionalOnMissingBean
    WeftEndpoint weftEndpoint(WeftEngine engine) {
        return new WeftEndpoint(engine);
    }
}
