package dev.weft.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The median and the spread (min to max) of one figure over the measured rounds of one trial key. */
record Summary(double median, double min, double max, int rounds) {

    static @Nullable Summary of(List<Trial> trials, String metric) {
        List<Double> values = new ArrayList<>();
        for (Trial trial : trials) {
            if (trial.round() > 0 && trial.metric(metric) != null && !Double.isNaN(trial.metric(metric))) {
                values.add(trial.metric(metric));
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        values.sort(Double::compare);
        int n = values.size();
        double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
        return new Summary(median, values.getFirst(), values.getLast(), n);
    }

    /** Measured trials grouped by {@link Trial#key()}, in the order they first ran. */
    static Map<String, List<Trial>> byKey(List<Trial> trials) {
        Map<String, List<Trial>> groups = new LinkedHashMap<>();
        for (Trial trial : trials) {
            if (trial.round() > 0) {
                groups.computeIfAbsent(trial.key(), k -> new ArrayList<>()).add(trial);
            }
        }
        return groups;
    }

    /** "median (min–max)" with a sensible number of digits. */
    String format() {
        return rounds == 1 ? Benchmarks.number(median)
                : Benchmarks.number(median) + " (" + Benchmarks.number(min) + "–" + Benchmarks.number(max) + ")";
    }
}
