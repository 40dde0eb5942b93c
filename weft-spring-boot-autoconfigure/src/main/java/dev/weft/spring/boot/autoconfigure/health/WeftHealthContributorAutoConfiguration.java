package dev.weft.spring.boot.autoconfigure.health;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.health.RemoteWorkerHealth;
import dev.weft.spring.boot.actuate.health.WeftHealthIndicator;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftProperties;
import dev.weft.spring.remote.RemoteWorkerHub;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code weft} health indicator, when Boot's health support is on the class path and
 * {@code management.health.weft.enabled} is not {@code false}; with the details of the remote
 * workers connected to this node when it has their endpoint.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class,
        afterName = "dev.weft.spring.boot.autoconfigure.WeftWorkerEndpointAutoConfiguration")
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
            WeftHealthProperties health, ObjectProvider<RemoteWorkerHealth> remoteWorkers) {
        Duration overdueAfter = health.getOverdueAfter();
        return new WeftHealthIndicator(engine, overdueAfter != null ? overdueAfter : properties.getLease(),
                health.getQueueBacklogAfter(), remoteWorkers.getIfAvailable());
    }

    /** The remote worker details, on a node with their endpoint (which needs the worker protocol on the class path). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.weft.worker.protocol.Frames")
    @ConditionalOnBean(type = "dev.weft.spring.remote.RemoteWorkerHub")
    static class RemoteWorkers {

        @Bean
        @ConditionalOnMissingBean
        RemoteWorkerHealth weftRemoteWorkerHealth(RemoteWorkerHub hub, WeftHealthProperties health) {
            return new RemoteWorkerHealth(hub::workers, health.getRemoteWorkerHeartbeatAfter());
        }
    }
}
