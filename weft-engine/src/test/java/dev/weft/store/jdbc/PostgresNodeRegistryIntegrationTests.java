package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/** The node registry contract on Postgres. */
class PostgresNodeRegistryIntegrationTests extends NodeRegistryContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
