package dev.weft.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One measured trial: one system (the engine, the baseline R, or a probe) doing one workload
 * once on one database.
 *
 * @param round 1 to the number of rounds; 0 for a warm-up, which is not reported
 * @param units what was counted: workflows, unless {@code unit} says otherwise
 * @param commitsPerUnit PostgreSQL's {@code xact_commit} delta per unit, read-only transactions included
 * @param walBytesPerUnit PostgreSQL's WAL position delta per unit (server-wide)
 * @param cpuMsPerUnit this JVM's CPU time per unit
 * @param extra workload-specific figures
 */
record Trial(String workload, String database, String system, String variant, int concurrency, int round, long units,
        String unit, double seconds, double throughput, double p50Ms, double p99Ms, double maxMs,
        @Nullable Double commitsPerUnit, @Nullable Double walBytesPerUnit, double cpuMsPerUnit, Map<String, Double> extra) {

    Trial {
        extra = new LinkedHashMap<>(extra);
    }

    /** The figure named {@code metric}: a field, or an entry of {@code extra}. */
    @Nullable Double metric(String metric) {
        return switch (metric) {
            case "throughput" -> throughput;
            case "seconds" -> seconds;
            case "p50Ms" -> p50Ms;
            case "p99Ms" -> p99Ms;
            case "maxMs" -> maxMs;
            case "commitsPerUnit" -> commitsPerUnit;
            case "walBytesPerUnit" -> walBytesPerUnit;
            case "cpuMsPerUnit" -> cpuMsPerUnit;
            default -> extra.get(metric);
        };
    }

    String key() {
        return workload + "|" + database + "|" + system + "|" + variant + "|" + concurrency;
    }
}
