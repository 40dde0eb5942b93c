package dev.weft;

import dev.weft.activity.QueueName;
import dev.weft.queue.QueueOptions;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import dev.weft.internal.EngineConfiguration;
import dev.weft.payload.JacksonPayloadSerializer;
import dev.weft.payload.PayloadSerializer;
import dev.weft.retry.RetryPolicy;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Builds a {@link WeftEngine} ({@link WeftEngine#builder()}). Only the store is required. */
public final class WeftEngineBuilder {

    private @Nullable WorkflowStore store;
    private PayloadSerializer serializer = JacksonPayloadSerializer.withDefaults();
    private TimeSource time = TimeSource.system();
    private String nodeId = defaultNodeId();
    private Duration lease = WeftEngine.DEFAULT_LEASE;
    private @Nullable Duration renewInterval;
    private Duration adoptionInterval = WeftEngine.DEFAULT_ADOPTION_INTERVAL;
    private RetryPolicy defaultRetryPolicy = RetryPolicy.defaults();
    private boolean developmentMode;
    private long maxPayloadBytes = WeftEngine.DEFAULT_MAX_PAYLOAD_BYTES;
    private Duration parkAfter = WeftEngine.DEFAULT_PARK_AFTER;
    private int maxChildDepth = WeftEngine.DEFAULT_MAX_CHILD_DEPTH;
    private boolean worker = true;
    private boolean registerNode = true;
    private final List<EngineListener> listeners = new ArrayList<>();
    private final List<WorkflowDefinition<?, ?>> workflows = new ArrayList<>();
    private final List<ActivityDefinition<?, ?>> activities = new ArrayList<>();
    private final Map<String, QueueOptions> queues = new LinkedHashMap<>();

    WeftEngineBuilder() {
    }

    public WeftEngineBuilder store(WorkflowStore store) {
        this.store = store;
        return this;
    }

    public WeftEngineBuilder serializer(PayloadSerializer serializer) {
        this.serializer = serializer;
        return this;
    }

    /** The time source of backoffs, sleeps and timeouts; leases use the database's clock. */
    public WeftEngineBuilder timeSource(TimeSource time) {
        this.time = time;
        return this;
    }

    /** The owner name under which this engine holds leases: unique among live engines on one database. */
    public WeftEngineBuilder nodeId(String nodeId) {
        if (nodeId.isBlank() || nodeId.length() > 200) {
            throw new IllegalArgumentException("nodeId must be 1 to 200 characters, was '" + nodeId + "'");
        }
        this.nodeId = nodeId;
        return this;
    }

    public WeftEngineBuilder lease(Duration lease) {
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least 1s, was " + lease);
        }
        this.lease = lease;
        return this;
    }

    /** How often leases are renewed; a third of the lease unless set. Must be shorter than the lease. */
    public WeftEngineBuilder leaseRenewInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("leaseRenewInterval must be positive, was " + interval);
        }
        this.renewInterval = interval;
        return this;
    }

    /** How often runs with lapsed leases are looked for; {@link Duration#ZERO} turns it off. */
    public WeftEngineBuilder adoptionInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("adoptionInterval must not be negative, was " + interval);
        }
        this.adoptionInterval = interval;
        return this;
    }

    /** The policy beneath every activity's own overrides. */
    public WeftEngineBuilder defaultRetryPolicy(RetryPolicy policy) {
        this.defaultRetryPolicy = policy;
        return this;
    }

    /**
     * Emits {@link EngineEvent.DevelopmentWarning}s, each also a WARN line under
     * {@link dev.weft.LogCategories#ENGINE}, about code that will not behave as it seems to expect:
     * a retry with no heartbeat to resume from, a run that completed without any durable operation.
     */
    public WeftEngineBuilder developmentMode(boolean enabled) {
        this.developmentMode = enabled;
        return this;
    }

    /**
     * Whether this engine drives runs, {@code true} by default. With {@code false} it is a
     * client: it starts runs with their lease already lapsed, so that worker engines on the
     * same database adopt them, and it never recovers or adopts runs itself.
     */
    public WeftEngineBuilder worker(boolean enabled) {
        this.worker = enabled;
        return this;
    }

    /**
     * Whether a worker engine registers its node id in the node table at build, {@code true} by
     * default: the build is then refused with {@link dev.weft.failure.NodeIdInUseException} while
     * another live node (heartbeat younger than a lease, on the database clock) holds the id, and
     * the row is removed at close. Turn it off only where several engines knowingly share an id,
     * as tests that play a crash and a restart in one process do.
     */
    public WeftEngineBuilder registerNode(boolean enabled) {
        this.registerNode = enabled;
        return this;
    }

    /**
     * How long a wait (a sleep, a signal wait) must be for the run to be given up meanwhile:
     * its thread ends and only its journal remains until the wait ends, when it is replayed.
     * {@link Duration#ZERO} parks every wait.
     */
    public WeftEngineBuilder parkAfter(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("parkAfter must not be negative, was " + threshold);
        }
        this.parkAfter = threshold;
        return this;
    }

    /** How deep child workflows may nest: a child of a run at this depth is refused. */
    public WeftEngineBuilder maxChildDepth(int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("maxChildDepth must not be negative, was " + depth);
        }
        this.maxChildDepth = depth;
        return this;
    }

    /** The largest payload, in UTF-8 bytes of JSON, accepted from outside (async completion results). */
    public WeftEngineBuilder maxPayloadBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + bytes);
        }
        this.maxPayloadBytes = bytes;
        return this;
    }

    public WeftEngineBuilder listener(EngineListener listener) {
        listeners.add(listener);
        return this;
    }

    public WeftEngineBuilder workflow(WorkflowDefinition<?, ?> workflow) {
        workflows.add(workflow);
        return this;
    }

    public WeftEngineBuilder activity(ActivityDefinition<?, ?> activity) {
        activities.add(activity);
        return this;
    }

    /**
     * Serves the activity queue {@code name} on this node (a worker): a pool claims its tasks and
     * runs up to {@code options.concurrency()} of them at once. The cluster-wide settings in
     * {@code options} are written for every node when this engine starts.
     */
    public WeftEngineBuilder queue(String name, QueueOptions options) {
        queues.put(QueueName.check(name), Objects.requireNonNull(options, "options"));
        return this;
    }

    public WeftEngine build() {
        if (renewInterval().compareTo(lease) >= 0) {
            throw new IllegalArgumentException("leaseRenewInterval (" + renewInterval() + ") must be shorter than the lease ("
                    + lease + ")");
        }
        return new WeftEngine(new EngineConfiguration(Objects.requireNonNull(store, "a WeftEngine needs a store"), serializer, time,
                nodeId, lease, renewInterval(), adoptionInterval, defaultRetryPolicy, developmentMode, maxPayloadBytes, parkAfter,
                maxChildDepth, worker, registerNode, listeners, workflows, activities, queues));
    }

    private Duration renewInterval() {
        return renewInterval != null ? renewInterval : lease.dividedBy(3);
    }

    private static String defaultNodeId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}
