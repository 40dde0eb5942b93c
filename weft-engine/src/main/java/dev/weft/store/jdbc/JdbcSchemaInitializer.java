package dev.weft.store.jdbc;

import dev.weft.failure.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates Weft's tables from the schema script shipped for the database, with the literal prefix
 * {@code weft_} of the script replaced by the configured one. Every statement of the scripts is
 * conditional ({@code if not exists}), so applying a script again changes nothing.
 */
public final class JdbcSchemaInitializer {

    /** The prefix written in the scripts. */
    public static final String SCRIPT_PREFIX = "weft_";

    /** The rule a table prefix follows, as a regular expression: a lower-case letter, then up to 29 of [a-z0-9_]. */
    public static final String TABLE_PREFIX_RULE = "[a-z][a-z0-9_]{0,29}";

    private static final Pattern VALID_PREFIX = Pattern.compile(TABLE_PREFIX_RULE);

    private JdbcSchemaInitializer() {
    }

    /** Applies the schema script of {@code dialect} to {@code dataSource} with tables named {@code tablePrefix + name}. */
    public static void initialize(DataSource dataSource, JdbcDialect dialect, String tablePrefix) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // in a transaction, so that a pool without auto-commit keeps the tables (PostgreSQL's DDL is transactional)
        new TransactionTemplate(new JdbcTransactionManager(dataSource)).executeWithoutResult(status -> {
            for (String statement : statements(dialect, tablePrefix)) {
                try {
                    jdbc.sql(statement).update();
                } catch (DataAccessException ex) {
                    throw new StoreException("Could not apply " + dialect.schemaLocation() + ": " + statement, ex);
                }
            }
        });
    }

    /** The statements of the schema script of {@code dialect}, with the prefix applied. */
    public static List<String> statements(JdbcDialect dialect, String tablePrefix) {
        String script = read(dialect.schemaLocation());
        List<String> statements = new ArrayList<>();
        for (String chunk : withoutComments(script).split(";")) {
            String statement = chunk.strip();
            if (!statement.isEmpty()) {
                statements.add(statement.replace(SCRIPT_PREFIX, checkPrefix(tablePrefix)));
            }
        }
        return statements;
    }

    /** Whether a prefix is a safe lower-case SQL identifier start, since it is written into SQL as is. */
    public static boolean isValidTablePrefix(String tablePrefix) {
        return VALID_PREFIX.matcher(tablePrefix).matches();
    }

    static String checkPrefix(String tablePrefix) {
        if (!isValidTablePrefix(tablePrefix)) {
            throw new IllegalArgumentException("The table prefix must match " + TABLE_PREFIX_RULE + ", was '" + tablePrefix + "'");
        }
        return tablePrefix;
    }

    private static String withoutComments(String script) {
        StringBuilder out = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String read(String location) {
        try (InputStream in = JdbcSchemaInitializer.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new StoreException("Schema script " + location + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new StoreException("Could not read schema script " + location, ex);
        }
    }
}
