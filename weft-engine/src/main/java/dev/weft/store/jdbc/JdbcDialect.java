package dev.weft.store.jdbc;

import dev.weft.failure.StoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the supported databases: the database clock, lease arithmetic on it, the
 * journal upsert, row locking for claims, and how an {@link Instant} is bound and read.
 *
 * <p>Every {@code Instant} is truncated to microseconds when bound, the finest precision all three
 * databases keep, so a value reads back exactly as it was written.
 */
public enum JdbcDialect {

    /** PostgreSQL: {@code timestamp with time zone}, {@code on conflict do update}, {@code skip locked}. */
    POSTGRESQL("postgresql", "now()", " for update skip locked") {
        @Override
        String nowPlusMicros(String parameter) {
            // bigint * interval resolves through float8, exact for any lease below 285 years
            return "(now() + " + parameter + " * interval '1 microsecond')";
        }

        @Override
        String journalUpsert(String table) {
            return "insert into " + table + " (" + JOURNAL_COLUMNS + ") values (" + JOURNAL_VALUES + ", " + now() + ")"
                    + " on conflict (run_id, seq) do update set " + assignments("excluded.%s");
        }

        @Override
        @Nullable String fencedActivityRecordUpsert(String recordTable, String runTable) {
            return activityRecordInsertFromFence(recordTable, runTable)
                    + " on conflict (run_id, activity, key_digest) do update set " + activityRecordAssignments("excluded.%s");
        }

        @Override
        String activityRecordUpsert(String table) {
            return activityRecordInsert(table) + " on conflict (run_id, activity, key_digest) do update set "
                    + activityRecordAssignments("excluded.%s");
        }

        @Override
        int defaultConcurrentBatches() {
            // measured (docs/benchmarks.md): a second batch in flight overlaps the first one's round
            // trips and commit, +10 % at 16 and 64 workflows on two cores
            return 2;
        }
    },

    /**
     * MariaDB 10.6+ and MySQL 8+. There is no time-zone type, so instants live in {@code datetime(6)}
     * columns as UTC and the clock is {@code utc_timestamp(6)}, whatever the session's zone.
     */
    MARIADB("mariadb", "utc_timestamp(6)", " for update skip locked") {
        @Override
        String nowPlusMicros(String parameter) {
            return "(utc_timestamp(6) + interval " + parameter + " microsecond)";
        }

        @Override
        String journalUpsert(String table) {
            return "insert into " + table + " (" + JOURNAL_COLUMNS + ") values (" + JOURNAL_VALUES + ", " + now() + ")"
                    + " on duplicate key update " + assignments("values(%s)");
        }

        @Override
        @Nullable String fencedJournalUpsert(String journalTable, String runTable) {
            // the run row is read with a lock, whatever the session's isolation: a claim that would
            // raise the epoch waits for this statement's commit, or committed before and is seen
            return "insert into " + journalTable + " (" + JOURNAL_COLUMNS + ") select id, "
                    + JOURNAL_VALUES.substring(JOURNAL_VALUES.indexOf(',') + 2) + ", " + now()
                    + " from " + runTable + " where id = :runId and epoch = :epoch and status = 'running' for update"
                    + " on duplicate key update " + assignments("values(%s)");
        }

        @Override
        @Nullable String fencedActivityRecordUpsert(String recordTable, String runTable) {
            return activityRecordInsertFromFence(recordTable, runTable)
                    + " on duplicate key update " + activityRecordAssignments("values(%s)");
        }

        @Override
        String activityRecordUpsert(String table) {
            return activityRecordInsert(table) + " on duplicate key update " + activityRecordAssignments("values(%s)");
        }

        @Override
        Object bind(Instant instant) {
            // a LocalDateTime is sent as written: no conversion through the JVM's default zone
            return LocalDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
        }

        @Override
        @Nullable Instant read(ResultSet rs, String column) throws SQLException {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }

        @Override
        boolean needsReadCommitted() {
            // REPEATABLE READ would take gap locks on the claim scans and block inserts of new runs
            return true;
        }
    },

    /** H2 2.2+: {@code timestamp with time zone}, {@code merge ... key}, {@code skip locked}. */
    H2("h2", "current_timestamp", " for update skip locked") {
        @Override
        String nowPlusMicros(String parameter) {
            return "dateadd(microsecond, " + parameter + ", current_timestamp)";
        }

        @Override
        String journalUpsert(String table) {
            return "merge into " + table + " (" + JOURNAL_COLUMNS + ") key (run_id, seq) values (" + JOURNAL_VALUES + ", " + now() + ")";
        }

        @Override
        String activityRecordUpsert(String table) {
            // merge ... key would write created_at again; the standard merge leaves it as first written
            return "merge into " + table + " t using (select cast(:runId as varchar(200)) run_id, cast(:activity as varchar(200)) activity,"
                    + " cast(:digest as varchar(64)) key_digest) k"
                    + " on t.run_id = k.run_id and t.activity = k.activity and t.key_digest = k.key_digest"
                    + " when matched then update set seq = :seq, state = :state, attempt = :attempt, result = :result, updated_at = " + now()
                    + " when not matched then insert (" + ACTIVITY_RECORD_COLUMNS + ") values (" + activityRecordValues() + ")";
        }
    };

    // The columns a journal entry is read from, and the time of its write.
    static final String JOURNAL_COLUMNS = JdbcJournalDao.COLUMNS + ", updated_at";

    private static final String[] UPDATED_COLUMNS = {"kind", "name", "state", "result", "error_type", "error_message",
            "error_category", "error_code", "error_stack", "attempt", "due_at", "scheduled_at", "updated_at"};

    private final String platform;
    private final String now;
    private final String skipLocked;

    JdbcDialect(String platform, String now, String skipLocked) {
        this.platform = platform;
        this.now = now;
        this.skipLocked = skipLocked;
    }

    /** Picks the dialect from the database's product name. */
    public static JdbcDialect of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection.getMetaData());
        } catch (SQLException ex) {
            throw new StoreException("Could not read the database product name", ex);
        }
    }

    /** Picks the dialect from the database's product name. */
    public static JdbcDialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.equals("h2")) {
            return H2;
        }
        throw new StoreException("Weft has no JDBC dialect for database '" + metaData.getDatabaseProductName()
                + "'; supported are PostgreSQL, MariaDB, MySQL and H2");
    }

    /** The platform name used in script names, {@code schema-<platform>.sql}. */
    public String platform() {
        return platform;
    }

    /** The class path location of this database's schema script. */
    public String schemaLocation() {
        return "dev/weft/store/jdbc/schema-" + platform + ".sql";
    }

    /** An SQL expression for the database's current time. */
    String now() {
        return now;
    }

    /** An SQL expression for the database's current time plus a number of microseconds from a parameter. */
    abstract String nowPlusMicros(String parameter);

    /** The locking clause that ends a claim's select. */
    String skipLocked() {
        return skipLocked;
    }

    /**
     * Inserts or replaces one journal entry, keyed by (run_id, seq), from the named parameters of
     * {@link #JOURNAL_VALUES}; {@code updated_at} takes the database clock.
     */
    abstract String journalUpsert(String table);

    /**
     * One statement that upserts one journal entry only if its run is running under {@code :epoch},
     * holding the run row's lock until it commits; {@code null} where the database has none. Its
     * update count is 0 when the fence failed, and may be 0 too for a rewrite to the same values.
     */
    @Nullable String fencedJournalUpsert(String journalTable, String runTable) {
        return null;
    }

    /**
     * One statement that writes a reconciliation record only while its run is running under
     * {@code :epoch}, locking the run's row as a checkpoint does; its update count is 0 when the
     * fence failed (and, counting changed rows, for a rewrite to the same values). {@code null}
     * where the database has none: the record is then written in a transaction that locks first.
     */
    @Nullable String fencedActivityRecordUpsert(String recordTable, String runTable) {
        return null;
    }

    /**
     * Inserts or replaces one reconciliation record, keyed by (run_id, activity, key_digest), from the
     * named parameters of {@link JdbcValues#activityRecord}, without a fence of its own: for a
     * checkpoint writer whose transaction has fenced and locked the run already.
     */
    abstract String activityRecordUpsert(String table);

    private static final List<String> ACTIVITY_RECORD_UPDATED = List.of("seq", "state", "attempt", "result", "updated_at");

    private static final String ACTIVITY_RECORD_COLUMNS = "run_id, activity, key_digest, seq, state, attempt, result, created_at, updated_at";

    /** The insert of a record from the run's row, fenced and locked: no row, no record. */
    String activityRecordInsertFromFence(String recordTable, String runTable) {
        return "insert into " + recordTable + " (" + ACTIVITY_RECORD_COLUMNS + ")"
                + " select id, :activity, :digest, :seq, :state, :attempt, :result, " + now() + ", " + now()
                + " from " + runTable + " where id = :runId and epoch = :epoch and status = 'running' for update";
    }

    String activityRecordValues() {
        return ":runId, :activity, :digest, :seq, :state, :attempt, :result, " + now() + ", " + now();
    }

    String activityRecordInsert(String table) {
        return "insert into " + table + " (" + ACTIVITY_RECORD_COLUMNS + ") values (" + activityRecordValues() + ")";
    }

    private static String activityRecordAssignments(String sourcePattern) {
        StringBuilder sql = new StringBuilder();
        for (String column : ACTIVITY_RECORD_UPDATED) {
            if (!sql.isEmpty()) {
                sql.append(", ");
            }
            sql.append(column).append(" = ").append(sourcePattern.formatted(column));
        }
        return sql.toString();
    }

    /** A value to bind for an instant, truncated to microseconds. */
    Object bind(Instant instant) {
        return OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
    }

    /** Reads an instant column. */
    @Nullable Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** How many group-commit batches a store writes at once unless told otherwise. */
    int defaultConcurrentBatches() {
        return 1;
    }

    /** Whether transactions must ask for READ COMMITTED, the level the claim queries are written for. */
    boolean needsReadCommitted() {
        return false;
    }

    static final String JOURNAL_VALUES = ":runId, :seq, :kind, :name, :state, :result, :errorType, :errorMessage,"
            + " :errorCategory, :errorCode, :errorStack, :attempt, :dueAt, :scheduledAt";

    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String assignments(String sourcePattern) {
        StringBuilder sql = new StringBuilder();
        for (String column : UPDATED_COLUMNS) {
            if (!sql.isEmpty()) {
                sql.append(", ");
            }
            sql.append(column).append(" = ").append(sourcePattern.formatted(column));
        }
        return sql.toString();
    }
}
