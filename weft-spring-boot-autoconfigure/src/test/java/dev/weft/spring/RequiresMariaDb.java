package dev.weft.spring;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for this module's MariaDB tests: they need {@code WEFT_TEST_MARIADB_URL}. On CI
 * ({@code CI=true}) a missing variable fails them; elsewhere they are skipped with the advice.
 */
public final class RequiresMariaDb {

    private RequiresMariaDb() {
    }

    /** The database URL, or a failed (CI) or aborted (elsewhere) test naming what to set. */
    public static String url(String test) {
        String url = System.getenv("WEFT_TEST_MARIADB_URL");
        if (url == null || url.isBlank()) {
            String advice = "Set WEFT_TEST_MARIADB_URL (and _USER, _PASSWORD) to run the " + test;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("On CI the MariaDB tests must run, never be skipped. " + advice);
            }
            Assumptions.abort(advice);
        }
        return url;
    }
}
