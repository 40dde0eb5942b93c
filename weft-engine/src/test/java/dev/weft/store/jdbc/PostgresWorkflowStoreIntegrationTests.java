package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/** The store contract on PostgreSQL, from WEFT_TEST_POSTGRES_URL or Testcontainers. */
class PostgresWorkflowStoreIntegrationTests extends WorkflowStoreContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
