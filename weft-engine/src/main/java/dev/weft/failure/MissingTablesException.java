package dev.weft.failure;

import java.util.List;

/**
 * The database lacks some of Weft's tables: the schema script for its platform was not applied
 * (with the table prefix in use). Thrown when an engine is built, before it takes up any run, so
 * that the mistake is named at start-up instead of surfacing as an SQL error in the first run.
 */
public class MissingTablesException extends WeftException {

    public static final String CODE = "MISSING_TABLES";

    private final List<String> missingTables;
    private final String tablePrefix;
    private final String platform;
    private final String scriptLocation;

    /**
     * @param missingTables the full names of the tables not found
     * @param tablePrefix the table prefix in use
     * @param platform the database platform, as in the script's name ({@code postgresql}, {@code mariadb}, {@code h2})
     * @param scriptLocation the class path location of the schema script that creates the tables
     */
    public MissingTablesException(List<String> missingTables, String tablePrefix, String platform, String scriptLocation) {
        super(CODE, FailureCategory.RESOURCE, "Weft's table" + (missingTables.size() == 1 ? " " : "s ")
                + String.join(", ", missingTables) + (missingTables.size() == 1 ? " does" : " do") + " not exist in the "
                + platform + " database (table prefix '" + tablePrefix + "'); apply " + scriptLocation, null);
        this.missingTables = List.copyOf(missingTables);
        this.tablePrefix = tablePrefix;
        this.platform = platform;
        this.scriptLocation = scriptLocation;
    }

    /** The full names of the tables not found. */
    public List<String> missingTables() {
        return missingTables;
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    /** The database platform, as in the schema script's name. */
    public String platform() {
        return platform;
    }

    /** The class path location of the schema script for the platform. */
    public String scriptLocation() {
        return scriptLocation;
    }
}
