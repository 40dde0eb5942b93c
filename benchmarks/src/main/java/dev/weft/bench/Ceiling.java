package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * W6, the denominators: what the disk and PostgreSQL can do at all. {@code pg_test_fsync}, pgbench
 * inserting one row per transaction, JDBC batches of growing size, and the group-commit probe: the
 * rows of W1's workflows from 64 threads, coalesced by one flusher into multi-row statements and
 * one commit, without any engine logic.
 */
final class Ceiling {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
    private static final int PROBE_THREADS = 64;

    private final Database database;
    private final Scale scale;
    private final Results results;

    Ceiling(Database database, Scale scale, Results results) {
        this.database = database;
        this.scale = scale;
        this.results = results;
    }

    void run() throws Exception {
        fsync();
        for (int concurrency : EngineWorkloads.CONCURRENCIES) {
            pgbench(concurrency);
        }
        for (int round = 0; round <= scale.rounds(); round++) {
            for (int batch : new int[] {1, 10, 100, 1000}) {
                batchInsert(batch, round);
            }
            probe(round);
        }
    }

    private void fsync() throws Exception {
        Path tool = findTool("pg_test_fsync");
        Path target = Path.of("target");
        Files.createDirectories(target);
        String output = execute(List.of(tool.toString(), "-s", scale.name().equals("full") ? "2" : "1", "-f",
                target.resolve("pg_test_fsync.tmp").toString()));
        StringBuilder summary = new StringBuilder("file system of benchmarks/target (the same disk as PostgreSQL's data here)\n");
        for (String line : output.split("\n")) {
            if (line.contains("ops/sec") || line.startsWith("Compare") || line.startsWith("Non-sync")) {
                summary.append(line.replaceAll("\\s+", " ").trim()).append('\n');
            }
        }
        results.note("W6 pg_test_fsync", summary.toString());
    }

    private void pgbench(int concurrency) throws Exception {
        Database.execute(database.url(), database.user(), database.password(), conn -> {
            conn.createStatement().execute("drop table if exists weft_pgbench_probe");
            conn.createStatement().execute("create table weft_pgbench_probe (id bigint generated always as identity primary key, "
                    + "v integer not null)");
        });
        Path script = Files.createDirectories(Path.of("target")).resolve("pgbench-insert.sql");
        Files.writeString(script, "insert into weft_pgbench_probe (v) values (1);\n");
        String host = database.url().replaceFirst("jdbc:postgresql://", "");
        String server = host.substring(0, host.indexOf('/'));
        List<String> command = List.of(findTool("pgbench").toString(), "-h", server.split(":")[0], "-p", server.split(":")[1],
                "-U", database.user(), "-n", "-M", "prepared", "-f", script.toString(), "-c", Integer.toString(concurrency),
                "-j", Integer.toString(Math.min(concurrency, 2)), "-T", Integer.toString((int) scale.pgbenchSeconds()), Database.NAME);
        Meter meter = Meter.start(database);
        String output = execute(command);
        meter.stopClock();
        Matcher tps = TPS.matcher(output);
        Matcher latency = LATENCY.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench said:\n" + output);
        }
        double rate = Double.parseDouble(tps.group(1));
        double averageMs = latency.find() ? Double.parseDouble(latency.group(1)) : Double.NaN;
        Trial measured = meter.finish("W6", "pgbench insert", "1 row/commit", concurrency, 1, Math.round(rate * scale.pgbenchSeconds()),
                "transactions", Meter.histogram(), Map.of("latencyAvgMs", averageMs));
        // pgbench's own count and time, not this JVM's clock around the process
        results.add(new Trial(measured.workload(), measured.database(), measured.system(), measured.variant(), concurrency, 1,
                measured.units(), measured.unit(), scale.pgbenchSeconds(), rate, Double.NaN, Double.NaN, Double.NaN,
                measured.commitsPerUnit(), measured.walBytesPerUnit(), Double.NaN, measured.extra()));
    }

    private void batchInsert(int batch, int round) throws SQLException {
        database.truncate();
        int rows = Math.min(scale.batchRows(), batch * 2_000);
        if (round == 0) {
            rows = Math.max(batch, rows / 5);
        }
        Meter meter = Meter.start(database);
        Histogram latency = Meter.histogram();
        try (HikariDataSource pool = database.pool(1); Connection conn = pool.getConnection()) {
            conn.setAutoCommit(false);
            try (PreparedStatement insert = conn.prepareStatement("insert into weft_batch_probe (id, payload) values (?, ?)")) {
                meter.startClock();
                for (int id = 0; id < rows; id += batch) {
                    long start = System.nanoTime();
                    for (int row = id; row < id + batch; row++) {
                        insert.setLong(1, row);
                        insert.setString(2, "row " + row);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    conn.commit();
                    latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                }
                meter.stopClock();
            }
        }
        Trial trial = meter.finish("W6", "JDBC batch insert", "batch " + batch, 1, round, rows, "rows", latency, Map.of());
        results.add(trial);
    }

    /** The group-commit probe: W1's durable rows, 64 writers, one flusher, multi-row statements, one commit per batch. */
    private void probe(int round) {
        database.truncate();
        int workflows = round == 0 ? scale.warmUp(scale.throughputWorkflows()) : scale.throughputWorkflows();
        Meter meter = Meter.start(database);
        Histogram latency;
        double rowsPerCommit;
        try (HikariDataSource pool = database.pool(2); Flusher flusher = new Flusher(pool)) {
            meter.startClock();
            latency = ClosedLoop.run(PROBE_THREADS, workflows, i -> {
                String id = UUID.randomUUID().toString();
                flusher.write(new Write(Kind.RUN, id, 0)).join();
                for (int seq = 1; seq <= 3; seq++) {
                    flusher.write(new Write(Kind.STEP, id, seq)).join();
                }
                flusher.write(new Write(Kind.COMPLETE, id, 0)).join();
            });
            meter.stopClock();
            flusher.close();
            rowsPerCommit = flusher.writes / (double) Math.max(1, flusher.commits);
        }
        results.add(meter.finish("W6", "group-commit probe", "W1 rows", PROBE_THREADS, round, workflows, "workflows", latency,
                Map.of("rowsPerCommit", rowsPerCommit)));
    }

    private enum Kind { RUN, STEP, COMPLETE }

    private record Write(Kind kind, String runId, int seq) {
    }

    private record Queued(Write write, CompletableFuture<Void> done) {
    }

    /** One thread that takes everything queued and writes it in one transaction. */
    private static final class Flusher implements AutoCloseable {

        private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
        private final HikariDataSource pool;
        private final Thread thread;
        private volatile boolean closed;
        long writes;
        long commits;

        Flusher(HikariDataSource pool) {
            this.pool = pool;
            this.thread = Thread.ofPlatform().name("probe-flusher").start(this::flushUntilClosed);
        }

        CompletableFuture<Void> write(Write write) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Queued(write, done));
            return done;
        }

        private void flushUntilClosed() {
            try (Connection conn = pool.getConnection()) {
                conn.setAutoCommit(false);
                List<Queued> batch = new ArrayList<>();
                while (!closed || !queue.isEmpty()) {
                    Queued first = queue.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 1023);
                    flush(conn, batch);
                    batch.forEach(q -> q.done().complete(null));
                    writes += batch.size();
                    commits++;
                    batch.clear();
                }
            } catch (SQLException | InterruptedException e) {
                queue.forEach(q -> q.done().completeExceptionally(e));
                throw new IllegalStateException(e);
            }
        }

        private static void flush(Connection conn, List<Queued> batch) throws SQLException {
            List<Write> runs = new ArrayList<>();
            List<Write> steps = new ArrayList<>();
            List<Write> completions = new ArrayList<>();
            for (Queued queued : batch) {
                switch (queued.write().kind()) {
                    case RUN -> runs.add(queued.write());
                    case STEP -> steps.add(queued.write());
                    case COMPLETE -> completions.add(queued.write());
                }
            }
            if (!runs.isEmpty()) {
                StringBuilder sql = new StringBuilder("insert into weft_run (id, type, status, input, owner, epoch, lease_expires_at, "
                        + "claimed_at, cancel_requested, created_at, updated_at) values ");
                appendRows(sql, runs.size(), "(?, 'probe', 'running', '0', 'probe', 1, now(), now(), false, now(), now())");
                try (PreparedStatement insert = conn.prepareStatement(sql.toString())) {
                    for (int i = 0; i < runs.size(); i++) {
                        insert.setString(i + 1, runs.get(i).runId());
                    }
                    insert.executeUpdate();
                }
            }
            if (!steps.isEmpty()) {
                StringBuilder sql = new StringBuilder("insert into weft_journal (run_id, seq, kind, name, state, result, attempt, "
                        + "scheduled_at, updated_at) values ");
                appendRows(sql, steps.size(), "(?, ?, 'activity', 'noop', 'completed', '0', 1, now(), now())");
                try (PreparedStatement insert = conn.prepareStatement(sql.toString())) {
                    for (int i = 0; i < steps.size(); i++) {
                        insert.setString(2 * i + 1, steps.get(i).runId());
                        insert.setLong(2 * i + 2, steps.get(i).seq());
                    }
                    insert.executeUpdate();
                }
            }
            if (!completions.isEmpty()) {
                try (PreparedStatement update = conn.prepareStatement("update weft_run set status = 'completed', result = '0', "
                        + "owner = null, lease_expires_at = null, completed_at = now(), updated_at = now() where id = any (?)")) {
                    update.setArray(1, conn.createArrayOf("varchar", completions.stream().map(Write::runId).toArray()));
                    update.executeUpdate();
                }
            }
            conn.commit();
        }

        private static void appendRows(StringBuilder sql, int rows, String row) {
            for (int i = 0; i < rows; i++) {
                sql.append(i == 0 ? "" : ", ").append(row);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path findTool(String name) throws IOException {
        Path onPath = Path.of("/usr/bin", name);
        if (Files.isExecutable(onPath)) {
            return onPath;
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " not found"));
        }
    }

    private static String execute(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
