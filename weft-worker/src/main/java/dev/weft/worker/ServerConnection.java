package dev.weft.worker;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote worker's socket to one server: frames in (reassembled, then handed to the worker), frames
 * out (one at a time, as the JDK requires), and its end, however it came.
 */
final class ServerConnection implements WebSocket.Listener {

    /** The worker's own category: these lines were always the worker's, and users filter on its name. */
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWorker.class);

    private final Consumer<String> onText;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ReentrantLock sending = new ReentrantLock();
    private @Nullable WebSocket socket;

    ServerConnection(Consumer<String> onText) {
        this.onText = onText;
    }

    void open(WebSocket socket) {
        this.socket = socket;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    boolean send(String text) {
        WebSocket current = socket;
        if (current == null || closed.isDone()) {
            return false;
        }
        sending.lock();
        try {
            current.sendText(text, true).get(30, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            LOG.debug("Could not send a frame", e);
            return false;
        } finally {
            sending.unlock();
        }
    }

    void close() {
        WebSocket current = socket;
        if (current != null && !closed.isDone()) {
            sending.lock();
            try {
                current.sendClose(WebSocket.NORMAL_CLOSURE, "worker closing").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Could not close the socket cleanly", e);
            } finally {
                sending.unlock();
            }
        }
        abort();
    }

    void abort() {
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
        closed.complete(null);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            // the listener's thread must not block: a task starts on a thread of its own
            onText.accept(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        LOG.info("The server closed the connection: {} {}", statusCode, reason);
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        LOG.info("The connection failed: {}", error.toString());
        closed.complete(null);
    }
}
