package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.MissingTablesException;
import dev.weft.failure.NodeIdInUseException;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node table and the schema check, on every database: a node id is refused while its holder's
 * heartbeat (database clock) is younger than the staleness bound, taken over once it is older,
 * and free again once removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NodeRegistryContractTests {

    private static final Duration LEASE = Duration.ofHours(1);
    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    private TestSchema schema;
    private JdbcWorkflowStore store;

    abstract TestDatabase database();

    @BeforeEach
    void openStore() {
        if (schema == null) {
            schema = TestSchema.create(database());
        }
        store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix()).build();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @AfterAll
    void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    @Test
    void aNodeIdIsRegisteredWithItsHostAndProcess() {
        String node = node();
        store.registerNode(node, "host-1", 42L, LEASE);

        assertThat(schema.sql("select host, pid from %PREFIX%node where node_id = :id").param("id", node)
                .query((rs, row) -> rs.getString("host") + "/" + rs.getLong("pid")).single()).isEqualTo("host-1/42");
    }

    @Test
    void aLiveNodesIdIsRefusedNamingTheHolderAndItsHeartbeatAge() {
        String node = node();
        store.registerNode(node, "host-1", 42L, LEASE);

        assertThatThrownBy(() -> store.registerNode(node, "host-2", 7L, LEASE))
                .isInstanceOfSatisfying(NodeIdInUseException.class, e -> {
                    assertThat(e.nodeId()).isEqualTo(node);
                    assertThat(e.host()).isEqualTo("host-1");
                    assertThat(e.pid()).isEqualTo(42L);
                    assertThat(e.sinceHeartbeat()).isBetween(Duration.ZERO, Duration.ofMinutes(1));
                });
        assertThat(holder(node)).isEqualTo("host-1");
    }

    @Test
    void aStaleNodesIdIsTakenOver() {
        String node = node();
        store.registerNode(node, "host-1", 42L, LEASE);
        beatAt(node, LONG_AGO);

        store.registerNode(node, "host-2", 7L, LEASE);

        assertThat(holder(node)).isEqualTo("host-2");
        assertThat(heartbeatAt(node)).isAfter(LONG_AGO.plus(Duration.ofDays(365)));
    }

    @Test
    void aHeartbeatKeepsTheIdTaken() {
        String node = node();
        store.registerNode(node, "host-1", 42L, LEASE);
        beatAt(node, LONG_AGO);

        assertThat(store.heartbeatNode(node)).isTrue();

        assertThat(heartbeatAt(node)).isAfter(LONG_AGO.plus(Duration.ofDays(365)));
        assertThatThrownBy(() -> store.registerNode(node, "host-2", 7L, LEASE)).isInstanceOf(NodeIdInUseException.class);
    }

    @Test
    void theHeartbeatOfANodeWithoutARowSaysSo() {
        assertThat(store.heartbeatNode(node())).isFalse();
    }

    @Test
    void aRemovedNodesIdIsFreeAtOnce() {
        String node = node();
        store.registerNode(node, "host-1", 42L, LEASE);

        store.removeNode(node);

        store.registerNode(node, "host-2", 7L, LEASE);
        assertThat(holder(node)).isEqualTo("host-2");
    }

    @Test
    void theSchemaCheckPassesOnACompleteSchema() {
        store.checkSchema();
    }

    @Test
    void theSchemaCheckNamesTheMissingTablesAndTheScript() {
        String prefix = "weft_none" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "_";
        try (JdbcWorkflowStore empty = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(prefix).build()) {
            assertThatThrownBy(empty::checkSchema).isInstanceOfSatisfying(MissingTablesException.class, e -> {
                assertThat(e.missingTables()).containsExactly(prefix + "run", prefix + "journal", prefix + "signal", prefix + "node",
                        prefix + "start_key", prefix + "activity_record", prefix + "task", prefix + "task_queue");
                assertThat(e.tablePrefix()).isEqualTo(prefix);
                assertThat(e.platform()).isEqualTo(schema.dialect().platform());
                assertThat(e.scriptLocation()).isEqualTo("dev/weft/store/jdbc/schema-" + schema.dialect().platform() + ".sql");
            });
        }
    }

    @Test
    void theSchemaCheckNamesOnlyTheTableThatIsMissing() {
        schema.sql("drop table %PREFIX%node").update();
        try {
            assertThatThrownBy(store::checkSchema).isInstanceOfSatisfying(MissingTablesException.class,
                    e -> assertThat(e.missingTables()).containsExactly(schema.tablePrefix() + "node"));
        } finally {
            schema.initializeAgain();
        }
    }

    private void beatAt(String node, Instant at) {
        schema.sql("update %PREFIX%node set heartbeat_at = :at where node_id = :id").param("at", schema.dialect().bind(at))
                .param("id", node).update();
    }

    private Instant heartbeatAt(String node) {
        return schema.sql("select heartbeat_at from %PREFIX%node where node_id = :id").param("id", node)
                .query((rs, row) -> schema.dialect().read(rs, "heartbeat_at")).single();
    }

    private String holder(String node) {
        return schema.sql("select host from %PREFIX%node where node_id = :id").param("id", node).query(String.class).single();
    }

    private static String node() {
        return "node-" + UUID.randomUUID();
    }
}
