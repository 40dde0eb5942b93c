package dev.weft.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a soak does: on which database, how many runs at what rate over how many nodes, and how
 * often each fault is injected. Parsed from {@code key=value} arguments; durations are ISO-8601
 * ({@code PT20S}) or a number of seconds.
 *
 * @param platform {@code postgresql} or {@code mariadb}
 * @param runs how many runs are submitted
 * @param ratePerSecond how many runs are submitted each second, steadily
 * @param nodes how many engine JVMs drive them
 * @param lease the engines' lease
 * @param killEvery how often a node is SIGKILLed (and started again after {@code downFor})
 * @param downFor how long a killed node stays down
 * @param databaseRestartEvery how often the database is crashed and restarted
 * @param partitionEvery how often a node is cut off from the database (its proxy blackholes)
 * @param partitionFor how long a partition lasts: longer than the lease, so the node's runs are adopted
 * @param socketTimeout the socket timeout of the engines' connections ({@link Duration#ZERO}: none), half the lease by
 *        default: without one a statement sent into a partition waits for ever and the engine never learns that its
 *        lease renewals fail
 * @param drainTimeout how long, after the last submission and the last fault, every run has to end
 * @param directory where the database's data, the workers' logs and the summary go
 */
record SoakSettings(String platform, int runs, double ratePerSecond, int nodes, Duration lease, Duration killEvery, Duration downFor,
        Duration databaseRestartEvery, Duration partitionEvery, Duration partitionFor, Duration socketTimeout, Duration drainTimeout,
        Path directory) {

    private static final Set<String> KEYS = Set.of("platform", "runs", "rate", "nodes", "lease", "kill-every", "down-for",
            "db-restart-every", "partition-every", "partition-for", "socket-timeout", "drain-timeout", "dir");

    SoakSettings {
        if (!platform.equals("postgresql") && !platform.equals("mariadb")) {
            throw new IllegalArgumentException("platform must be postgresql or mariadb, was " + platform);
        }
        if (runs < 1 || ratePerSecond <= 0 || nodes < 2) {
            throw new IllegalArgumentException("runs and rate must be positive and nodes at least 2 (one adopts from another), were "
                    + runs + ", " + ratePerSecond + ", " + nodes);
        }
        if (partitionFor.compareTo(lease) <= 0) {
            throw new IllegalArgumentException("partition-for (" + partitionFor + ") must be longer than the lease (" + lease
                    + "), or no run is ever adopted from an isolated node");
        }
    }

    /** The full soak's defaults, for {@code platform}: about eight minutes of submissions. */
    static SoakSettings full(String platform) {
        return new SoakSettings(platform, 10_000, 20, 3, Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(2),
                Duration.ofSeconds(90), Duration.ofSeconds(45), Duration.ofSeconds(10), Duration.ofMillis(2500), Duration.ofMinutes(5),
                Path.of("target", "soak", platform));
    }

    /** The short soak of the build's tests: about 90 s of submissions on PostgreSQL, every fault at least once. */
    static SoakSettings ci() {
        return new SoakSettings("postgresql", 900, 10, 3, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(40), Duration.ofSeconds(30), Duration.ofSeconds(8), Duration.ofMillis(2500), Duration.ofMinutes(2),
                Path.of("target", "soak", "ci"));
    }

    /** Parses {@code key=value} arguments over the full soak's defaults (each argument may hold several, space separated). */
    static SoakSettings parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            for (String pair : arg.trim().split("\\s+")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                if (equals < 0 || !KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown soak argument '" + pair + "'; known keys: " + KEYS);
                }
                given.put(key, pair.substring(equals + 1));
            }
        }
        SoakSettings defaults = full(given.getOrDefault("platform", "postgresql"));
        return new SoakSettings(defaults.platform(),
                Integer.parseInt(given.getOrDefault("runs", Integer.toString(defaults.runs()))),
                Double.parseDouble(given.getOrDefault("rate", Double.toString(defaults.ratePerSecond()))),
                Integer.parseInt(given.getOrDefault("nodes", Integer.toString(defaults.nodes()))),
                duration(given, "lease", defaults.lease()),
                duration(given, "kill-every", defaults.killEvery()),
                duration(given, "down-for", defaults.downFor()),
                duration(given, "db-restart-every", defaults.databaseRestartEvery()),
                duration(given, "partition-every", defaults.partitionEvery()),
                duration(given, "partition-for", defaults.partitionFor()),
                duration(given, "socket-timeout", defaults.socketTimeout()),
                duration(given, "drain-timeout", defaults.drainTimeout()),
                given.containsKey("dir") ? Path.of(given.get("dir")) : defaults.directory());
    }

    /** How long submitting takes at the steady rate. */
    Duration submission() {
        return Duration.ofMillis((long) (runs * 1000 / ratePerSecond));
    }

    private static Duration duration(Map<String, String> given, String key, Duration fallback) {
        String value = given.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return value.startsWith("P") ? Duration.parse(value) : Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration (PT20S or 20), was '" + value + "'", e);
        }
    }

    @Override
    public String toString() {
        return "platform=" + platform + " runs=" + runs + " rate=" + ratePerSecond + "/s nodes=" + nodes + " lease=" + lease
                + " kill-every=" + killEvery + " down-for=" + downFor + " db-restart-every=" + databaseRestartEvery
                + " partition-every=" + partitionEvery + " partition-for=" + partitionFor + " socket-timeout=" + socketTimeout
                + " drain-timeout=" + drainTimeout;
    }
}
