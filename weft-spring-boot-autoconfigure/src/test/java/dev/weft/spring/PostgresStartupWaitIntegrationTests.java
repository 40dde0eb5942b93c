package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.WeftEngine;
import dev.weft.failure.DatabaseUnavailableException;
import dev.weft.spring.boot.autoconfigure.StartupFailureAnalyzerTests;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import dev.weft.testsupport.TcpProxy;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application started while its PostgreSQL database cannot be reached (a TCP proxy in front of
 * it resets every connection): it waits and starts once the database answers, or stops with an
 * analysed failure once {@code weft.jdbc.startup-wait} is spent. Needs {@code WEFT_TEST_POSTGRES_URL}.
 */
class PostgresStartupWaitIntegrationTests {

    private String url;
    private String prefix;
    private TcpProxy proxy;

    @BeforeEach
    void database() {
        url = RequiresPostgres.url("PostgreSQL start-up wait test");
        prefix = "weft_w" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT) + "_";
        proxy = TcpProxy.forJdbcUrl(url, 5432);
    }

    @AfterEach
    void dropTables() {
        proxy.close();
        runner(url).run(context -> PrefixedTables.dropAll(context.getBean(javax.sql.DataSource.class), prefix));
    }

    private ApplicationContextRunner runner(String jdbcUrl) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + jdbcUrl,
                        "spring.datasource.username=" + envOr("WEFT_TEST_POSTGRES_USER", "postgres"),
                        "spring.datasource.password=" + envOr("WEFT_TEST_POSTGRES_PASSWORD", ""),
                        "spring.datasource.hikari.connection-timeout=2000",
                        "weft.jdbc.initialize-schema=always", "weft.jdbc.table-prefix=" + prefix, "weft.adoption-interval=0");
    }

    @Test
    void anApplicationStartedBeforeItsDatabaseStartsWhenTheDatabaseDoes() throws Exception {
        proxy.cut();
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> {
            boolean[] engineRunning = new boolean[1];
            runner(proxy.rewrite(url)).withPropertyValues("weft.jdbc.startup-wait=60s").run(context -> {
                assertThat(context).hasNotFailed();
                engineRunning[0] = context.getBean(WeftEngine.class) != null;
            });
            return engineRunning[0];
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.acceptedConnections() >= 2);
        assertThat(started).isNotDone();
        proxy.pass();

        assertThat(started.get(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDatabaseThatStaysAwayStopsTheStartWithAnAnalysis() {
        proxy.cut();
        runner(proxy.rewrite(url)).withPropertyValues("weft.jdbc.startup-wait=3s").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = StartupFailureAnalyzerTests.analyse(context.getStartupFailure());

            assertThat(analysis.getCause()).isInstanceOfSatisfying(DatabaseUnavailableException.class,
                    unavailable -> assertThat(unavailable.attempts()).isGreaterThan(1));
            assertThat(analysis.getDescription()).contains("did not accept a connection while the application started", "attempts in");
            assertThat(analysis.getAction()).contains("spring.datasource.url", "weft.jdbc.startup-wait");
        });
    }

    @Test
    void anUnknownUserIsNotWaitedFor() {
        runner(url).withPropertyValues("spring.datasource.username=weft_no_such_role", "weft.jdbc.startup-wait=60s").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = StartupFailureAnalyzerTests.analyse(context.getStartupFailure());

            assertThat(analysis.getCause()).isInstanceOfSatisfying(DatabaseUnavailableException.class, unavailable -> {
                assertThat(unavailable.permanent()).isTrue();
                assertThat(unavailable.attempts()).isEqualTo(1);
            });
            assertThat(analysis.getDescription()).contains("refused the connection", "weft_no_such_role");
            assertThat(analysis.getAction()).contains("spring.datasource.username");
        });
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
