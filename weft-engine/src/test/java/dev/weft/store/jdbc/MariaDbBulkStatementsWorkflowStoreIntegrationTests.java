package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/**
 * The store contract on MariaDB with the driver's {@code useBulkStmts}, whose batches report no
 * row counts ({@code SUCCESS_NO_INFO}).
 */
class MariaDbBulkStatementsWorkflowStoreIntegrationTests extends WorkflowStoreContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB_BULK_STATEMENTS;
    }
}
