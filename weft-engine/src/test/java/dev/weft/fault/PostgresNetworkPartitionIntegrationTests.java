package dev.weft.fault;

import dev.weft.testing.TestDatabase;

class PostgresNetworkPartitionIntegrationTests extends NetworkPartitionTests {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
