package dev.weft.spring;

/**
 * The one rule for this module's MariaDB tests: they need {@code WEFT_TEST_MARIADB_URL}. On CI
 * ({@code CI=true}) a missing variable fails them; elsewhere they are skipped with the advice.
 */
public final class RequiresMariaDb {

    private RequiresMariaDb() {
    }

    /** The database URL, or a failed (CI) or aborted (elsewhere) test naming what to set. */
    public static String url(String test) {
        return RequiresDatabase.url("WEFT_TEST_MARIADB", "MariaDB", test);
    }
}
