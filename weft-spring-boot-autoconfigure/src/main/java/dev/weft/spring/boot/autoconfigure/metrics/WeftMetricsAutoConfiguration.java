package dev.weft.spring.boot.autoconfigure.metrics;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.metrics.WeftMetrics;
import dev.weft.spring.boot.actuate.metrics.WeftQueueMetrics;
import dev.weft.spring.boot.actuate.metrics.WeftRemoteWorkerMetrics;
import dev.weft.spring.remote.RemoteWorkerHub;
import java.util.List;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link WeftMetrics} on the application's {@link MeterRegistry}. As an
 * {@link dev.weft.event.EngineListener} bean it is added to the auto-configured engine, and as a
 * {@link dev.weft.event.CommitObserver} bean to the auto-configured JDBC store; an engine or
 * store the application builds itself should be given it the same way.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({WeftEngine.class, MeterRegistry.class})
@ConditionalOnBean({WeftEngine.class, MeterRegistry.class})
public final class WeftMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WeftMetrics weftMetrics(MeterRegistry registry, ObjectProvider<WeftEngine> engine) {
        // The engine takes this bean as a listener, so it cannot be injected here: it is looked up when first read.
        return new WeftMetrics(registry, new ActiveRuns(engine));
    }

    @Bean
    @ConditionalOnMissingBean
    WeftQueueMetrics weftQueueMetrics(MeterRegistry registry, ObjectProvider<WeftEngine> engine) {
        return new WeftQueueMetrics(registry, () -> {
            WeftEngine known = engine.getIfAvailable();
            return known == null ? List.of() : known.queues().list();
        });
    }

    /** Meters of the remote workers connected to this node, when the worker protocol is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.weft.worker.protocol.Frames")
    static class RemoteWorkerMeters {

        @Bean
        @ConditionalOnMissingBean
        WeftRemoteWorkerMetrics weftRemoteWorkerMetrics(MeterRegistry registry, ObjectProvider<RemoteWorkerHub> hub) {
            return new WeftRemoteWorkerMetrics(registry, () -> {
                RemoteWorkerHub known = hub.getIfAvailable();
                return known == null ? List.of() : known.workers();
            });
        }
    }

    /** The engine's active run count, once the engine exists; zero before. */
    private static final class ActiveRuns implements IntSupplier {

        private final ObjectProvider<WeftEngine> provider;

        private final AtomicReference<WeftEngine> engine = new AtomicReference<>();

        ActiveRuns(ObjectProvider<WeftEngine> provider) {
            this.provider = provider;
        }

        @Override
        public int getAsInt() {
            WeftEngine known = engine.get();
            if (known == null) {
                try {
                    known = provider.getIfAvailable();
                } catch (BeansException e) {
                    return 0; // being created or already destroyed
                }
                if (known == null) {
                    return 0;
                }
                engine.set(known);
            }
            return known.activeRunCount();
        }
    }
}
