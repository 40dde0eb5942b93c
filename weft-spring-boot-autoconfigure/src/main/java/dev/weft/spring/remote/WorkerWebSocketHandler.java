package dev.weft.spring.remote;

import java.io.IOException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * The endpoint {@code /api/v1/tasks/{queue}/stream} in Spring's WebSocket support: each session
 * becomes a {@link WorkerSocket} of the hub. Binary frames break the protocol (it is JSON text).
 */
public final class WorkerWebSocketHandler extends AbstractWebSocketHandler {

    private static final Log LOG = LogFactory.getLog(WorkerWebSocketHandler.class);
    /** The session attribute the handshake puts the queue's name in. */
    public static final String QUEUE_ATTRIBUTE = "weft.queue";
    private static final String SOCKET_ATTRIBUTE = "weft.socket";

    private final RemoteWorkerHub hub;
    private final int maxFrameBytes;

    public WorkerWebSocketHandler(RemoteWorkerHub hub, int maxFrameBytes) {
        this.hub = hub;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        // larger frames are refused by the container, closing with 1009, before they are buffered
        session.setTextMessageSizeLimit(maxFrameBytes);
        session.setBinaryMessageSizeLimit(4096);
        SessionSocket socket = new SessionSocket(new ConcurrentWebSocketSessionDecorator(session, 10_000, maxFrameBytes * 2));
        session.getAttributes().put(SOCKET_ATTRIBUTE, socket);
        hub.opened((String) session.getAttributes().get(QUEUE_ATTRIBUTE), socket);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        hub.received(socket(session), message.getPayload());
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
        if (message instanceof TextMessage) {
            super.handleMessage(session, message);
        } else if (!(message instanceof PongMessage)) {
            hub.received(socket(session), "binary frame");
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        SessionSocket socket = socket(session);
        if (socket != null) {
            hub.closed(socket);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        LOG.debug("Transport error on remote worker socket " + session.getId(), exception);
    }

    private static SessionSocket socket(WebSocketSession session) {
        return (SessionSocket) session.getAttributes().get(SOCKET_ATTRIBUTE);
    }

    private record SessionSocket(WebSocketSession session) implements WorkerSocket {

        @Override
        public String id() {
            return session.getId();
        }

        @Override
        public boolean send(String text) {
            if (!session.isOpen()) {
                return false;
            }
            try {
                session.sendMessage(new TextMessage(text));
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not send to remote worker socket " + session.getId(), e);
                return false;
            }
        }

        @Override
        public void close(int code, String reason) {
            try {
                session.close(new CloseStatus(code, reason));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not close remote worker socket " + session.getId(), e);
            }
        }
    }

}
