package dev.weft.spring.boot.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The endpoint of remote workers, {@code /api/v1/tasks/{queue}/stream}, under {@code weft.api.workers.*}. */
@ConfigurationProperties("weft.api.workers")
public class WeftWorkerEndpointProperties {

    /** Whether remote workers may connect to this node's queues over WebSocket. */
    private boolean enabled = true;

    /**
     * How long a disconnected worker's tasks wait for the same worker id to register again before they
     * go back to the queue; 0 to 5s.
     */
    private Duration reconnectGrace = Duration.ofSeconds(2);

    /** A worker that sends no heartbeat for this long is disconnected (workers send one every 10s). */
    private Duration heartbeatTimeout = Duration.ofSeconds(30);

    /** How long a stopping node accepts its workers' results after telling them to shut down. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** The largest frame a worker may send; a larger one closes its connection (1009). */
    private DataSize maxFrameSize = DataSize.ofMegabytes(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getReconnectGrace() {
        return reconnectGrace;
    }

    public void setReconnectGrace(Duration reconnectGrace) {
        this.reconnectGrace = reconnectGrace;
    }

    public Duration getHeartbeatTimeout() {
        return heartbeatTimeout;
    }

    public void setHeartbeatTimeout(Duration heartbeatTimeout) {
        this.heartbeatTimeout = heartbeatTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }
}
