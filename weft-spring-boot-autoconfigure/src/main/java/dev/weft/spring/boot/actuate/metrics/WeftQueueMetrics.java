package dev.weft.spring.boot.actuate.metrics;

import dev.weft.queue.QueueInfo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import dev.weft.time.TimeSource;

/**
 * Micrometer meters of the activity queues, tagged {@value #QUEUE}. The queues are read from the
 * database at most once per {@link #REFRESH} whatever the number of meters read; a queue seen for
 * the first time gets its meters then.
 *
 * <ul>
 * <li>{@code weft.queue.depth}: tasks waiting to be claimed;
 * <li>{@code weft.queue.in.flight}: tasks under a live claim, on any node;
 * <li>{@code weft.queue.oldest.age}: seconds the oldest waiting task has waited (0 when none waits);
 * <li>{@code weft.queue.expired.claims}: waiting tasks whose last claim expired;
 * <li>{@code weft.queue.claims}: tasks this node has claimed (a counter: its rate is the claim rate);
 * <li>{@code weft.queues}: the number of queues.
 * </ul>
 */
public class WeftQueueMetrics {

    /** The tag naming the queue. */
    public static final String QUEUE = "queue";

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Supplier<List<QueueInfo>> source;
    private final TimeSource clock;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<String, QueueInfo> latest = Map.of();
    private volatile Instant readAt = Instant.MIN;

    /** @param source the queues as the engine sees them ({@code engine.queues().list()}); an empty list before the engine exists */
    public WeftQueueMetrics(MeterRegistry registry, Supplier<List<QueueInfo>> source) {
        this(registry, source, TimeSource.system());
    }

    WeftQueueMetrics(MeterRegistry registry, Supplier<List<QueueInfo>> source, TimeSource clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.source = Objects.requireNonNull(source, "source");
        this.clock = clock;
        Gauge.builder("weft.queues", this, metrics -> metrics.queues().size())
                .description("Activity queues with tasks, settings or a pool on this node")
                .register(registry);
    }

    /** The queues as last read, read again when older than {@link #REFRESH}; registers the meters of new ones. */
    private Map<String, QueueInfo> queues() {
        Instant now = clock.now();
        if (Duration.between(readAt, now).compareTo(REFRESH) >= 0) {
            readAt = now;
            try {
                Map<String, QueueInfo> read = new ConcurrentHashMap<>();
                source.get().forEach(queue -> read.put(queue.name(), queue));
                latest = read;
            } catch (RuntimeException e) {
                // the database is away: the meters show what was read last
                return latest;
            }
            latest.keySet().forEach(this::register);
        }
        return latest;
    }

    private void register(String queue) {
        if (!registered.add(queue)) {
            return;
        }
        gauge("weft.queue.depth", "Tasks waiting to be claimed", queue, QueueInfo::depth);
        gauge("weft.queue.in.flight", "Tasks under a live claim, on any node", queue, QueueInfo::inFlight);
        gauge("weft.queue.oldest.age", "Seconds the oldest waiting task has waited", queue,
                info -> info.oldestWaiting() == null ? 0 : info.oldestWaiting().toMillis() / 1000.0);
        gauge("weft.queue.expired.claims", "Waiting tasks whose last claim expired", queue, QueueInfo::expiredClaims);
        FunctionCounter.builder("weft.queue.claims", this, metrics -> value(metrics, queue, QueueInfo::claimedHere))
                .description("Tasks this node has claimed").tag(QUEUE, queue).register(registry);
    }

    private void gauge(String name, String description, String queue, ToDoubleFunction<QueueInfo> value) {
        Gauge.builder(name, this, metrics -> value(metrics, queue, value)).description(description).tag(QUEUE, queue)
                .register(registry);
    }

    private static double value(WeftQueueMetrics metrics, String queue, ToDoubleFunction<QueueInfo> value) {
        QueueInfo info = metrics.queues().get(queue);
        return info == null ? 0 : value.applyAsDouble(info);
    }
}
