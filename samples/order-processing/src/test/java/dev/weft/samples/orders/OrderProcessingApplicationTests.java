package dev.weft.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The sample's default configuration (no profile, an H2 file database, the schema created at
 * start-up) in a fresh directory of its own, with the real clock and short delays: an order goes
 * all the way through and its meters reach {@code /actuator/prometheus}, and the health endpoint is up.
 */
@SpringBootTest(properties = {"orders.fulfilment-delay=50ms", "orders.payments.initial-backoff=20ms",
        "orders.shipping.timeout=200ms", "orders.shipping.initial-backoff=20ms"})
@AutoConfigureMockMvc
@DirtiesContext
class OrderProcessingApplicationTests {

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) throws IOException {
        String directory = Files.createTempDirectory("weft-orders-").toString();
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + directory + "/orders-db");
    }

    @Autowired
    MockMvc mvc;

    @Test
    void anOrderIsShippedOnTheDefaultH2Database() throws Exception {
        String body = mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("""
                {"sku": "sku-42", "quantity": 1, "amountCents": 1200}"""))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        String id = JsonPath.read(body, "$.id");

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> mvc.perform(get("/orders/{id}", id))
                        .andExpect(jsonPath("$.status").value("COMPLETED"))
                        .andExpect(jsonPath("$.result.outcome").value("SHIPPED"))
                        .andExpect(jsonPath("$.result.tracking").value("TRK-" + id)));

        // the meters of that run, for Prometheus to scrape
        String scraped = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(scraped).containsPattern("(?m)^weft_workflows_completed_total\\{[^}]*workflow_type=\"processOrder\"[^}]*} [1-9]")
                .containsPattern("(?m)^weft_activity_attempts_total\\{[^}]*activity_name=\"ship\"")
                .contains("weft_workflows_active");
        mvc.perform(get("/actuator/metrics/weft.workflows.completed")).andExpect(status().isOk())
                .andExpect(jsonPath("$.availableTags[0].tag").value("workflow.type"));
    }

    @Test
    void healthIsUpWithDetails() throws Exception {
        mvc.perform(get("/actuator/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.db.details.database").value("H2"));
    }
}
