package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.MissingTablesException;
import dev.weft.failure.NodeIdInUseException;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.workflow.WorkflowDefinition;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two live engines never share a node id: the second is refused before it takes up any of the
 * first one's runs, and the id is free again once the first closes or its process is gone from
 * this host. An engine on a database
 * without Weft's tables is refused at build, naming them.
 */
class NodeIdTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        fixture.close();
    }

    private final WorkflowDefinition<String, String> waiting = WorkflowDefinition.of("waiting", String.class, String.class,
            (context, input) -> {
                release.await();
                return input;
            });

    @Test
    void aSecondEngineWithALiveEnginesNodeIdIsRefusedAndTakesNoRun() {
        WeftEngine first = fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting));
        first.start(waiting, "x", StartOptions.withId("run-1"));

        assertThatThrownBy(() -> fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting)))
                .isInstanceOfSatisfying(NodeIdInUseException.class, e -> assertThat(e.nodeId()).isEqualTo("same"))
                .hasMessageContaining("Another live node uses node id 'same'");
        assertThat(first.activeRunCount()).isEqualTo(1);
    }

    @Test
    void theNodeIdIsFreeOnceItsEngineClosed() {
        WeftEngine first = fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting));
        first.close();

        WeftEngine second = fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting));

        assertThat(second.nodeId()).isEqualTo("same");
    }

    @Test
    void aClientOnlyEngineTakesNoNodeId() {
        fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting));

        WeftEngine client = fixture.engine("same", builder -> builder.registerNode(true).worker(false));

        assertThat(client.isWorker()).isFalse();
    }

    @Test
    void theIdOfAKilledProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        gone.waitFor();
        // the row a killed process left, its heartbeat fresh
        fixture.newStore().registerNode("same", InetAddress.getLocalHost().getHostName(), gone.pid(), Duration.ofHours(1));

        WeftEngine restarted = fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting));

        assertThat(restarted.nodeId()).isEqualTo("same");
    }

    @Test
    void theIdOfALiveProcessOnThisHostIsNotTakenOver() throws Exception {
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        fixture.newStore().registerNode("same", InetAddress.getLocalHost().getHostName(), alive, Duration.ofHours(1));

        assertThatThrownBy(() -> fixture.engine("same", builder -> builder.registerNode(true).workflow(waiting)))
                .isInstanceOfSatisfying(NodeIdInUseException.class, e -> assertThat(e.pid()).isEqualTo(alive));
    }

    @Test
    void anEngineOnADatabaseWithoutTheTablesIsRefusedNamingThem() {
        JdbcWorkflowStore store = JdbcWorkflowStore.builder(fixture.schema().dataSource()).tablePrefix("nothing_here_").build();
        try {
            assertThatThrownBy(() -> WeftEngine.builder().store(store).build())
                    .isInstanceOf(MissingTablesException.class)
                    .hasMessageContaining("nothing_here_run, nothing_here_journal, nothing_here_signal, nothing_here_node")
                    .hasMessageContaining("dev/weft/store/jdbc/schema-h2.sql");
        } finally {
            store.close();
        }
    }
}
