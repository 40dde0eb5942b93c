package dev.weft.fault;

import dev.weft.testing.TestDatabase;

class MariaDbNetworkPartitionIntegrationTests extends NetworkPartitionTests {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
