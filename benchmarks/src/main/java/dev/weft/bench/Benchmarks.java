package dev.weft.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the workloads of the benchmark suite and writes their results.
 *
 * <p>Arguments (one string, split on blanks): {@code full} (default), {@code peer} (the recorded
 * runs with DBOS) or {@code quick};
 * {@code only=W1,W4} to run some workloads; {@code databases=postgresql,h2,mariadb} to limit W1
 * and W2; {@code out=<dir>} for the results (default: the repository root above this module);
 * {@code concurrency=1,64} to run W1 at some of its concurrencies only; {@code dbos} to run the
 * peer DBOS Java in W1 to W4 and W7 on PostgreSQL; {@code tag=<name>} to write the results as
 * {@code <date>-<name>.json} and leave the document alone; {@code workflows=N} to run N workflows
 * per measured round of W1 and W2 instead of the scale's count (a longer round lets the JIT settle,
 * so that the CPU per workflow is the steady state's); {@code noreport} to print without writing files.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(RecoveryChild.COMMAND)) {
            RecoveryChild.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals(DbosRecoveryChild.COMMAND)) {
            DbosRecoveryChild.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals(RemoteWorkerChild.COMMAND)) {
            RemoteWorkerChild.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            words.addAll(Arrays.asList(arg.trim().split("\\s+")));
        }
        Scale chosen = words.contains("quick") || words.contains("--quick") ? Scale.quick()
                : words.contains("peer") ? Scale.peer() : Scale.full();
        Set<String> only = new LinkedHashSet<>(List.of("W6", "W1", "W2", "W7", "W8", "W5", "W3", "W4", "W9"));
        Set<String> databases = new LinkedHashSet<>(List.of("postgresql", "h2", "mariadb"));
        String out = "..";
        boolean report = true;
        boolean dbos = words.contains("dbos");
        String tag = null;
        int[] concurrencies = EngineWorkloads.CONCURRENCIES;
        for (String word : words) {
            if (word.startsWith("only=")) {
                only.retainAll(List.of(word.substring(5).toUpperCase(Locale.ROOT).split(",")));
            } else if (word.startsWith("databases=")) {
                databases.retainAll(List.of(word.substring(10).toLowerCase(Locale.ROOT).split(",")));
            } else if (word.startsWith("out=")) {
                out = word.substring(4);
            } else if (word.startsWith("concurrency=")) {
                concurrencies = Arrays.stream(word.substring(12).split(",")).mapToInt(Integer::parseInt).toArray();
            } else if (word.startsWith("tag=")) {
                tag = word.substring(4);
            } else if (word.startsWith("workflows=")) {
                chosen = chosen.withThroughputWorkflows(Integer.parseInt(word.substring(10)));
            } else if (word.equals("noreport")) {
                report = false;
            }
        }
        Scale scale = chosen;
        List<Trial> trials = Collections.synchronizedList(new ArrayList<>());
        Results results = new Results(scale, String.join(" ", words), trials, tag);
        if (report) {
            results.writeTo(java.nio.file.Path.of(out));
        }
        long start = System.nanoTime();
        Database postgres = Database.postgres();
        postgres.recreateSchema();
        if (dbos) {
            DbosPeer.dropSchema(postgres);
        }
        // the children of W3 and W8 must run the code this JVM loaded, whatever is installed meanwhile
        if (only.contains("W3") || only.contains("W8")) {
            ChildProcess.freeze();
        }
        if (only.contains("W6")) {
            guarded(results, "W6", () -> new Ceiling(postgres, scale, results).run());
        }
        for (String name : databases) {
            Database database = switch (name) {
                case "postgresql" -> postgres;
                case "mariadb" -> Database.mariadb();
                case "h2" -> Database.h2();
                default -> throw new IllegalArgumentException("unknown database " + name);
            };
            results.addDatabase(database.label(), database.version());
            database.recreateSchema();
            EngineWorkloads workloads = new EngineWorkloads(database, scale, results::add, concurrencies, dbos);
            if (only.contains("W1")) {
                guarded(results, "W1 on " + database.label(), workloads::throughput);
            }
            if (only.contains("W2")) {
                guarded(results, "W2 on " + database.label(), workloads::overhead);
            }
            if (only.contains("W7")) {
                guarded(results, "W7 on " + database.label(), () -> new QueueThroughput(database, scale, results::add, dbos).run());
            }
            if (only.contains("W9")) {
                guarded(results, "W9 on " + database.label(), () -> new CrossNodeWake(database, scale, results::add).run());
            }
            if (database == postgres && only.contains("W8")) {
                guarded(results, "W8", () -> new RemoteThroughput(database, scale, results::add).run());
            }
            if (database == postgres && only.contains("W5")) {
                guarded(results, "W5", workloads::fanOut);
            }
        }
        if (only.contains("W3")) {
            guarded(results, "W3", () -> new Recovery(postgres, scale, results).run());
            if (dbos) {
                guarded(results, "W3 of DBOS", () -> new DbosRecovery(postgres, scale, results).run());
            }
        }
        if (only.contains("W4")) {
            guarded(results, "W4", () -> new Parking(postgres, scale, results::add, dbos).run());
        }
        if (dbos) {
            DbosPeer.dropSchema(postgres);
        }
        results.setDuration(Duration.ofNanos(System.nanoTime() - start));
        System.out.println(results.markdown());
        if (report) {
            results.write(java.nio.file.Path.of(out));
        }
    }

    private interface Workload {
        void run() throws Exception;
    }

    /** Runs a workload; a failure is noted in the results and the others still run. */
    private static void guarded(Results results, String name, Workload workload) {
        try {
            workload.run();
            results.checkpoint();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            results.note("Failure of " + name, trace.toString().lines().limit(12).reduce("", (a, b) -> a + b + "\n"));
        }
    }

    static String number(double value) {
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
