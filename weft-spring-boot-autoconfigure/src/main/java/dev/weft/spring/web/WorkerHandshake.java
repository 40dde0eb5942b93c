package dev.weft.spring.web;

import dev.weft.spring.remote.WorkerWebSocketHandler;
import dev.weft.worker.protocol.Protocol;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Checks a worker's upgrade request before the socket opens: the queue's name in the path, and the
 * credential as the REST API checks it (an API key granting {@code workers:write}, or loopback only
 * when nothing is configured; under Spring Security its filter chain has checked the scope already).
 */
public final class WorkerHandshake implements HandshakeInterceptor {

    private static final Pattern QUEUE_IN_PATH = Pattern.compile(".*/tasks/([^/]+)/stream$");

    private final ApiAccessInterceptor access;

    public WorkerHandshake(ApiAccessInterceptor access) {
        this.access = access;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws Exception {
        Matcher queue = QUEUE_IN_PATH.matcher(request.getURI().getPath());
        if (!queue.matches() || !Protocol.QUEUE_NAME.matcher(queue.group(1)).matches()) {
            response.setStatusCode(HttpStatus.BAD_REQUEST);
            return false;
        }
        if (request instanceof ServletServerHttpRequest servletRequest && response instanceof ServletServerHttpResponse servletResponse
                && !access.preHandle(servletRequest.getServletRequest(), servletResponse.getServletResponse(), handler)) {
            return false;
        }
        attributes.put(WorkerWebSocketHandler.QUEUE_ATTRIBUTE, queue.group(1));
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            @Nullable Exception exception) {
    }
}
