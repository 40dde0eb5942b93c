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

    /** Logs what the engine does between the activities' own log lines: retries, recoveries, ends of runs. */
    @Bean
    EngineListener orderEventLog() {
        return event -> {
            switch (event) {
                case EngineEvent.WorkflowStarted started -> log.info("[{}] started", started.workflowId());
                case EngineEvent.WorkflowRecovered recovered -> log.info("[{}] recovered after a restart; replaying its journal",
                        recovered.workflowId());
                case EngineEvent.ActivityRetrying retrying -> log.info("[{}] {} attempt {} failed ({}: {}); next attempt at {}",
                        retrying.workflowId(), retrying.activityName(), retrying.failedAttempt(), retrying.failure().simpleType(),
                        retrying.failure().message(), retrying.nextAttemptAt());
                case EngineEvent.ActivityFailed failed -> log.info("[{}] {} failed for good after {} attempt(s): {}",
                        failed.workflowId(), failed.activityName(), failed.attempt(), failed.failure().message());
                case EngineEvent.WorkflowCompleted completed -> log.info("[{}] completed", completed.workflowId());
                case EngineEvent.WorkflowCancelled cancelled -> log.info("[{}] cancelled", cancelled.workflowId());
                case EngineEvent.WorkflowFailed failed -> log.warn("[{}] failed: {}", failed.workflowId(), failed.failure().message());
                default -> {
                }
            }
        };
    }
}
