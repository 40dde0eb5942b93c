package dev.weft.spring.boot.autoconfigure;

import dev.weft.spring.boot.autoconfigure.WeftDataSourceScriptDatabaseInitializer.SchemaOutcome;
import dev.weft.store.WorkflowStore;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import org.jspecify.annotations.Nullable;

/** The store and schema part of a node's start-up line: the database platform, and whether Weft created the schema or found it. */
final class WeftStoreDescription {

    private WeftStoreDescription() {
    }

    static String of(@Nullable WorkflowStore store, @Nullable WeftDataSourceScriptDatabaseInitializer initializer) {
        String database = store instanceof JdbcWorkflowStore jdbc ? jdbc.dialect().platform() + " (table prefix " + jdbc.tablePrefix() + ")"
                : store != null ? store.getClass().getSimpleName() : "an application-built engine";
        SchemaOutcome outcome = initializer != null ? initializer.outcome() : SchemaOutcome.NOT_APPLIED;
        String schema = switch (outcome) {
            case CREATED -> "schema created";
            case FOUND -> "schema found";
            case NOT_APPLIED -> "schema left to the application (weft.jdbc.initialize-schema)";
        };
        return database + ", " + schema;
    }
}
