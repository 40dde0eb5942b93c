package dev.weft.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of the machine to its end and fails, with what it printed, when it does not succeed. */
final class LocalCommand {

    private LocalCommand() {
    }

    /** Runs {@code command} as the system user {@code user} (through {@code runuser}) and returns its output. */
    static String runAs(String user, Duration timeout, List<String> command) {
        List<String> asUser = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        asUser.addAll(command);
        return run(timeout, asUser);
    }

    static String run(Duration timeout, List<String> command) {
        try {
            Path output = Files.createTempFile("weft-command", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("did not end within " + timeout + ": " + String.join(" ", command)
                            + "\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                String printed = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", command) + "\n" + printed);
                }
                return printed;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** A loopback port nobody listens on at the moment. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Empties {@code directory} (creating it) and gives it to {@code user}. */
    static void freshDirectoryOwnedBy(Path directory, String user) {
        run(Duration.ofMinutes(1), List.of("rm", "-rf", directory.toAbsolutePath().toString()));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + directory, e);
        }
        run(Duration.ofMinutes(1), List.of("chown", "-R", user + ":", directory.toAbsolutePath().toString()));
    }

    /** Waits until something accepts connections on the loopback {@code port}; fails early if {@code server} (may be null) exits. */
    static void awaitListening(int port, Duration patience, Process server) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (server != null && !server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue() + " before it listened on " + port);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for port " + port, e);
                }
            }
        }
        throw new IllegalStateException("nothing listened on port " + port + " within " + patience);
    }
}
