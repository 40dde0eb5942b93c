package dev.weft.spring.boot.autoconfigure.endpoint;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpointWebExtension;
import dev.weft.spring.boot.actuate.endpoint.WeftQueuesEndpoint;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code weft} actuator endpoint, when Actuator is on the class path and the endpoint is
 * available, with its web extension, which shows payloads per request as
 * {@code management.endpoint.weft.show-values} and {@code roles} say; and the {@code weftqueues}
 * endpoint, each exposed and given access on its own.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnClass({WeftEngine.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(WeftEngine.class)
@EnableConfigurationProperties(WeftEndpointProperties.class)
public final class WeftEndpointAutoConfiguration {

    // On the method, not the class: the class conditions come first, so an application without
    // Actuator never has to resolve this condition's class.
    @Bean
    @ConditionalOnAvailableEndpoint(WeftEndpoint.class)
    @ConditionalOnMissingBean
    WeftEndpoint weftEndpoint(WeftEngine engine, WeftEndpointProperties properties) {
        return new WeftEndpoint(engine, properties.getShowValues());
    }

    @Bean
    @ConditionalOnAvailableEndpoint(endpoint = WeftEndpoint.class, exposure = EndpointExposure.WEB)
    @ConditionalOnBean(WeftEndpoint.class)
    @ConditionalOnMissingBean
    WeftEndpointWebExtension weftEndpointWebExtension(WeftEndpoint endpoint, WeftEndpointProperties properties) {
        return new WeftEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles());
    }

    @Bean
    @ConditionalOnAvailableEndpoint(WeftQueuesEndpoint.class)
    @ConditionalOnMissingBean
    WeftQueuesEndpoint weftQueuesEndpoint(WeftEngine engine) {
        return new WeftQueuesEndpoint(engine);
    }
}
