package dev.weft.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of its own: {@code mariadb-install-db} into a fresh directory, then {@code mariadbd}
 * as the system user {@code mysql}, on a free loopback port with its own socket and no option files
 * read (so nothing of the machine's own server applies). It holds the database {@code soak}, open to
 * the user {@code weft} without a password.
 */
public final class PrivateMariaDb implements PrivateDatabase {

    public static final String DATABASE = "soak";
    private static final String USER = "weft";
    private static final String SYSTEM_USER = "mysql";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Path root;
    private final Path data;
    private final Path socket;
    private final int port;
    private Process server;

    private PrivateMariaDb(Path directory) {
        this.root = directory.toAbsolutePath();
        this.data = root.resolve("data");
        this.socket = root.resolve("mariadbd.sock");
        this.port = LocalCommand.freePort();
        LocalCommand.freshDirectoryOwnedBy(root, SYSTEM_USER);
        LocalCommand.run(PATIENCE, List.of("mariadb-install-db", "--no-defaults", "--user=" + SYSTEM_USER, "--datadir=" + data,
                "--skip-test-db", "--auth-root-authentication-method=socket"));
        this.server = launch();
        // root signs in through the socket as the system's root; the engine gets a user of its own over TCP
        LocalCommand.run(PATIENCE, List.of("mariadb", "--no-defaults", "--socket=" + socket, "-u", "root", "-e",
                "create database if not exists " + DATABASE + "; create user if not exists '" + USER + "'@'%';"
                        + " grant all on " + DATABASE + ".* to '" + USER + "'@'%';"));
    }

    /** Creates a server in {@code directory} (emptied first) and starts it. */
    public static PrivateMariaDb start(Path directory) {
        return new PrivateMariaDb(directory);
    }

    /** Whether this machine can run one: the binaries exist and this process may switch users. */
    public static boolean isAvailable() {
        return Path.of("/usr/sbin/mariadbd").toFile().canExecute() && "root".equals(System.getProperty("user.name"));
    }

    @Override
    public String platform() {
        return "mariadb";
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public int port() {
        return port;
    }

    /** SIGKILL of {@code mariadbd}, then a new one on the same data: InnoDB recovers from its redo log. */
    @Override
    public void crashAndRestart() {
        kill();
        server = launch();
    }

    @Override
    public void close() {
        kill();
    }

    private void kill() {
        server.destroyForcibly();
        try {
            if (!server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("mariadbd " + server.pid() + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing mariadbd", e);
        }
    }

    private Process launch() {
        try {
            Process process = new ProcessBuilder("/usr/sbin/mariadbd", "--no-defaults", "--user=" + SYSTEM_USER, "--datadir=" + data,
                    "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket, "--pid-file=" + root.resolve("mariadbd.pid"),
                    "--log-error=" + root.resolve("mariadbd.log"), "--skip-name-resolve", "--max-connections=300",
                    "--innodb-buffer-pool-size=128M",
                    // the compiled-in default is latin1; these are what Debian's own server is given
                    "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("mariadbd.out").toFile()))
                    .start();
            LocalCommand.awaitListening(port, PATIENCE, process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start mariadbd", e);
        }
    }

    @Override
    public String toString() {
        return "PrivateMariaDb[" + jdbcUrl() + ", data " + data + "]";
    }
}
