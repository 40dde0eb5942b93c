package dev.weft.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL server of its own: {@code initdb} into a fresh directory, then {@code pg_ctl}, both as
 * the system user {@code postgres} through {@code runuser}, listening on a free loopback port with
 * trust authentication. The binaries come from {@code WEFT_PG_BIN}, by default
 * {@code /usr/lib/postgresql/15/bin}. Connect as {@code postgres} to the database {@code postgres}.
 */
public final class PrivatePostgres implements PrivateDatabase {

    private static final String SYSTEM_USER = "postgres";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Path bin;
    private final Path data;
    private final Path log;
    private final int port;

    private PrivatePostgres(Path directory) {
        this.bin = Path.of(System.getenv().getOrDefault("WEFT_PG_BIN", "/usr/lib/postgresql/15/bin"));
        Path root = directory.toAbsolutePath();
        this.data = root.resolve("data");
        this.log = root.resolve("postgres.log");
        this.port = LocalCommand.freePort();
        LocalCommand.freshDirectoryOwnedBy(root, SYSTEM_USER);
        LocalCommand.runAs(SYSTEM_USER, PATIENCE, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
                "-U", SYSTEM_USER, "-E", "UTF8", "--no-sync"));
    }

    /** Creates a cluster in {@code directory} (emptied first) and starts it. */
    public static PrivatePostgres start(Path directory) {
        PrivatePostgres postgres = new PrivatePostgres(directory);
        postgres.pgCtl("start");
        return postgres;
    }

    /** Whether this machine can run one: the binaries exist and this process may switch users. */
    public static boolean isAvailable() {
        Path initdb = Path.of(System.getenv().getOrDefault("WEFT_PG_BIN", "/usr/lib/postgresql/15/bin"), "initdb");
        return initdb.toFile().canExecute() && "root".equals(System.getProperty("user.name"));
    }

    @Override
    public String platform() {
        return "postgresql";
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public String user() {
        return SYSTEM_USER;
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public int port() {
        return port;
    }

    /** {@code pg_ctl restart -m immediate}: the postmaster and its backends quit without a checkpoint, then WAL replay on start. */
    @Override
    public void crashAndRestart() {
        pgCtl("restart", "-m", "immediate");
    }

    @Override
    public void close() {
        pgCtl("stop", "-m", "immediate");
    }

    private void pgCtl(String action, String... flags) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D", data.toString(),
                "-l", log.toString(), "-w", "-t", Long.toString(PATIENCE.toSeconds())));
        command.addAll(List.of(flags));
        if (!action.equals("stop")) {
            command.addAll(List.of("-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c max_connections=200"));
        }
        LocalCommand.runAs(SYSTEM_USER, PATIENCE, command);
    }

    @Override
    public String toString() {
        return "PrivatePostgres[" + jdbcUrl() + ", data " + data + "]";
    }
}
