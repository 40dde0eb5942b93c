package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/** Settings of the Weft engine, under {@code weft.*}. Defaults are the engine's own. */
@ConfigurationProperties("weft")
public class WeftProperties implements Validator {

    /** How long the engine waits at shutdown for in-flight activity attempts to finish before handing its runs back. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Name under which this node holds leases on the runs it drives; unique among live nodes on
     * one database. Defaults to the host name and a random suffix.
     */
    private @Nullable String nodeId;

    /** How long a lease on a run lasts; a node that dies loses its runs to others after this long. */
    private Duration lease = WeftEngine.DEFAULT_LEASE;

    /** How often leases are renewed; a third of the lease when unset. Must be shorter than the lease. */
    private @Nullable Duration leaseRenewInterval;

    /** How often runs whose owner's lease lapsed are looked for and adopted; 0 turns adoption off. */
    private Duration adoptionInterval = WeftEngine.DEFAULT_ADOPTION_INTERVAL;

    /** Whether to emit development warnings about code that will not behave as it seems to expect. */
    private boolean developmentMode;

    /**
     * How long a wait (a durable sleep, a signal wait) must be for its run to be given up
     * meanwhile, keeping only its journal until the wait ends; 0 parks every wait.
     */
    private Duration parkAfter = WeftEngine.DEFAULT_PARK_AFTER;

    /** The largest payload, in bytes of JSON, accepted from outside (an async completion's result, a signal). */
    private long maxPayloadBytes = WeftEngine.DEFAULT_MAX_PAYLOAD_BYTES;

    /**
     * How long shutdown waits for in-flight activity attempts to finish and record their outcomes;
     * runs still busy then are handed back to be adopted by another node.
     */
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    private final Retry retry = new Retry();

    private final Worker worker = new Worker();

    /** Activity queues by name: each one's concurrency on this node and its cluster-wide limits. */
    private final Map<String, WeftQueueProperties> queues = new LinkedHashMap<>();

    public @Nullable String getNodeId() {
        return nodeId;
    }

    public void setNodeId(@Nullable String nodeId) {
        this.nodeId = nodeId;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public @Nullable Duration getLeaseRenewInterval() {
        return leaseRenewInterval;
    }

    public void setLeaseRenewInterval(@Nullable Duration leaseRenewInterval) {
        this.leaseRenewInterval = leaseRenewInterval;
    }

    public Duration getAdoptionInterval() {
        return adoptionInterval;
    }

    public void setAdoptionInterval(Duration adoptionInterval) {
        this.adoptionInterval = adoptionInterval;
    }

    public Duration getParkAfter() {
        return parkAfter;
    }

    public void setParkAfter(Duration parkAfter) {
        this.parkAfter = parkAfter;
    }

    public long getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public boolean isDevelopmentMode() {
        return developmentMode;
    }

    public void setDevelopmentMode(boolean developmentMode) {
        this.developmentMode = developmentMode;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Retry getRetry() {
        return retry;
    }

    public Map<String, WeftQueueProperties> getQueues() {
        return queues;
    }

    public Worker getWorker() {
        return worker;
    }

    @Override
    public boolean supports(Class<?> type) {
        return WeftProperties.class.isAssignableFrom(type);
    }

    /** Refuses at binding, naming the property, what the engine's builder would refuse later with less context. */
    @Override
    public void validate(Object target, Errors errors) {
        WeftPropertiesRules.check((WeftProperties) target, errors);
    }

    /** The retry policy of every activity that does not say otherwise. */
    public static class Retry {

        /** Attempts in all, the first included. */
        private int maxAttempts = RetryPolicy.DEFAULT_MAX_ATTEMPTS;

        /** Wait before the second attempt. */
        private Duration initialBackoff = RetryPolicy.DEFAULT_INITIAL_BACKOFF;

        /** Factor by which each wait grows over the one before. */
        private double backoffMultiplier = RetryPolicy.DEFAULT_BACKOFF_MULTIPLIER;

        /** Longest wait between two attempts. */
        private Duration maxBackoff = RetryPolicy.DEFAULT_MAX_BACKOFF;

        /**
         * Failures that are never retried: an entry matches an exception's simple class name, its
         * fully qualified class name, or its exact message.
         */
        private List<String> nonRetryableErrors = new ArrayList<>();

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public double getBackoffMultiplier() {
            return backoffMultiplier;
        }

        public void setBackoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public List<String> getNonRetryableErrors() {
            return nonRetryableErrors;
        }

        public void setNonRetryableErrors(List<String> nonRetryableErrors) {
            this.nonRetryableErrors = nonRetryableErrors;
        }

        /** These settings as the engine's policy. */
        public RetryPolicy toPolicy() {
            return new RetryPolicy(maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, nonRetryableErrors);
        }
    }

    /** Whether this node drives runs. */
    public static class Worker {

        /**
         * Whether this node drives runs. When false it is a client: it starts runs (for worker
         * nodes on the same database to adopt), reads and cancels them, and drives none.
         */
        private boolean enabled = true;

        /**
         * The activity queues this node serves; when empty, every queue this application knows (those
         * under {@code weft.queues} and those its {@code @Activity} beans name).
         */
        private List<String> queues = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public List<String> getQueues() {
            return queues;
        }

        public void setQueues(List<String> queues) {
            this.queues = queues;
        }

        /** Whether this node serves {@code queue}: it drives runs, and the queue is among those it serves. */
        public boolean serves(String queue) {
            return enabled && (queues.isEmpty() || queues.contains(queue));
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
