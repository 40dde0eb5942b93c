package dev.weft.worker;

import dev.weft.worker.protocol.Frames;
import dev.weft.worker.protocol.Protocol;
import dev.weft.worker.protocol.ServerMessage;
import dev.weft.worker.protocol.WorkerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote worker of one queue: connects to one of its servers, registers its activities, runs the
 * tasks it is sent (at most {@code concurrency} at once), heartbeats, and reconnects with a backoff
 * (trying the next server) when the connection drops, keeping its worker id so the server keeps its
 * tasks through a short outage. {@link #close()} drains: no new tasks, the running ones finish.
 */
public final class RemoteWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWorker.class);

    private final Settings settings;
    private final WorkerTasks tasks;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private @Nullable ServerConnection connection;
    private volatile boolean stopping;
    private volatile boolean registered;
    private @Nullable Thread loop;

    private RemoteWorker(Settings settings) {
        this.settings = settings;
        this.tasks = new WorkerTasks(settings.activities(), settings.concurrency(), this::send, this::heartbeat);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String workerId() {
        return settings.workerId();
    }

    /** Whether the worker is connected and registered now. */
    public boolean isRegistered() {
        return registered;
    }

    /** How many tasks run now. */
    public int inFlight() {
        return tasks.running();
    }

    /**
     * How many tasks wait for a free slot: sent by a node that does not know of the tasks this worker
     * still runs for another (after a reconnect to it); they start as slots free up.
     */
    public int waiting() {
        return tasks.waiting();
    }

    /** Connects (in the background) and keeps connecting until closed. */
    public RemoteWorker start() {
        loop = Thread.ofVirtual().name("weft-worker-" + settings.queue()).start(this::connectWhileRunning);
        return this;
    }

    private void connectWhileRunning() {
        Duration backoff = settings.reconnectMin();
        int server = 0;
        while (!stopping) {
            URI uri = settings.servers().get(server % settings.servers().size());
            ServerConnection current = new ServerConnection(this::received);
            try {
                WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(settings.connectTimeout());
                if (settings.apiKey() != null) {
                    builder.header("X-Api-Key", settings.apiKey());
                }
                if (settings.bearerToken() != null) {
                    builder.header("Authorization", "Bearer " + settings.bearerToken());
                }
                current.open(builder.buildAsync(uri, current).get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS));
                setConnection(current);
                current.closed().thenRun(this::signalChange);
                current.send(Frames.write(new WorkerMessage.Register(Protocol.VERSION, settings.workerId(),
                        List.copyOf(settings.activities().keySet()), settings.concurrency(), settings.queue(), null, null,
                        "java " + Runtime.version(), null, null, null)));
                if (heartbeatUntilClosed(current)) {
                    backoff = settings.reconnectMin();
                }
            } catch (Exception e) {
                LOG.info("Could not connect to {}: {}", uri, e.toString());
            } finally {
                registered = false;
                setConnection(null);
                current.abort();
            }
            if (stopping) {
                return;
            }
            server++;
            long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
            sleep(backoff.plusMillis(jitter));
            backoff = backoff.multipliedBy(2).compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax() : backoff.multipliedBy(2);
        }
    }

    /** Sends heartbeats while the connection is open; returns whether it was ever registered. */
    private boolean heartbeatUntilClosed(ServerConnection current) throws InterruptedException {
        boolean wasRegistered = false;
        while (!current.closed().isDone() && !stopping) {
            lock.lock();
            try {
                changed.await(settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                lock.unlock();
            }
            if (registered) {
                wasRegistered = true;
                heartbeat();
            }
        }
        return wasRegistered;
    }

    private void received(String text) {
        ServerMessage message;
        try {
            message = Frames.readServer(text).orElse(null);
        } catch (RuntimeException malformed) {
            LOG.warn("Ignored a malformed frame from the server: {}", malformed.getMessage());
            return;
        }
        switch (message) {
            case null -> LOG.debug("Ignored a frame of a type this worker does not know");
            case ServerMessage.RegisterAck ack -> {
                registered = true;
                LOG.info("Worker {} registered on queue {} with {} activities (concurrency {})", ack.workerId(), ack.queue(),
                        ack.activities().size(), ack.concurrency());
                Thread.ofVirtual().start(tasks::flushPendingResults);
            }
            case ServerMessage.RegisterError error -> {
                LOG.error("The server refused worker {}: {} ({})", settings.workerId(), error.message(), error.code());
            }
            case ServerMessage.ProtocolError error -> LOG.warn("The server reported a protocol error: {} ({})", error.message(),
                    error.code());
            case ServerMessage.Task task -> tasks.start(task);
            case ServerMessage.Cancel cancel -> tasks.cancel(cancel.operationId());
            case ServerMessage.Shutdown shutdown -> {
                LOG.info("The server asked worker {} to shut down: draining", settings.workerId());
                Thread.ofVirtual().start(this::close);
            }
        }
    }

    private boolean send(WorkerMessage message) {
        ServerConnection current = connection;
        if (current == null || !registered) {
            return false;
        }
        return current.send(Frames.write(message));
    }

    private void heartbeat() {
        send(new WorkerMessage.Heartbeat(settings.workerId()));
    }

    private void setConnection(@Nullable ServerConnection current) {
        connection = current;
        signalChange();
    }

    private void signalChange() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drains: takes no new task, waits up to the drain timeout for the running ones to finish and
     * report, then cancels those left and disconnects.
     */
    @Override
    public void close() {
        tasks.drain(settings.drainTimeout());
        stopping = true;
        ServerConnection current = connection;
        if (current != null) {
            current.close();
        }
        setConnection(null);
        if (loop != null && Thread.currentThread() != loop) {
            // a pause between connection attempts ends now rather than at its term
            loop.interrupt();
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Settings(List<URI> servers, String queue, String workerId, int concurrency, Map<String, RemoteActivity> activities,
            @Nullable String apiKey, @Nullable String bearerToken, Duration heartbeatInterval, Duration reconnectMin,
            Duration reconnectMax, Duration connectTimeout, Duration drainTimeout) {
    }

    /** Builds a {@link RemoteWorker}; only the servers and one activity are required. */
    public static final class Builder {

        private final List<URI> servers = new ArrayList<>();
        private final Map<String, RemoteActivity> activities = new LinkedHashMap<>();
        private String queue = "default";
        private String workerId = "worker-" + UUID.randomUUID();
        private int concurrency = Protocol.DEFAULT_CONCURRENCY;
        private @Nullable String apiKey;
        private @Nullable String bearerToken;
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private Duration reconnectMin = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration drainTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * A server's base URL ({@code http://host:8080}, {@code https://...}, or {@code ws://}/{@code wss://});
         * with several, the worker tries the next one when a connection fails.
         */
        public Builder server(String baseUrl) {
            String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            url = url.replaceFirst("^http", "ws");
            if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
                throw new IllegalArgumentException("a server URL starts with http://, https://, ws:// or wss://, got " + baseUrl);
            }
            servers.add(URI.create(url));
            return this;
        }

        public Builder queue(String queue) {
            if (!Protocol.QUEUE_NAME.matcher(queue).matches()) {
                throw new IllegalArgumentException("a queue name is 1 to 100 letters, digits, '_' or '-', got '" + queue + "'");
            }
            this.queue = queue;
            return this;
        }

        public Builder workerId(String workerId) {
            if (workerId.isBlank() || workerId.length() > Protocol.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("a worker id is 1 to " + Protocol.MAX_NAME_LENGTH + " characters");
            }
            this.workerId = workerId;
            return this;
        }

        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > Protocol.MAX_CONCURRENCY) {
                throw new IllegalArgumentException("concurrency is 1 to " + Protocol.MAX_CONCURRENCY + ", got " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        public Builder activity(String name, RemoteActivity activity) {
            if (name.isBlank() || name.length() > Protocol.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("an activity name is 1 to " + Protocol.MAX_NAME_LENGTH + " characters");
            }
            activities.put(name, Objects.requireNonNull(activity, "activity"));
            return this;
        }

        /** An API key with the {@code workers:write} scope, sent as {@code X-Api-Key}. */
        public Builder apiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** A bearer token (a JWT with the {@code workers:write} scope), sent as {@code Authorization: Bearer}. */
        public Builder bearerToken(@Nullable String bearerToken) {
            this.bearerToken = bearerToken;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval");
            return this;
        }

        /** The first and the longest pause before reconnecting; the pause doubles after each failure. */
        public Builder reconnectBackoff(Duration first, Duration longest) {
            this.reconnectMin = positive(first, "reconnect backoff");
            this.reconnectMax = positive(longest, "reconnect backoff");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long {@link RemoteWorker#close()} waits for running tasks before cancelling them. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = Objects.requireNonNull(timeout, "drainTimeout");
            return this;
        }

        public RemoteWorker build() {
            if (servers.isEmpty()) {
                throw new IllegalStateException("a remote worker needs at least one server URL");
            }
            if (activities.isEmpty()) {
                throw new IllegalStateException("a remote worker needs at least one activity");
            }
            return new RemoteWorker(new Settings(List.copyOf(servers).stream()
                    .map(base -> URI.create(base + Protocol.path(queue))).toList(), queue, workerId, concurrency,
                    Map.copyOf(activities), apiKey, bearerToken, heartbeatInterval, reconnectMin, reconnectMax, connectTimeout,
                    drainTimeout));
        }

        private static Duration positive(Duration value, String what) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
