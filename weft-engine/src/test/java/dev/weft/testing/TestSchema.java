package dev.weft.testing;

import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

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

    public void drop() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("drop table if exists " + tablePrefix + "node").update();
        jdbc.sql("drop table if exists " + tablePrefix + "signal").update();
        jdbc.sql("drop table if exists " + tablePrefix + "journal").update();
        jdbc.sql("drop table if exists " + tablePrefix + "run").update();
    }
}
