package dev.weft.spring.remote;

import dev.weft.worker.protocol.Frames;
import dev.weft.worker.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A worker's socket as the hub sees it, without a network: it keeps what the hub sent and how it
 * closed the socket, and plays the worker's side by handing frames to the hub.
 */
final class RecordingSocket implements WorkerSocket {

    private final String id = UUID.randomUUID().toString();
    private final RemoteWorkerHub hub;
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile Integer closeCode;
    /** Run at each failed send of a task frame; none while sends succeed. */
    private volatile @Nullable Runnable taskSendFailure;

    private RecordingSocket(RemoteWorkerHub hub) {
        this.hub = hub;
    }

    /** A socket opened on {@code queue}'s endpoint. */
    static RecordingSocket open(RemoteWorkerHub hub, String queue) {
        RecordingSocket socket = new RecordingSocket(hub);
        hub.opened(queue, socket);
        return socket;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean send(String text) {
        if (closeCode != null) {
            return false;
        }
        Runnable failure = taskSendFailure;
        if (failure != null && Frames.readServer(text).filter(ServerMessage.Task.class::isInstance).isPresent()) {
            failure.run();
            return false;
        }
        sent.add(text);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == null) {
            closeCode = code;
        }
    }

    /**
     * From now on its sends of task frames fail, as those of a connection that broke before its close
     * reached the hub do; {@code onFailure} runs at each. Other frames still go through.
     */
    RecordingSocket failingTaskSends(Runnable onFailure) {
        taskSendFailure = onFailure;
        return this;
    }

    /** The worker sends a frame. */
    RecordingSocket frame(String text) {
        hub.received(this, text);
        return this;
    }

    /** The connection drops. */
    void drop() {
        close(1006, "dropped");
        hub.closed(this);
    }

    Integer closeCode() {
        return closeCode;
    }

    List<ServerMessage> messages() {
        return sent.stream().map(text -> Frames.readServer(text).orElseThrow()).toList();
    }

    <M extends ServerMessage> List<M> messages(Class<M> type) {
        return messages().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits for the {@code n}th message of a type (from 1) and returns it. */
    <M extends ServerMessage> M await(Class<M> type, int n) {
        // the hub mostly answers before the frame call returns: look at once, then often
        Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(20))
                .until(() -> messages(type).size() >= n);
        return messages(type).get(n - 1);
    }

    <M extends ServerMessage> M await(Class<M> type) {
        return await(type, 1);
    }
}
