package dev.weft.testsupport;

/**
 * A database server that a test or the soak suite starts for itself, on a free loopback port with
 * its data under a directory of its own, so that it can crash and restart it without touching a
 * database anyone else uses. Starting one needs root: the server runs as its own system user.
 */
public sealed interface PrivateDatabase extends AutoCloseable permits PrivatePostgres, PrivateMariaDb {

    /** The platform name the engine's scripts use: {@code postgresql} or {@code mariadb}. */
    String platform();

    /** A JDBC URL reaching the server directly on loopback. */
    String jdbcUrl();

    String user();

    String password();

    /** The loopback port the server listens on. */
    int port();

    /**
     * Crashes the server (no clean shutdown: sessions are dropped, nothing is flushed that was
     * not already) and starts it again on the same port and data; returns once it accepts
     * connections.
     */
    void crashAndRestart();

    /** Stops the server at once and deletes nothing (the data stays for a post-mortem). */
    @Override
    void close();
}
