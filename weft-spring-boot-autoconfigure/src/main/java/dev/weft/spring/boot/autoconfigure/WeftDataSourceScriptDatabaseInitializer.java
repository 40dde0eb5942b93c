package dev.weft.spring.boot.autoconfigure;

import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

/**
 * Applies Weft's schema script for the database, as {@code weft.jdbc.initialize-schema} says.
 * Being a {@link DataSourceScriptDatabaseInitializer}, Spring Boot runs it after Flyway and
 * Liquibase and before the beans that depend on database initialization, the engine among them.
 * The literal {@value JdbcSchemaInitializer#SCRIPT_PREFIX} of the scripts is replaced by the
 * configured table prefix.
 */
public class WeftDataSourceScriptDatabaseInitializer extends DataSourceScriptDatabaseInitializer {

    private static final String PLATFORM_PLACEHOLDER = "@@platform@@";

    /** What the initializer did with Weft's schema, for the start-up line of the node. */
    public enum SchemaOutcome {

        /** The script ran and created the tables, which were absent. */
        CREATED,

        /** The script ran and found the tables present (the scripts are safe to run again). */
        FOUND,

        /** No script ran: {@code initialize-schema} left the schema to the application (Flyway, Liquibase, a DBA). */
        NOT_APPLIED
    }

    private final DataSource dataSource;
    private final String tablePrefix;
    private volatile SchemaOutcome outcome = SchemaOutcome.NOT_APPLIED;

    public WeftDataSourceScriptDatabaseInitializer(DataSource dataSource, WeftJdbcProperties properties) {
        super(dataSource, settings(dataSource, properties));
        this.dataSource = dataSource;
        this.tablePrefix = properties.getTablePrefix();
    }

    /** What the initializer did with the schema; {@link SchemaOutcome#NOT_APPLIED} until it has run its scripts. */
    public SchemaOutcome outcome() {
        return outcome;
    }

    /** The settings {@code properties} ask for, with the platform of the schema location resolved. */
    public static DatabaseInitializationSettings settings(DataSource dataSource, WeftJdbcProperties properties) {
        String location = StringUtils.hasText(properties.getSchema()) ? properties.getSchema() : properties.getDefaultSchemaLocation();
        // The first use of the database at start-up (before the store's): wait here for one started late.
        properties.startupWaitForDatabase().await(dataSource);
        if (location.contains(PLATFORM_PLACEHOLDER)) {
            String platform = StringUtils.hasText(properties.getPlatform()) ? properties.getPlatform()
                    : JdbcDialect.of(dataSource).platform();
            location = location.replace(PLATFORM_PLACEHOLDER, platform);
        }
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(List.of(location));
        settings.setMode(properties.getInitializeSchema());
        settings.setContinueOnError(properties.isContinueOnError());
        return settings;
    }

    @Override
    protected void runScripts(Scripts scripts) {
        boolean present = runTableExists();
        runPrefixed(scripts);
        outcome = present ? SchemaOutcome.FOUND : SchemaOutcome.CREATED;
    }

    /** Whether the run table answers a query: the schema was there before the script ran. */
    private boolean runTableExists() {
        try {
            new JdbcTemplate(dataSource).queryForObject("select count(*) from " + tablePrefix + "run where 1 = 0", Long.class);
            return true;
        } catch (DataAccessException absent) {
            return false;
        }
    }

    private void runPrefixed(Scripts scripts) {
        if (JdbcSchemaInitializer.SCRIPT_PREFIX.equals(tablePrefix)) {
            super.runScripts(scripts);
            return;
        }
        Charset encoding = scripts.getEncoding() != null ? scripts.getEncoding() : StandardCharsets.UTF_8;
        List<Resource> prefixed = new ArrayList<>();
        for (Resource script : scripts) {
            String sql = read(script, encoding).replace(JdbcSchemaInitializer.SCRIPT_PREFIX, tablePrefix);
            prefixed.add(new ByteArrayResource(sql.getBytes(encoding), script.getDescription() + " with table prefix " + tablePrefix));
        }
        super.runScripts(new Scripts(prefixed).continueOnError(scripts.isContinueOnError()).separator(scripts.getSeparator())
                .encoding(encoding));
    }

    private static String read(Resource script, Charset encoding) {
        try (InputStream in = script.getInputStream()) {
            return new String(in.readAllBytes(), encoding);
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not read " + script.getDescription(), ex);
        }
    }
}
