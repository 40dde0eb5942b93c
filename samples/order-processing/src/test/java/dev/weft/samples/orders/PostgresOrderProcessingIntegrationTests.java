package dev.weft.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.weft.WorkflowStatus;
import dev.weft.spring.boot.autoconfigure.WeftEngineCustomizer;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The sample with its {@code postgres} profile, through its HTTP API, on a PostgreSQL database
 * named by {@code WEFT_TEST_POSTGRES_URL}, in tables with a prefix of its own that are dropped
 * afterwards. The fulfilment sleep is an hour, which {@link FastForwardTimeSource} lets the tests
 * end at once; retries and timeouts take milliseconds.
 */
@ExtendWith(RequiresPostgres.class)
// The held timers stand for the hour-long sleep: the run sleeps in memory (not parked) so that firing them ends it.
@SpringBootTest(properties = {"orders.fulfilment-delay=1h", "weft.park-after=1d", "orders.payments.initial-backoff=20ms",
        "orders.shipping.timeout=300ms", "orders.shipping.initial-backoff=20ms", "spring.datasource.hikari.maximum-pool-size=4"})
@AutoConfigureMockMvc
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresOrderProcessingIntegrationTests {

    static final String TABLE_PREFIX = "weft_orders_"
            + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT) + "_";

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", RequiresPostgres::url);
        registry.add("spring.datasource.username", RequiresPostgres::user);
        registry.add("spring.datasource.password", RequiresPostgres::password);
        registry.add("weft.jdbc.table-prefix", () -> TABLE_PREFIX);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Time {

        @Bean
        FastForwardTimeSource fastForwardTimeSource() {
            return new FastForwardTimeSource();
        }

        @Bean
        WeftEngineCustomizer fastForwardTime(FastForwardTimeSource time) {
            return builder -> builder.timeSource(time);
        }

        /** Drops this class's tables when the context closes, after the engine has stopped. */
        @Bean
        DisposableBean dropOrderTables(DataSource dataSource) {
            return () -> {
                JdbcClient jdbc = JdbcClient.create(dataSource);
                jdbc.sql("drop table if exists " + TABLE_PREFIX + "node").update();
                jdbc.sql("drop table if exists " + TABLE_PREFIX + "signal").update();
                jdbc.sql("drop table if exists " + TABLE_PREFIX + "journal").update();
                jdbc.sql("drop table if exists " + TABLE_PREFIX + "run").update();
            };
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    FastForwardTimeSource time;

    @Autowired
    JdbcWorkflowStore store;

    @Autowired
    Inventory inventory;

    @Autowired
    Payments payments;

    @Autowired
    Shipping shipping;

    @Autowired
    Notifications notifications;

    @Test
    void aPlacedOrderIsShippedAndEachStepRunsOnce() throws Exception {
        String id = place("""
                {"sku": "sku-42", "quantity": 2, "amountCents": 4999, "email": "ada@example.com"}""");
        awaitFulfilmentSleep(id);
        assertThat(shipping.attempts(id)).isZero();

        time.fireHeldTimers();

        awaitStatus(id, WorkflowStatus.COMPLETED);
        mvc.perform(get("/orders/{id}", id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.result.outcome").value("SHIPPED"))
                .andExpect(jsonPath("$.result.reservation").value("RSV-" + id))
                .andExpect(jsonPath("$.result.payment").value("PAY-" + id))
                .andExpect(jsonPath("$.result.tracking").value("TRK-" + id));
        assertThat(inventory.reservations(id)).isOne();
        assertThat(payments.attempts(id)).as("one gateway time-out, then the charge").isEqualTo(2);
        assertThat(payments.charges(id)).isOne();
        assertThat(shipping.attempts(id)).as("one attempt cut off by its timeout, then the booking").isEqualTo(2);
        assertThat(shipping.shipments(id)).isOne();
        assertThat(notifications.confirmations(id)).isOne();
        List<JournalEntry> journal = store.loadJournal(id);
        assertThat(journal).extracting(JournalEntry::kind)
                .containsExactly(EntryKind.ACTIVITY, EntryKind.ACTIVITY, EntryKind.SLEEP, EntryKind.ACTIVITY, EntryKind.ACTIVITY);
        assertThat(journal).filteredOn(entry -> entry.kind() == EntryKind.ACTIVITY).extracting(JournalEntry::name)
                .containsExactly("reserve", "charge", "ship", "sendConfirmation");
    }

    @Test
    void aDeclinedPaymentReleasesTheReservationAndEndsDeclined() throws Exception {
        String id = place("""
                {"sku": "sku-7", "quantity": 1, "amountCents": 1500, "card": "tok_declined"}""");

        awaitStatus(id, WorkflowStatus.COMPLETED);

        mvc.perform(get("/orders/{id}", id))
                .andExpect(jsonPath("$.result.outcome").value("DECLINED"))
                .andExpect(jsonPath("$.result.reason").value("card tok_declined was declined by the issuer"))
                .andExpect(jsonPath("$.result.payment").doesNotExist());
        assertThat(payments.attempts(id)).as("a declined card is not retried").isOne();
        assertThat(payments.charges(id)).isZero();
        assertThat(inventory.isReserved("RSV-" + id)).isFalse();
        assertThat(inventory.releases("RSV-" + id)).isOne();
        assertThat(shipping.attempts(id)).isZero();
        assertThat(notifications.confirmations(id)).isZero();
    }

    @Test
    void anOrderCancelledDuringTheFulfilmentSleepEndsCancelledAndNeverShips() throws Exception {
        String id = place("""
                {"sku": "sku-9", "quantity": 3, "amountCents": 900}""");
        awaitFulfilmentSleep(id);

        mvc.perform(post("/orders/{id}/cancel", id)).andExpect(status().isAccepted());

        awaitStatus(id, WorkflowStatus.CANCELLED);
        assertThat(time.heldTimers()).as("the sleep's timer is dropped").isZero();
        mvc.perform(post("/orders/{id}/cancel", id))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.status").value("CANCELLED"));
        assertThat(inventory.reservations(id)).isOne();
        assertThat(payments.charges(id)).isOne();
        assertThat(shipping.attempts(id)).isZero();
        assertThat(notifications.confirmations(id)).isZero();
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("""
                {"sku": "sku-1", "quantity": 0, "amountCents": 100}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("quantity must be positive, was 0"));
        mvc.perform(get("/orders/{id}", "no-such-order"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("WORKFLOW_NOT_FOUND"));
    }

    private String place(String json) throws Exception {
        String body = mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(json))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$.id");
    }

    /** Waits until the run has been charged and is parked in its fulfilment sleep. */
    private void awaitFulfilmentSleep(String id) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> payments.charges(id) == 1 && time.heldTimers() == 1);
    }

    private void awaitStatus(String id, WorkflowStatus expected) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> mvc.perform(get("/orders/{id}", id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value(expected.name())));
    }
}
