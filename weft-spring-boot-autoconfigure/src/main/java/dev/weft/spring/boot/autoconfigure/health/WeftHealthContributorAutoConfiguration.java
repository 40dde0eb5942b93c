package dev.weft.spring.boot.autoconfigure.health;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.health.WeftHealthIndicator;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftProperties;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code weft} health indicator, when Boot's health support is on the class path and
 * {@code management.health.weft.enabled} is not {@code false}.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnClass({WeftEngine.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(WeftEngine.class)
@EnableConfigurationProperties(WeftHealthProperties.class)
public final class WeftHealthContributorAutoConfiguration {

    // On the method, not the class: the class conditions come first, so an application without
    // Boot's health support never has to resolve this condition's class.
    @Bean
    @ConditionalOnEnabledHealthIndicator("weft")
    @ConditionalOnMissingBean(name = "weftHealthIndicator")
    WeftHealthIndicator weftHealthIndicator(WeftEngine engine, WeftProperties properties,
            WeftHealthProperties health) {
        Duration overdueAfter = health.getOverdueAfter();
        return new WeftHealthIndicator(engine, overdueAfter != null ? overdueAfter : properties.getLease(),
                health.getQueueBacklogAfter());
    }
}
