package dev.weft.store.jdbc;

import dev.weft.failure.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the store's table classes share: the statements' template, value conversions, the JDBC
 * access and transactions, and the rules every call follows (Spring's exceptions become
 * {@link StoreException}; writes run in a transaction, retried when picked as a deadlock victim).
 */
final class StoreTemplate {

    private static final int ATTEMPTS_ON_LOCK_FAILURE = 3;

    // The most ids one "in (...)" list carries: every supported database takes this many.
    private static final int MAX_IDS_PER_STATEMENT = 500;

    private final SqlTemplate sql;
    private final JdbcValues values;
    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;

    // Each statement is resolved once per store, not at every call: the constants are few, and
    // resolving one allocates a string per placeholder.
    private final ConcurrentHashMap<String, String> resolved = new ConcurrentHashMap<>();

    StoreTemplate(SqlTemplate sql, NamedParameterJdbcTemplate named, TransactionTemplate transactions) {
        this.sql = sql;
        this.values = new JdbcValues(sql.dialect());
        this.jdbc = JdbcClient.create(named);
        this.batch = named;
        this.transactions = transactions;
    }

    /** A statement constant resolved for this database and table prefix. */
    String resolve(String template) {
        return resolved.computeIfAbsent(template, sql::resolve);
    }

    SqlTemplate sql() {
        return sql;
    }

    JdbcValues values() {
        return values;
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    /** For JDBC batches of one statement. */
    NamedParameterJdbcTemplate batch() {
        return batch;
    }

    TransactionTemplate transactions() {
        return transactions;
    }

    /** The database's clock, which leases are measured by. */
    Instant databaseTime() {
        return translated("read the database clock", () -> jdbc.sql("select " + sql.dialect().now() + " as now")
                .query((rs, row) -> values.requiredInstant(rs, "now"))
                .single());
    }

    <T> T translated(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (DataAccessException | TransactionException ex) {
            throw new StoreException("Could not " + what, ex);
        }
    }

    /**
     * Runs {@code call} in a transaction, again when the database picked it as a deadlock victim:
     * claims skip locked rows, so a second attempt is as correct as the first. Every write outside
     * the group commit comes through here: on a pool configured without auto-commit, a write
     * outside a transaction would be rolled back when its connection goes back to the pool.
     */
    <T> T inTransaction(String what, Supplier<T> call) {
        return retriedOnLockFailure(what, () -> Objects.requireNonNull(transactions.execute(status -> call.get())));
    }

    /**
     * Runs {@code call}, a write that makes its own transaction, again when the database picked it
     * as a deadlock victim (rolled back whole, so repeating it is as correct as the first try).
     */
    <T> T retriedOnLockFailure(String what, Supplier<T> call) {
        return translated(what, () -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return call.get();
                } catch (PessimisticLockingFailureException ex) {
                    if (attempt == ATTEMPTS_ON_LOCK_FAILURE) {
                        throw ex;
                    }
                }
            }
        });
    }

    /** Id lists cut to a size every database takes in an {@code in (...)} list. */
    static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_IDS_PER_STATEMENT) {
            chunks.add(all.subList(from, Math.min(all.size(), from + MAX_IDS_PER_STATEMENT)));
        }
        return chunks;
    }
}
