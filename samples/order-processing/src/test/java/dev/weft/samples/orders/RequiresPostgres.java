package dev.weft.samples.orders;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when {@code WEFT_TEST_POSTGRES_URL} names a PostgreSQL database (with
 * optional {@code _USER}, default {@code postgres}, and {@code _PASSWORD}, default empty). Without
 * it the class is skipped, except on CI ({@code CI=true}), where it fails.
 */
final class RequiresPostgres implements ExecutionCondition {

    static final String URL = "WEFT_TEST_POSTGRES_URL";

    static String url() {
        return System.getenv(URL);
    }

    static String user() {
        return envOr("WEFT_TEST_POSTGRES_USER", "postgres");
    }

    static String password() {
        return envOr("WEFT_TEST_POSTGRES_PASSWORD", "");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String url = url();
        if (url != null && !url.isBlank()) {
            return ConditionEvaluationResult.enabled("PostgreSQL at " + url);
        }
        String advice = "Set " + URL + " (and _USER, _PASSWORD) to run the sample's PostgreSQL tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("On CI the PostgreSQL tests must run, never be skipped. " + advice);
        }
        return ConditionEvaluationResult.disabled(advice);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
