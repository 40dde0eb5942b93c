package dev.weft.spring;

import dev.weft.store.jdbc.JdbcDialect;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Drops every table a test created under its own prefix, whatever tables the schema holds today, so
 * that a green run leaves nothing behind in the shared databases.
 */
public final class PrefixedTables {

    private PrefixedTables() {
    }

    public static void dropAll(DataSource dataSource, String prefix) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // MariaDB names the schema of the connection database(); PostgreSQL and H2 current_schema()
        String schema = JdbcDialect.of(dataSource).platform().equals("mariadb") ? "database()" : "current_schema()";
        List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = " + schema)
                .query(String.class).list().stream()
                .filter(table -> table.toLowerCase(Locale.ROOT).startsWith(prefix))
                .toList();
        // children first: the journal and signals refer to the run table on some databases
        tables.stream().filter(table -> !table.toLowerCase(Locale.ROOT).endsWith("run"))
                .forEach(table -> jdbc.sql("drop table if exists " + table).update());
        tables.stream().filter(table -> table.toLowerCase(Locale.ROOT).endsWith("run"))
                .forEach(table -> jdbc.sql("drop table if exists " + table).update());
    }
}
