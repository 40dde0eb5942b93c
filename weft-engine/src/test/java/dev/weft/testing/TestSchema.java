package dev.weft.testing;

import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Weft's tables under a random prefix ({@code weft_t<random>_}), so test classes sharing one
 * database never see each other's rows. Created through the schema initializer, dropped by
 * {@link #drop()}.
 */
public record TestSchema(DataSource dataSource, JdbcDialect dialect, String tablePrefix) {

    public static TestSchema create(TestDatabase database) {
        DataSource dataSource = database.dataSource();
        JdbcDialect dialect = JdbcDialect.of(dataSource);
        String prefix = "weft_t" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT) + "_";
        JdbcSchemaInitializer.initialize(dataSource, dialect, prefix);
        return new TestSchema(dataSource, dialect, prefix);
    }

    /** Runs the schema script again, as a second application start would. */
    public void initializeAgain() {
        JdbcSchemaInitializer.initialize(dataSource, dialect, tablePrefix);
    }

    /** A SQL statement on this schema, with {@code %PREFIX%} standing for the table prefix. */
    public JdbcClient.StatementSpec sql(String statement) {
        return JdbcClient.create(dataSource).sql(statement.replace("%PREFIX%", tablePrefix));
    }

    /**
     * Drops every table under this prefix, whatever tables the schema holds today. In a transaction,
     * as the initializer creates them: through a pool without auto-commit (PostgreSQL's DDL is
     * transactional) plain statements would be rolled back and leave the tables behind.
     */
    public void drop() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        new TransactionTemplate(new JdbcTransactionManager(dataSource)).executeWithoutResult(status -> {
            List<String> tables = prefixedTables();
            // the run table last: the others refer to it on some databases
            tables.stream().filter(table -> !table.endsWith("run")).forEach(table -> jdbc.sql("drop table if exists " + table).update());
            tables.stream().filter(table -> table.endsWith("run")).forEach(table -> jdbc.sql("drop table if exists " + table).update());
        });
    }

    private List<String> prefixedTables() {
        try (Connection connection = dataSource.getConnection();
                ResultSet found = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%",
                        new String[] {"TABLE"})) {
            List<String> tables = new ArrayList<>();
            while (found.next()) {
                String table = found.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (table.startsWith(tablePrefix)) {
                    tables.add(table);
                }
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list the tables under " + tablePrefix, e);
        }
    }
}
