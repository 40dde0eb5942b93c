package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.spring.PrefixedTables;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * One completion token sent by many HTTP callers at once, on PostgreSQL: exactly one gets 2xx,
 * every other one 404. Needs {@code WEFT_TEST_POSTGRES_URL} (with {@code _USER}, {@code _PASSWORD});
 * skipped without it, except on CI, where it fails.
 */
@SpringBootTest(classes = { ApiTestApplication.class, PostgresConcurrentCompletionIntegrationTests.Postgres.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
                "spring.main.allow-bean-definition-overriding=true",
                "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "weft.jdbc.initialize-schema=always", "weft.adoption-interval=0",
                "weft.api.keys[0].key=" + ApiKeyModeTest.ALL_KEY, "weft.api.keys[0].scopes=workflows:read,workflows:write" })
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
class PostgresConcurrentCompletionIntegrationTests {

    private static final int CALLERS = 24;
    private static final String TABLE_PREFIX =
            "weft_r" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT) + "_";

    @TestConfiguration(proxyBeanMethods = false)
    static class Postgres {
        @Bean
        DataSource dataSource() {
            HikariDataSource hikari = new HikariDataSource();
            hikari.setJdbcUrl(System.getenv("WEFT_TEST_POSTGRES_URL"));
            hikari.setUsername(envOr("WEFT_TEST_POSTGRES_USER", "postgres"));
            hikari.setPassword(envOr("WEFT_TEST_POSTGRES_PASSWORD", ""));
            hikari.setMaximumPoolSize(CALLERS + 4);
            return hikari;
        }

        /** Drops this class's tables when the context closes, after the engine has stopped. */
        @Bean
        DisposableBean dropTables(DataSource dataSource) {
            return () -> PrefixedTables.dropAll(dataSource, TABLE_PREFIX);
        }
    }

    @BeforeAll
    static void requirePostgres() {
        dev.weft.spring.RequiresPostgres.url("concurrent completion test");
    }

    @DynamicPropertySource
    static void tablePrefix(DynamicPropertyRegistry registry) {
        registry.add("weft.jdbc.table-prefix", () -> TABLE_PREFIX);
    }

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Test
    void aTokenCompletedByManyCallersAtOnceIsSpentByExactlyOne() throws Exception {
        ApiCalls api = new ApiCalls(mvc, ApiKeyModeTest.ALL_KEY);
        String id = api.start("callback", "\"https://callbacks.example.com/race\"", "race-" + System.nanoTime());
        String token = api.awaitToken(id);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();

        try (ExecutorService callers = Executors.newFixedThreadPool(CALLERS)) {
            for (int i = 0; i < CALLERS; i++) {
                int caller = i;
                answers.add(callers.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/activities/complete"))
                            .header("content-type", "application/json").header("X-Api-Key", ApiKeyModeTest.ALL_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"result\":{\"ok\":" + caller + "}}"))
                            .build();
                    go.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                }));
            }
            go.countDown();
        }

        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        assertThat(statuses.stream().filter(status -> status / 100 == 2)).hasSize(1);
        assertThat(statuses.stream().filter(status -> status == 404)).hasSize(CALLERS - 1);
        assertThat(api.get("/api/v1/workflows/" + id + "/result?timeout=10s").body().path("result").asString()).startsWith("ok=");
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
