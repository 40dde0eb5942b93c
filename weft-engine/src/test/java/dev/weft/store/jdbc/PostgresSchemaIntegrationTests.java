package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL schema's indexes, and what running its script again does to an earlier schema's. */
class PostgresSchemaIntegrationTests {

    private TestSchema schema;

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    @Test
    void runIndexesHoldRunningRunsChildrenOrRunsWithAConcurrencyKeyOnlyAndTheJournalHasOnlyItsKey() {
        schema = TestSchema.create(TestDatabase.POSTGRESQL);

        assertThat(indexDefinitions("run")).containsOnlyKeys("run_pkey", "run_running_lease_idx", "run_running_owner_idx",
                "run_running_wake_at_idx", "run_child_idx", "run_concurrency_idx", "run_queued_idx");
        Map<String, String> run = indexDefinitions("run");
        assertThat(run.get("run_running_lease_idx")).endsWith("(lease_expires_at) WHERE ((status)::text = 'running'::text)");
        assertThat(run.get("run_running_owner_idx")).endsWith("(owner) WHERE ((status)::text = 'running'::text)");
        assertThat(run.get("run_running_wake_at_idx")).endsWith("(wake_at) WHERE ((status)::text = 'running'::text)");
        assertThat(run.get("run_child_idx")).endsWith("(parent_id) WHERE (parent_id IS NOT NULL)");
        assertThat(run.get("run_concurrency_idx")).contains("(type, concurrency_key) WHERE ((concurrency_key IS NOT NULL)");
        assertThat(run.get("run_queued_idx")).endsWith("(type, concurrency_key, queue_seq) WHERE ((status)::text = 'queued'::text)");
        assertThat(indexDefinitions("journal")).containsOnlyKeys("journal_pkey");
    }

    @Test
    void theUnclaimedTasksHaveAPartialIndexOfTheirOwn() {
        schema = TestSchema.create(TestDatabase.POSTGRESQL);

        assertThat(indexDefinitions("task").get("task_unclaimed_idx")).endsWith("(queue) WHERE (claim_token IS NULL)");
    }

    @Test
    void theScriptRunAgainDropsTheIndexesOfEarlierSchemas() {
        schema = TestSchema.create(TestDatabase.POSTGRESQL);
        schema.sql("create index %PREFIX%run_status_lease_expires_at_idx on %PREFIX%run (status, lease_expires_at)").update();
        schema.sql("create index %PREFIX%run_owner_idx on %PREFIX%run (owner)").update();
        schema.sql("create index %PREFIX%run_status_wake_at_idx on %PREFIX%run (status, wake_at)").update();
        schema.sql("create index %PREFIX%run_parent_id_idx on %PREFIX%run (parent_id)").update();
        schema.sql("create index %PREFIX%journal_state_due_at_idx on %PREFIX%journal (state, due_at)").update();

        schema.initializeAgain();

        assertThat(indexDefinitions("run")).containsOnlyKeys("run_pkey", "run_running_lease_idx", "run_running_owner_idx",
                "run_running_wake_at_idx", "run_child_idx", "run_concurrency_idx", "run_queued_idx");
        assertThat(indexDefinitions("journal")).containsOnlyKeys("journal_pkey");
    }

    @Test
    void theScriptRunAgainAddsTheConcurrencyColumnsToARunTableOfAnEarlierSchema() {
        schema = TestSchema.create(TestDatabase.POSTGRESQL);
        schema.sql("drop index %PREFIX%run_concurrency_idx").update();
        schema.sql("drop index %PREFIX%run_queued_idx").update();
        schema.sql("alter table %PREFIX%run drop column concurrency_key, drop column queue_seq").update();

        schema.initializeAgain();

        assertThat(schema.sql("select count(*) from information_schema.columns where table_name = :table "
                + "and column_name in ('concurrency_key', 'queue_seq')").param("table", schema.tablePrefix() + "run")
                .query(Long.class).single()).isEqualTo(2);
        assertThat(indexDefinitions("run")).containsKeys("run_concurrency_idx", "run_queued_idx");
    }

    /** The indexes of one table, by name without the prefix, with their definitions. */
    private Map<String, String> indexDefinitions(String table) {
        return schema.sql("select indexname, indexdef from pg_indexes where tablename = :table")
                .param("table", schema.tablePrefix() + table)
                .query((rs, row) -> Map.entry(rs.getString(1).substring(schema.tablePrefix().length()), rs.getString(2)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
