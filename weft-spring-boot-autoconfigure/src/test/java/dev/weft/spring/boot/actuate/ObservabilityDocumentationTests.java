package dev.weft.spring.boot.actuate;

import dev.weft.queue.QueueInfo;
import dev.weft.spring.boot.actuate.metrics.WeftQueueMetrics;
import dev.weft.spring.boot.actuate.metrics.WeftRemoteWorkerMetrics;
import java.util.List;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.event.EngineEvent;
import dev.weft.spring.boot.actuate.metrics.WeftMetrics;
import dev.weft.spring.boot.actuate.observation.WeftObservationListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/observability.md true: every meter Weft registers (its own, and those Micrometer makes
 * from Weft's observations) is in the doc's meter table with its tags, and every meter of the table
 * is registered. The meters are registered by feeding every kind of engine event to the metrics
 * and the observation listener, so a meter added for a new event fails this test until documented.
 */
class ObservabilityDocumentationTests {

    private static final Pattern METER_ROW = Pattern.compile("^\\| `(weft\\.[a-z0-9.]+)` \\| [^|]+ \\| ([^|]+) \\|", Pattern.MULTILINE);

    private static final Pattern TAG = Pattern.compile("`([a-z0-9._]+)`");

    @Test
    void everyRegisteredMeterIsDocumentedWithItsTagsAndEveryDocumentedMeterIsRegistered() throws Exception {
        Map<String, Set<String>> documented = documentedMeters();
        Map<String, Set<String>> registered = registeredMeters();

        assertThat(registered).as("meters registered").containsKeys("weft.workflows.started", "weft.workflows.woken", "weft.workflow");
        assertThat(documented.keySet()).as("meters in docs/observability.md").containsAll(registered.keySet());
        registered.forEach((name, tags) -> assertThat(documented.get(name)).as("documented tags of " + name).containsAll(tags));

        Set<String> missing = new TreeSet<>(documented.keySet());
        missing.removeAll(registered.keySet());
        assertThat(missing).as("documented meters that are not registered").isEmpty();
    }

    /** Meter names with the tag keys they carried, after every kind of event went through Weft's listeners. */
    private static Map<String, Set<String>> registeredMeters() throws ReflectiveOperationException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        WeftMetrics metrics = new WeftMetrics(meters, () -> 0);
        try (WeftObservationListener observer = new WeftObservationListener(observations)) {
            // in declaration order: a run starts, ends, and then an attempt runs and ends, so each observation stops once
            for (Class<?> kind : EngineEvent.class.getPermittedSubclasses()) {
                EngineEvent event = (EngineEvent) sample(kind);
                metrics.onEvent(event);
                observer.onEvent(event);
            }
        }
        metrics.onBatchCommitted(3, Duration.ofMillis(2));
        metrics.onBatchFailed(3, new IllegalStateException("test"));
        // the queue meters of a queue appear when the queues are first read
        QueueInfo queue = (QueueInfo) sample(QueueInfo.class);
        new WeftQueueMetrics(meters, () -> List.of(queue));
        meters.get("weft.queues").gauge().value();
        new WeftRemoteWorkerMetrics(meters, List::of);
        return meters.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith("weft."))
                .collect(Collectors.toMap(Meter.Id::getName, id -> id.getTags().stream().map(Tag::getKey).collect(Collectors.toSet()),
                        (a, b) -> {
                            Set<String> both = new TreeSet<>(a);
                            both.addAll(b);
                            return both;
                        }, TreeMap::new));
    }

    /** A value of {@code type} good enough to feed a listener: records are built component by component. */
    private static Object sample(Class<?> type) throws ReflectiveOperationException {
        if (type == String.class) {
            return "run-1";
        }
        if (type == Instant.class) {
            return Instant.parse("2026-01-01T00:00:00Z");
        }
        if (type == Duration.class) {
            return Duration.ofMillis(5);
        }
        if (type == long.class || type == Long.class) {
            return 1L;
        }
        if (type == int.class || type == Integer.class) {
            return 1;
        }
        if (type == boolean.class || type == Boolean.class) {
            return false;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = sample(types[i]);
            }
            return type.getDeclaredConstructor(types).newInstance(values);
        }
        return null;
    }

    /** Meter names of the doc's meter table with the tag keys of their row. */
    private static Map<String, Set<String>> documentedMeters() throws IOException {
        Map<String, Set<String>> meters = new TreeMap<>();
        Matcher row = METER_ROW.matcher(Files.readString(doc()));
        while (row.find()) {
            Set<String> tags = new TreeSet<>();
            Matcher tag = TAG.matcher(row.group(2));
            while (tag.find()) {
                tags.add(tag.group(1));
            }
            meters.put(row.group(1), tags);
        }
        return meters;
    }

    private static Path doc() {
        Path fromModule = Path.of("..", "docs", "observability.md");
        return Files.exists(fromModule) ? fromModule : Path.of("docs", "observability.md");
    }
}
