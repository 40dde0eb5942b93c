package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.failure.MissingTablesException;
import dev.weft.failure.NodeIdInUseException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Each of Weft's start-up failures, provoked for real, then answered by its analyzer (found as
 * Spring Boot finds it, through {@code spring.factories}) with a description and an action.
 */
public class StartupFailureAnalyzerTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0");

    @Test
    void aDatabaseWithoutWeftsTablesIsAnsweredWithThePropertyAndTheScript() {
        runner.withPropertyValues("weft.jdbc.initialize-schema=never", "weft.jdbc.table-prefix=app_").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyse(context.getStartupFailure());

            assertThat(analysis.getCause()).isInstanceOf(MissingTablesException.class);
            assertThat(analysis.getDescription()).contains("app_run, app_journal, app_signal, app_node, app_start_key, app_activity_record, app_task, app_task_queue", "h2 database",
                    "table prefix 'app_'", "weft.jdbc.initialize-schema=embedded");
            assertThat(analysis.getAction()).contains("weft.jdbc.initialize-schema=always",
                    "classpath:dev/weft/store/jdbc/schema-h2.sql", "'weft_' replaced by 'app_'");
        });
    }

    @Test
    void aSecondProcessWithALiveNodesIdIsAnsweredWithTheNodeIdAndTheHeartbeat() {
        String url = "spring.datasource.url=jdbc:h2:mem:nodes" + ThreadLocalRandom.current().nextLong(1L << 40) + ";DB_CLOSE_DELAY=-1";
        ApplicationContextRunner shared = runner.withPropertyValues(url, "weft.node-id=replica");
        shared.run(first -> {
            assertThat(first).hasNotFailed();
            shared.run(second -> {
                assertThat(second).hasFailed();
                FailureAnalysis analysis = analyse(second.getStartupFailure());

                assertThat(analysis.getCause()).isInstanceOf(NodeIdInUseException.class);
                assertThat(analysis.getDescription()).contains("Another live node uses node id 'replica'", "last heartbeat", " s ago",
                        "weft.node-id");
                assertThat(analysis.getAction()).contains("Give each replica its own weft.node-id, or leave it unset", "weft.lease");
            });
        });
        // the first closed cleanly: its id is free at once
        shared.run(third -> assertThat(third).hasNotFailed());
    }

    /** The analysis of the first of Weft's analyzers (found through {@code spring.factories}) that answers {@code failure}. */
    public static FailureAnalysis analyse(Throwable failure) {
        return SpringFactoriesLoader.forDefaultResourceLocation(StartupFailureAnalyzerTests.class.getClassLoader())
                .load(FailureAnalyzer.class, null, (type, name, ignored) -> {
                    // Boot's own analyzers that need constructor arguments; only Weft's are under test
                }).stream()
                .filter(analyzer -> analyzer.getClass().getPackageName().startsWith("dev.weft"))
                .map(analyzer -> analyzer.analyze(failure))
                .filter(analysis -> analysis != null)
                .findFirst().orElseThrow(() -> new AssertionError("no Weft analyzer answers " + failure));
    }
}
