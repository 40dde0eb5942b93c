package dev.weft.store.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * Turns the store's SQL constants into the statements of one database and table prefix. The
 * constants carry placeholders: {@code %PREFIX%} for the table prefix, {@code %NOW%} for the
 * database clock, {@code %LEASE_UNTIL%} for that clock plus the {@code :leaseMicros} parameter,
 * and {@code %SKIP_LOCKED%} for the locking clause of a claim.
 */
record SqlTemplate(JdbcDialect dialect, String tablePrefix) {

    SqlTemplate {
        JdbcSchemaInitializer.checkPrefix(tablePrefix);
    }

    String resolve(String template) {
        return template.replace("%PREFIX%", tablePrefix)
                .replace("%LEASE_UNTIL%", dialect.nowPlusMicros(":leaseMicros"))
                .replace("%NOW%", dialect.now())
                .replace("%SKIP_LOCKED%", dialect.skipLocked());
    }

    String journalUpsert() {
        return dialect.journalUpsert(tablePrefix + "journal");
    }

    String activityRecordUpsert() {
        return dialect.activityRecordUpsert(tablePrefix + "activity_record");
    }

    @Nullable String fencedActivityRecordUpsert() {
        return dialect.fencedActivityRecordUpsert(tablePrefix + "activity_record", tablePrefix + "run");
    }

    @Nullable String fencedJournalUpsert() {
        return dialect.fencedJournalUpsert(tablePrefix + "journal", tablePrefix + "run");
    }
}
