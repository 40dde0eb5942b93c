package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/** The node registry contract on H2. */
class H2NodeRegistryTests extends NodeRegistryContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
