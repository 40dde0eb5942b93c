package dev.weft.samples.orders;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what an activity bean did per key, so that a test (or a curious reader) can see that no step ran twice. */
final class Tally {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    int increment(String key) {
        return counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    int get(String key) {
        AtomicInteger count = counts.get(key);
        return count == null ? 0 : count.get();
    }
}
