package dev.weft.spring;

/**
 * The one rule for this module's PostgreSQL tests: they need {@code WEFT_TEST_POSTGRES_URL}. On CI
 * ({@code CI=true}) a missing variable fails them; elsewhere they are skipped with the advice.
 */
public final class RequiresPostgres {

    private RequiresPostgres() {
    }

    /** The database URL, or a failed (CI) or aborted (elsewhere) test naming what to set. */
    public static String url(String test) {
        return RequiresDatabase.url("WEFT_TEST_POSTGRES", "PostgreSQL", test);
    }
}
