package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/**
 * The store contract on PostgreSQL through a pool without auto-commit: a write that relied on
 * auto-commit would be rolled back when its connection goes back to the pool, and the contract's
 * reads would not find it.
 */
class PostgresManualCommitWorkflowStoreIntegrationTests extends WorkflowStoreContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL_MANUAL_COMMIT;
    }
}
