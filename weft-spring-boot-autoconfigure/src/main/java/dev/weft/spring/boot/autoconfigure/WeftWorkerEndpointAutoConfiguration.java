package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.spring.remote.RemoteWorkerHub;
import dev.weft.spring.remote.RemoteWorkerSettings;
import dev.weft.spring.remote.WorkerWebSocketHandler;
import dev.weft.spring.web.ApiAccessInterceptor;
import dev.weft.spring.web.ApiScopes;
import dev.weft.spring.web.WorkerController;
import dev.weft.spring.web.WorkerHandshake;
import dev.weft.time.TimeSource;
import dev.weft.worker.protocol.Frames;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The endpoint of remote workers, {@code /api/v1/tasks/{queue}/stream}, on the application's own
 * port ({@code weft.api.workers.enabled}, on by default when Spring's WebSocket support and the
 * worker protocol are on the class path). The upgrade is authenticated as the REST API is, with the
 * {@code workers:write} scope.
 */
@AutoConfiguration(after = WeftApiAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketHttpRequestHandler.class, Frames.class, WeftEngine.class })
@ConditionalOnBean({ WeftEngine.class, ApiAccessInterceptor.class })
@ConditionalOnBooleanProperty(name = "weft.api.workers.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WeftWorkerEndpointProperties.class)
public final class WeftWorkerEndpointAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RemoteWorkerHub weftRemoteWorkerHub(WeftEngine engine, WeftWorkerEndpointProperties properties) {
        return new RemoteWorkerHub(engine.taskBroker(), TimeSource.system(), new RemoteWorkerSettings(properties.getReconnectGrace(),
                properties.getHeartbeatTimeout(), properties.getShutdownTimeout(), maxFrameBytes(properties)));
    }

    @Bean
    @ConditionalOnMissingBean
    WorkerController weftWorkerController(RemoteWorkerHub hub) {
        return new WorkerController(hub);
    }

    @Bean
    WebSocketHttpRequestHandler weftWorkerWebSocketHandler(RemoteWorkerHub hub, ApiAccessInterceptor access,
            WeftWorkerEndpointProperties properties) {
        WebSocketHttpRequestHandler handler = new WebSocketHttpRequestHandler(
                new WorkerWebSocketHandler(hub, maxFrameBytes(properties)));
        handler.getHandshakeInterceptors().add(new WorkerHandshake(access));
        return handler;
    }

    /** Ahead of the static resources' catch-all mapping, which would otherwise answer the upgrade. */
    @Bean
    SimpleUrlHandlerMapping weftWorkerHandlerMapping(WebSocketHttpRequestHandler weftWorkerWebSocketHandler) {
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(
                Map.of(ApiScopes.WORKER_STREAM_PATTERN, weftWorkerWebSocketHandler));
        mapping.setOrder(1);
        return mapping;
    }

    private static int maxFrameBytes(WeftWorkerEndpointProperties properties) {
        return (int) Math.min(Integer.MAX_VALUE, properties.getMaxFrameSize().toBytes());
    }
}
