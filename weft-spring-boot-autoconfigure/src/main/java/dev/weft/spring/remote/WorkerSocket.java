package dev.weft.spring.remote;

/** One worker's connection as the hub sees it: frames out, and closing it with a code. */
public interface WorkerSocket {

    /** Unique among this node's open sockets. */
    String id();

    /** Sends a text frame; returns {@code false} when it could not (the socket closed). */
    boolean send(String text);

    void close(int code, String reason);
}
