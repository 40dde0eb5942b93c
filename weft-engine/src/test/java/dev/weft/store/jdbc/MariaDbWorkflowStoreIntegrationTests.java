package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/** The store contract on MariaDB, from WEFT_TEST_MARIADB_URL or Testcontainers. */
class MariaDbWorkflowStoreIntegrationTests extends WorkflowStoreContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
