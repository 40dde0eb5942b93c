package dev.weft.soak;

import dev.weft.testsupport.PrivateDatabase;
import dev.weft.testsupport.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One node of the soak as the runner sees it: a {@link SoakWorker} JVM (one process after another,
 * as it is killed and started again) behind a {@link TcpProxy} of its own, through which its engine
 * reaches the database and which partitions it. Each process's stderr goes to its own log file.
 */
final class WorkerNode {

    private final String name;
    private final PrivateDatabase database;
    private final TcpProxy proxy;
    private final Duration lease;
    private final Duration socketTimeout;
    private final Path logs;
    private final Map<Long, Instant> deaths;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Process process;
    private int incarnation;
    private boolean down;

    /**
     * @param deaths where each process's end is recorded (pid to the instant it was seen gone): the
     *        latest moment an execution it left unfinished can have run
     */
    WorkerNode(String name, PrivateDatabase database, Duration lease, Duration socketTimeout, Path logs, Map<Long, Instant> deaths) {
        this.name = name;
        this.database = database;
        this.proxy = TcpProxy.forJdbcUrl(database.jdbcUrl(), database.port());
        this.lease = lease;
        this.socketTimeout = socketTimeout;
        this.logs = logs;
        this.deaths = deaths;
    }

    String name() {
        return name;
    }

    TcpProxy proxy() {
        return proxy;
    }

    /** Starts a new process unless one lives; it finds its way to the database by itself. */
    void start() {
        lock.lock();
        try {
            down = false;
            if (process != null && process.isAlive()) {
                return;
            }
            incarnation++;
            List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), SoakWorker.class.getName(),
                    "node=" + name, "store=" + withSocketTimeout(proxy.rewrite(database.jdbcUrl())),
                    "log=" + database.jdbcUrl(), "user=" + database.user(), "password=" + database.password(), "lease=" + lease);
            Path log = logs.resolve(name + "-" + incarnation + ".log");
            Process started = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long pid = started.pid();
            started.onExit().thenRun(() -> deaths.putIfAbsent(pid, Instant.now()));
            process = started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + name, e);
        } finally {
            lock.unlock();
        }
    }

    /** SIGKILL; returns once the process is gone. It stays down until {@link #start()}. */
    void kill() {
        lock.lock();
        try {
            down = true;
            if (process == null) {
                return;
            }
            Process killed = process;
            killed.destroyForcibly();
            if (!killed.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node " + name + " (pid " + killed.pid() + ") did not die");
            }
            deaths.putIfAbsent(killed.pid(), Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing node " + name, e);
        } finally {
            lock.unlock();
        }
    }

    /** Whether its process ended although nobody killed it (a start that failed, say): the runner starts it again. */
    boolean exitedOnItsOwn() {
        lock.lock();
        try {
            return !down && process != null && !process.isAlive();
        } finally {
            lock.unlock();
        }
    }

    /** Kills the process and closes the proxy. */
    void close() {
        kill();
        proxy.close();
    }

    /**
     * A socket timeout on the engine's connections (none when zero): without one, a statement sent
     * into a partition waits for ever and the engine never learns that its lease renewals fail.
     */
    private String withSocketTimeout(String jdbcUrl) {
        if (socketTimeout.isZero()) {
            return jdbcUrl;
        }
        String separator = jdbcUrl.contains("?") ? "&" : "?";
        return switch (database.platform()) {
            // PostgreSQL's driver counts whole seconds
            case "postgresql" -> jdbcUrl + separator + "socketTimeout=" + Math.max(1, socketTimeout.toSeconds()) + "&connectTimeout=3";
            default -> jdbcUrl + separator + "socketTimeout=" + socketTimeout.toMillis() + "&connectTimeout=3000";
        };
    }
}
