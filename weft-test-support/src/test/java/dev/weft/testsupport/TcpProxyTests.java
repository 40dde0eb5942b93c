package dev.weft.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTests {

    private ServerSocket echoServer;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echoServer.isClosed()) {
                try {
                    Socket socket = echoServer.accept();
                    Thread.ofVirtual().start(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = TcpProxy.start("127.0.0.1", echoServer.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echoServer.close();
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the client went away
        }
    }

    @Test
    void forwardsBytesBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void blackholeHoldsBytesUntilTheNetworkReturns() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "a")).isEqualTo("a");
            proxy.blackhole();
            client.getOutputStream().write("b".getBytes());
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.pass();
            client.setSoTimeout(5_000);
            assertThat((char) client.getInputStream().read()).isEqualTo('b');
        }
    }

    @Test
    void cutResetsOpenConnectionsAndRefusesNewOnes() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "x")).isEqualTo("x");
            proxy.cut();
            client.setSoTimeout(5_000);
            assertThatThrownBy(() -> {
                client.getOutputStream().write('y');
                if (client.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
        try (Socket late = connect()) {
            late.setSoTimeout(5_000);
            assertThatThrownBy(() -> {
                late.getOutputStream().write('z');
                if (late.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
        proxy.pass();
        try (Socket again = connect()) {
            assertThat(roundTrip(again, "back")).isEqualTo("back");
        }
    }

    @Test
    void delayAddsLatencyToEachChunk() throws IOException {
        proxy.delay(Duration.ofMillis(100));
        try (Socket client = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(client, "slow")).isEqualTo("slow");
            // One chunk up and one down: at least twice the delay has passed.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void rewritesJdbcUrls() {
        assertThat(proxy.rewrite("jdbc:postgresql://127.0.0.1:5432/test?x=1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?x=1");
        assertThat(proxy.rewrite("jdbc:mariadb://db.example/test"))
                .isEqualTo("jdbc:mariadb://127.0.0.1:" + proxy.port() + "/test");
        assertThatThrownBy(() -> proxy.rewrite("jdbc:h2:mem:x")).hasMessageContaining("jdbc:h2:mem:x");
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static String roundTrip(Socket client, String text) throws IOException {
        client.setSoTimeout(5_000);
        client.getOutputStream().write(text.getBytes());
        byte[] answer = client.getInputStream().readNBytes(text.length());
        return new String(answer);
    }
}
