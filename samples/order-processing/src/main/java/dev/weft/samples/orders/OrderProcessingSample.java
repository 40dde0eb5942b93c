package dev.weft.samples.orders;

import dev.weft.ActivityFailedException;
import dev.weft.RecoveryReport;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.retry.RetryOverride;
import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Processes one order durably with the plain engine on an embedded H2 file database: reserve stock,
 * charge the card (which fails once and is retried), wait, and ship. Run it twice: runs left
 * unfinished by an interrupted first run are recovered by the second.
 */
public final class OrderProcessingSample {

    record Order(String id, String sku, int quantity, long amountCents) {
    }

    record Receipt(String orderId, String reservation, String payment, String shipment) {
    }

    private OrderProcessingSample() {
    }

    public static void main(String[] args) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:./target/weft-sample;AUTO_SERVER=TRUE");
        JdbcSchemaInitializer.initialize(dataSource, JdbcDialect.H2, JdbcWorkflowStore.DEFAULT_TABLE_PREFIX);
        AtomicInteger chargeAttempts = new AtomicInteger();

        try (JdbcWorkflowStore store = JdbcWorkflowStore.builder(dataSource).build();
                WeftEngine engine = WeftEngine.builder()
                        .store(store)
                        .activity(ActivityDefinition.of("reserveInventory", Order.class, String.class,
                                (order, context) -> "reservation-" + order.sku() + "-" + order.quantity()))
                        .activity(ActivityDefinition.of("chargeCard", Order.class, String.class, (order, context) -> {
                            if (chargeAttempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("payment gateway timed out");
                            }
                            return "payment-" + order.amountCents();
                        }).withOptions(ActivityOptions.builder()
                                .retry(RetryOverride.none().maxAttempts(4).initialBackoff(Duration.ofMillis(200)))
                                .timeout(Duration.ofSeconds(10))
                                .build()))
                        .activity(ActivityDefinition.of("shipOrder", Order.class, String.class,
                                (order, context) -> "shipment-" + order.id()))
                        .workflow(WorkflowDefinition.of("processOrder", Order.class, Receipt.class, (context, order) -> {
                            String reservation = context.run("reserveInventory", order, String.class);
                            String payment;
                            try {
                                payment = context.run("chargeCard", order, String.class);
                            } catch (ActivityFailedException e) {
                                return new Receipt(order.id(), reservation, "declined: " + e.failure().message(), "none");
                            }
                            context.sleep(Duration.ofSeconds(1));
                            String shipment = context.run("shipOrder", order, String.class);
                            return new Receipt(order.id(), reservation, payment, shipment);
                        }))
                        .listener(OrderProcessingSample::print)
                        .build()) {

            RecoveryReport recovered = engine.recoverAll();
            System.out.println("Recovered " + recovered.recovered().size() + " unfinished run(s) from an earlier start");

            String orderId = "order-" + System.currentTimeMillis();
            WorkflowHandle<Object> handle = engine.start("processOrder", new Order(orderId, "sku-42", 2, 4_999),
                    StartOptions.withId(orderId));
            System.out.println("Result: " + handle.result(Duration.ofSeconds(30)));
        }
    }

    private static void print(EngineEvent event) {
        switch (event) {
            case EngineEvent.ActivityRetrying retrying -> System.out.println("  " + retrying.activityName() + " attempt "
                    + retrying.failedAttempt() + " failed (" + retrying.failure().message() + "), retrying at " + retrying.nextAttemptAt());
            case EngineEvent.ActivityCompleted completed -> System.out.println("  " + completed.activityName() + " completed");
            case EngineEvent.WorkflowStarted started -> System.out.println("Started " + started.workflowId());
            case EngineEvent.WorkflowCompleted completed -> System.out.println("Completed " + completed.workflowId());
            default -> {
            }
        }
    }
}
