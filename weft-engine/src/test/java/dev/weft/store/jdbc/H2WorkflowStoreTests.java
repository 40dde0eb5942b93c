package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/** The store contract on in-memory H2, always available. */
class H2WorkflowStoreTests extends WorkflowStoreContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
