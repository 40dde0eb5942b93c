package dev.weft.samples.orders;

import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Processes orders as durable workflows: {@link OrderWorkflow} reserves stock, charges the card,
 * waits out a fulfilment delay, ships and emails the customer; {@link OrderController} starts and
 * cancels runs over HTTP. Its state lives in an H2 file database by default, or in PostgreSQL with
 * the {@code postgres} profile.
 */
@SpringBootApplication
public class OrderProcessingApplication {

    private static final Logger log = LoggerFactory.getLogger(OrderProcessingApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(OrderProcessingApplication.class, args);
    }

    /**
     * Tells the story of each run between the activities' own log lines. Weft itself logs retries,
     * failed and cancelled runs and the counts of runs taken up at start-up (categories
     * {@code dev.weft.*}); this listener adds the steps of a run's life that Weft logs only at DEBUG.
     */
    @Bean
    EngineListener orderEventLog() {
        return event -> {
            switch (event) {
                case EngineEvent.WorkflowStarted started -> log.info("[{}] started", started.workflowId());
                case EngineEvent.WorkflowRecovered recovered -> log.info("[{}] taken up again after it was interrupted (a restart, "
                        + "a lapsed lease or a hand-off); replaying its journal", recovered.workflowId());
                case EngineEvent.WorkflowWoken woken -> log.info("[{}] woken ({}); replaying its journal to where it waited",
                        woken.workflowId(), woken.reason().tagValue());
                case EngineEvent.WorkflowCompleted completed -> log.info("[{}] completed", completed.workflowId());
                default -> {
                }
            }
        };
    }
}
