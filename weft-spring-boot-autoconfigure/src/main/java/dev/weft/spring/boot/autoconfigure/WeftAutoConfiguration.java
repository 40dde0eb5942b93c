package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.WorkflowClient;
import dev.weft.event.EngineListener;
import dev.weft.payload.JacksonPayloadSerializer;
import dev.weft.payload.PayloadSerializer;
import dev.weft.spring.DurableMethodPostProcessor;
import dev.weft.spring.DurableMethodRegistrar;
import dev.weft.spring.WeftClient;
import dev.weft.store.WorkflowStore;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Weft engine ({@code weftEngine}) on the auto-configured store, with the {@code weft.*}
 * settings, the application's Jackson {@link JsonMapper} for payloads and every
 * {@link WeftEngineCustomizer}; the discovery of {@code @Workflow} and {@code @Activity} methods;
 * the {@link WeftClient}; and the {@link WeftLifecycle} that starts and stops the engine's work.
 */
@AutoConfiguration(after = WeftJdbcAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(WeftEngine.class)
@Conditional(WeftAutoConfiguration.StoreOrEngineCondition.class)
@EnableConfigurationProperties(WeftProperties.class)
public final class WeftAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    static DurableMethodPostProcessor weftDurableMethodPostProcessor() {
        return new DurableMethodPostProcessor();
    }

    @Bean
    @ConditionalOnMissingBean
    WeftEngine weftEngine(WorkflowStore store, WeftProperties properties, ObjectProvider<PayloadSerializer> serializer,
            ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<EngineListener> listeners,
            ObjectProvider<WeftEngineCustomizer> customizers) {
        WeftEngineBuilder builder = WeftEngine.builder()
                .store(store)
                .lease(properties.getLease())
                .adoptionInterval(properties.getAdoptionInterval())
                .defaultRetryPolicy(properties.getRetry().toPolicy())
                .developmentMode(properties.isDevelopmentMode())
                .parkAfter(properties.getParkAfter())
                .maxPayloadBytes(properties.getMaxPayloadBytes())
                .worker(properties.getWorker().isEnabled());
        properties.getQueues().forEach((queue, settings) -> {
            if (properties.getWorker().serves(queue)) {
                builder.queue(queue, settings.toOptions());
            }
        });
        if (properties.getNodeId() != null) {
            builder.nodeId(properties.getNodeId());
        }
        if (properties.getLeaseRenewInterval() != null) {
            builder.leaseRenewInterval(properties.getLeaseRenewInterval());
        }
        PayloadSerializer own = serializer.getIfUnique();
        if (own != null) {
            builder.serializer(own);
        } else {
            jsonMapper.ifUnique(mapper -> builder.serializer(new JacksonPayloadSerializer(mapper)));
        }
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    DurableMethodRegistrar weftDurableMethodRegistrar(WeftEngine engine, DurableMethodPostProcessor processor,
            ListableBeanFactory beanFactory, WeftProperties properties) {
        return new DurableMethodRegistrar(engine, processor, beanFactory,
                queue -> engine.isWorker() && properties.getWorker().serves(queue));
    }

    @Bean
    @ConditionalOnMissingBean
    WeftClient weftClient(WeftEngine engine, DurableMethodPostProcessor processor) {
        return new WeftClient(engine, processor);
    }

    /** The transport-neutral client, in process: the same interface the HTTP client implements for other services. */
    @Bean
    @ConditionalOnMissingBean(WorkflowClient.class)
    EngineWorkflowClient weftWorkflowClient(WeftEngine engine) {
        return new EngineWorkflowClient(engine);
    }

    @Bean
    @ConditionalOnMissingBean
    WeftLifecycle weftLifecycle(WeftEngine engine, WeftProperties properties, ObjectProvider<WorkflowStore> store,
            ObjectProvider<WeftDataSourceScriptDatabaseInitializer> initializer) {
        return new WeftLifecycle(engine, properties.getShutdownTimeout(),
                () -> WeftStoreDescription.of(store.getIfUnique(), initializer.getIfUnique()));
    }

    /** A store to build the engine on, or an engine the application built itself. */
    static final class StoreOrEngineCondition extends AnyNestedCondition {

        StoreOrEngineCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(WorkflowStore.class)
        static final class HasStore {
        }

        @ConditionalOnBean(WeftEngine.class)
        static final class HasEngine {
        }
    }
}
