package dev.weft.spring;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for this module's tests on a shared database: they need {@code <envPrefix>_URL}. On CI
 * ({@code CI=true}) a missing variable fails them; elsewhere they are skipped with the advice.
 */
final class RequiresDatabase {

    private RequiresDatabase() {
    }

    /** The database URL, or a failed (CI) or aborted (elsewhere) test naming what to set. */
    static String url(String envPrefix, String database, String test) {
        String url = System.getenv(envPrefix + "_URL");
        if (url == null || url.isBlank()) {
            String advice = "Set " + envPrefix + "_URL (and _USER, _PASSWORD) to run the " + test;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("On CI the " + database + " tests must run, never be skipped. " + advice);
            }
            Assumptions.abort(advice);
        }
        return url;
    }
}
