package dev.weft.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on loopback that stands between a client (an engine's connection pool) and a server
 * (the database), and can be told to misbehave while the client keeps running.
 *
 * <ul>
 *   <li>{@link #pass()}: bytes flow as usual (the starting state).
 *   <li>{@link #delay(Duration)}: every chunk, in either direction, waits this long before it is
 *       forwarded: a slow network or a slow database.
 *   <li>{@link #blackhole()}: a partition where packets vanish. Open connections stay open but no byte
 *       crosses in either direction; new connections are accepted on the proxy's side and get no
 *       answer. Bytes already read are held, not dropped, and cross when the network returns, as TCP's
 *       retransmissions would deliver them after a short partition.
 *   <li>{@link #cut()}: every open connection is reset and new ones are closed at once, as when a host
 *       goes away or a firewall rejects.
 * </ul>
 *
 * <p>Every connection is served by virtual threads; the proxy needs nothing but the JDK.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Pattern JDBC_HOST_PORT = Pattern.compile("^(jdbc:[a-z0-9]+://)([^/:?]+)(?::(\\d+))?");

    /** What the proxy does with traffic at the moment. */
    public enum Mode {
        PASS, DELAY, BLACKHOLE, CUT
    }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition modeChanged = lock.newCondition();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static TcpProxy start(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a proxy port for " + host + ":" + port, e);
        }
    }

    /**
     * Starts a proxy in front of the server a JDBC URL names ({@code jdbc:postgresql://host:port/db},
     * {@code jdbc:mariadb://host:port/db}); {@code defaultPort} is used when the URL names none.
     */
    public static TcpProxy forJdbcUrl(String jdbcUrl, int defaultPort) {
        Matcher matcher = hostAndPort(jdbcUrl);
        int port = matcher.group(3) == null ? defaultPort : Integer.parseInt(matcher.group(3));
        return start(matcher.group(2), port);
    }

    /** The same JDBC URL with its host and port replaced by this proxy's. */
    public String rewrite(String jdbcUrl) {
        Matcher matcher = hostAndPort(jdbcUrl);
        return matcher.group(1) + "127.0.0.1:" + port() + jdbcUrl.substring(matcher.end());
    }

    private static Matcher hostAndPort(String jdbcUrl) {
        Matcher matcher = JDBC_HOST_PORT.matcher(jdbcUrl);
        if (!matcher.find()) {
            throw new IllegalArgumentException("not a jdbc:<driver>://host[:port]/... URL: " + jdbcUrl);
        }
        return matcher;
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    public Mode mode() {
        return mode;
    }

    /** Connections currently open through the proxy (each counted once, on the client's side). */
    public int openConnections() {
        return openSockets.size() / 2;
    }

    /** Connections clients opened to the proxy since it started, refused ones included. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Lets bytes flow unhindered; held bytes cross now. */
    public void pass() {
        setMode(Mode.PASS, Duration.ZERO);
    }

    /** Forwards every chunk, in either direction, after {@code latency}. */
    public void delay(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        setMode(Mode.DELAY, latency);
    }

    /** Holds every byte in either direction until {@link #pass()} or {@link #delay(Duration)}. */
    public void blackhole() {
        setMode(Mode.BLACKHOLE, Duration.ZERO);
    }

    /** Resets every open connection, and closes new ones at once, until the mode changes again. */
    public void cut() {
        setMode(Mode.CUT, Duration.ZERO);
        openSockets.forEach(TcpProxy::reset);
    }

    private void setMode(Mode newMode, Duration newDelay) {
        lock.lock();
        try {
            delay = newDelay;
            mode = newMode;
            modeChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        openSockets.forEach(TcpProxy::reset);
        setMode(Mode.CUT, Duration.ZERO);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // the listener was closed
            }
            accepted.incrementAndGet();
            Thread.ofVirtual().name("tcp-proxy-connect-" + port()).start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        // A connection that arrives during a blackhole waits here, as a SYN would go unanswered.
        if (!awaitTraffic()) {
            reset(client);
            return;
        }
        Socket server = new Socket();
        try {
            server.connect(target, 5_000);
        } catch (IOException e) {
            reset(client);
            close(server);
            return;
        }
        openSockets.add(client);
        openSockets.add(server);
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (SocketException ignored) {
            // latency settings only
        }
        Thread.ofVirtual().name("tcp-proxy-up-" + port()).start(() -> pump(client, server));
        Thread.ofVirtual().name("tcp-proxy-down-" + port()).start(() -> pump(server, client));
    }

    /** Copies one direction until either side closes or the proxy cuts. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!awaitTraffic()) {
                    break;
                }
                Duration wait = delay;
                if (!wait.isZero()) {
                    Thread.sleep(wait);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; the other follows below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(from);
            close(to);
        }
    }

    /** Blocks while blackholed; false when the traffic must stop for good (cut or closed). */
    private boolean awaitTraffic() {
        lock.lock();
        try {
            while (mode == Mode.BLACKHOLE && !closed) {
                modeChanged.await(50, TimeUnit.MILLISECONDS);
            }
            return mode != Mode.CUT && !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void close(Socket socket) {
        openSockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Closes with an immediate RST, so the peer sees "connection reset" instead of a clean end. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // the socket is already closed
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + target + ", " + mode + "]";
    }
}
