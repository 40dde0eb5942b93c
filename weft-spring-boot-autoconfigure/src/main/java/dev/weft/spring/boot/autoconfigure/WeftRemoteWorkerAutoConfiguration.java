package dev.weft.spring.boot.autoconfigure;

import dev.weft.spring.RemoteActivityBeans;
import dev.weft.worker.RemoteWorker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the application's {@code @Activity} beans into a remote worker when
 * {@code weft.remote-worker.servers} is set: a worker per queue they name connects to those servers
 * and runs their tasks. Needs no database and no engine in this process.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ RemoteWorker.class, RemoteActivityBeans.class })
@ConditionalOnProperty(prefix = "weft.remote-worker", name = "servers")
@EnableConfigurationProperties(WeftRemoteWorkerProperties.class)
public final class WeftRemoteWorkerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RemoteActivityBeans weftRemoteActivityBeans(ConfigurableListableBeanFactory beans, WeftRemoteWorkerProperties properties,
            ObjectProvider<JsonMapper> mapper) {
        String workerId = properties.getWorkerId() != null ? properties.getWorkerId() : hostName() + "-" + UUID.randomUUID()
                .toString().substring(0, 8);
        return new RemoteActivityBeans(beans, mapper.getIfAvailable(() -> JsonMapper.builder().build()), queue -> {
            RemoteWorker.Builder builder = RemoteWorker.builder().queue(queue).workerId(workerId + "-" + queue)
                    .concurrency(properties.getConcurrency()).apiKey(properties.getApiKey()).bearerToken(properties.getBearerToken())
                    .heartbeatInterval(properties.getHeartbeatInterval()).drainTimeout(properties.getDrainTimeout());
            properties.getServers().forEach(builder::server);
            return builder;
        }, properties.getQueues(), beans::resolveEmbeddedValue);
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
