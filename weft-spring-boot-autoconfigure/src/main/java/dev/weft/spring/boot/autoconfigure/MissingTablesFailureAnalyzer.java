package dev.weft.spring.boot.autoconfigure;

import dev.weft.failure.MissingTablesException;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Answers a database without Weft's tables, most often a PostgreSQL or MariaDB database with the
 * default {@code weft.jdbc.initialize-schema=embedded}, which creates them only on in-memory
 * databases: the property to set, or the script to apply and the prefix to apply it with.
 */
class MissingTablesFailureAnalyzer extends AbstractFailureAnalyzer<MissingTablesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingTablesException cause) {
        String description = "Weft's table" + (cause.missingTables().size() == 1 ? " " : "s ") + String.join(", ", cause.missingTables())
                + (cause.missingTables().size() == 1 ? " does" : " do") + " not exist in the " + cause.platform()
                + " database (table prefix '" + cause.tablePrefix() + "', weft.jdbc.table-prefix). "
                + "With the default weft.jdbc.initialize-schema=embedded, Weft creates its tables only in in-memory databases.";
        String prefixNote = JdbcSchemaInitializer.SCRIPT_PREFIX.equals(cause.tablePrefix()) ? ""
                : ", with its table prefix '" + JdbcSchemaInitializer.SCRIPT_PREFIX + "' replaced by '" + cause.tablePrefix() + "'";
        String action = "Either let Weft create its tables at start-up: set weft.jdbc.initialize-schema=always (the script is safe "
                + "to run again). Or apply the script classpath:" + cause.scriptLocation() + " from the weft-engine jar" + prefixNote
                + ", through Flyway, Liquibase or your DBA, and set weft.jdbc.initialize-schema=never.";
        return new FailureAnalysis(description, action, cause);
    }
}
