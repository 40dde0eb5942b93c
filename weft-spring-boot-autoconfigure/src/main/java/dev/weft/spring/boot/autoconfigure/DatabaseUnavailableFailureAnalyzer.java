package dev.weft.spring.boot.autoconfigure;

import dev.weft.failure.DatabaseUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Answers a start-up that found no database: either it refused for a reason in the configuration
 * (credentials, database name), or it did not answer within {@code weft.jdbc.startup-wait}.
 */
class DatabaseUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnavailableException cause) {
        String reason = cause.getCause() == null ? "no reason given" : cause.getCause().getMessage();
        if (cause.permanent()) {
            return new FailureAnalysis("Weft's database refused the connection: " + reason + ".",
                    "Check spring.datasource.username, spring.datasource.password and the database name in "
                            + "spring.datasource.url (or those of the data source marked @WeftDataSource).", cause);
        }
        String description = "Weft's database did not accept a connection while the application started: " + cause.attempts()
                + (cause.attempts() == 1 ? " attempt" : " attempts") + " in " + cause.waited().toMillis() + " ms. The last error: "
                + reason + ".";
        String action = "Check that the database is running and that spring.datasource.url (or the data source marked "
                + "@WeftDataSource) points at it. If it is only slow to start, let Weft wait longer with weft.jdbc.startup-wait "
                + "(60s by default).";
        return new FailureAnalysis(description, action, cause);
    }
}
