package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import dev.weft.store.JournalEntry;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring context closed in the middle of a workflow, and a new context on the same PostgreSQL
 * database finishing it, no activity run twice. Needs {@code WEFT_TEST_POSTGRES_URL} (with
 * {@code _USER} and {@code _PASSWORD}); skipped without it, except on CI, where it fails.
 */
class PostgresRestartIntegrationTests {

    static final ConcurrentHashMap<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    static volatile CountDownLatch packingStarted = new CountDownLatch(1);
    static volatile CountDownLatch packingMayFinish = new CountDownLatch(1);

    private String url;
    private String user;
    private String password;
    private String prefix;

    public static class Warehouse {
        @Activity
        public String reserve(String order) {
            CALLS.computeIfAbsent("reserve", key -> new AtomicInteger()).incrementAndGet();
            return "reserved-" + order;
        }

        @Activity
        public String pack(String order) {
            CALLS.computeIfAbsent("pack", key -> new AtomicInteger()).incrementAndGet();
            packingStarted.countDown();
            try {
                packingMayFinish.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("packing interrupted", ex);
            }
            return "packed-" + order;
        }

        @Activity
        public String dispatch(String order) {
            CALLS.computeIfAbsent("dispatch", key -> new AtomicInteger()).incrementAndGet();
            return "dispatched-" + order;
        }
    }

    public static class Fulfilment {
        private final Warehouse warehouse;

        Fulfilment(Warehouse warehouse) {
            this.warehouse = warehouse;
        }

        @Workflow
        public String fulfil(String order) {
            return warehouse.reserve(order) + "," + warehouse.pack(order) + "," + warehouse.dispatch(order);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Warehouse warehouse() {
            return new Warehouse();
        }

        @Bean
        Fulfilment fulfilment(Warehouse warehouse) {
            return new Fulfilment(warehouse);
        }
    }

    @BeforeEach
    void database() {
        url = RequiresPostgres.url("PostgreSQL restart test");
        user = envOr("WEFT_TEST_POSTGRES_USER", "postgres");
        password = envOr("WEFT_TEST_POSTGRES_PASSWORD", "");
        prefix = "weft_s" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT) + "_";
        CALLS.clear();
        packingStarted = new CountDownLatch(1);
        packingMayFinish = new CountDownLatch(1);
    }

    @AfterEach
    void dropTables() {
        if (prefix != null) {
            runner("cleanup").run(context -> {
                PrefixedTables.dropAll(context.getBean(javax.sql.DataSource.class), prefix);
            });
        }
    }

    private ApplicationContextRunner runner(String nodeId) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class,
                        WeftAutoConfiguration.class))
                .withUserConfiguration(Beans.class)
                .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=" + user,
                        "spring.datasource.password=" + password, "spring.datasource.hikari.maximum-pool-size=4",
                        "weft.jdbc.initialize-schema=always", "weft.jdbc.table-prefix=" + prefix, "weft.node-id=" + nodeId,
                        "weft.adoption-interval=0", "weft.shutdown-timeout=10s");
    }

    @Test
    void aNewContextFinishesTheWorkflowOfAClosedOneWithNoActivityRunTwice() {
        String[] runId = new String[1];
        runner("first").run(first -> {
            assertThat(first).hasNotFailed();
            WorkflowHandle<Object> handle = first.getBean(WeftClient.class).start("fulfil", "o-1");
            runId[0] = handle.id();
            assertThat(packingStarted.await(10, TimeUnit.SECONDS)).isTrue();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                // the shutdown waits for the attempt in flight, which records its outcome, then hands the run back
                Future<?> closing = executor.submit(first::close);
                // draining once paused, and it cannot finish while the packing attempt is held
                dev.weft.WeftEngine engine = first.getBean(dev.weft.WeftEngine.class);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(engine::isPaused);
                assertThat(closing).isNotDone();
                packingMayFinish.countDown();
                closing.get(20, TimeUnit.SECONDS);
            }
            assertThat(CALLS.get("dispatch")).isNull();
        });

        runner("second").run(second -> {
            assertThat(second).hasNotFailed();
            WorkflowHandle<Object> handle = second.getBean(WeftClient.class).handle(runId[0]);
            assertThat(handle.result(Duration.ofSeconds(20))).isEqualTo("reserved-o-1,packed-o-1,dispatched-o-1");
            assertThat(handle.status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(second.getBean(JdbcWorkflowStore.class).loadJournal(runId[0])).extracting(JournalEntry::name)
                    .containsExactly("reserve", "pack", "dispatch");
        });

        assertThat(CALLS).hasSize(3).allSatisfy((name, calls) -> assertThat(calls).as(name).hasValue(1));
        Awaitility.await().untilAsserted(() -> assertThat(CALLS.get("dispatch")).hasValue(1));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
