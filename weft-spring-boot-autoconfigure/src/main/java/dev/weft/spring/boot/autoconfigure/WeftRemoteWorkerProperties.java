package dev.weft.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * An application whose {@code @Activity} beans run as a remote worker of other applications' engines,
 * under {@code weft.remote-worker.*}.
 */
@ConfigurationProperties("weft.remote-worker")
public class WeftRemoteWorkerProperties {

    /**
     * Base URLs of the engines' applications (http://host:port); with several, a worker tries the next
     * one when a connection fails. Setting them turns this application into a remote worker.
     */
    private List<String> servers = new ArrayList<>();

    /** An API key with the workers:write scope, sent as X-Api-Key. */
    private @Nullable String apiKey;

    /** A bearer token (a JWT with the workers:write scope), sent as 'Authorization: Bearer'. */
    private @Nullable String bearerToken;

    /** The queues to serve; when empty, every queue the application's @Activity beans name. */
    private List<String> queues = new ArrayList<>();

    /** Tasks run at once per queue. */
    private int concurrency = 10;

    /** This worker's id, kept across reconnects; by default the host name and a random suffix. */
    private @Nullable String workerId;

    /** How often the worker tells the engine it is alive. */
    private Duration heartbeatInterval = Duration.ofSeconds(10);

    /** How long stopping waits for running tasks to finish before cancelling them. */
    private Duration drainTimeout = Duration.ofSeconds(30);

    public List<String> getServers() {
        return servers;
    }

    public void setServers(List<String> servers) {
        this.servers = servers;
    }

    public @Nullable String getApiKey() {
        return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
        this.apiKey = apiKey;
    }

    public @Nullable String getBearerToken() {
        return bearerToken;
    }

    public void setBearerToken(@Nullable String bearerToken) {
        this.bearerToken = bearerToken;
    }

    public List<String> getQueues() {
        return queues;
    }

    public void setQueues(List<String> queues) {
        this.queues = queues;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public @Nullable String getWorkerId() {
        return workerId;
    }

    public void setWorkerId(@Nullable String workerId) {
        this.workerId = workerId;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }
}
