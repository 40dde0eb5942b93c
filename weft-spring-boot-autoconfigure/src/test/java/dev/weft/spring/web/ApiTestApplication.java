package dev.weft.spring.web;

import dev.weft.failure.NonRetryableException;
import dev.weft.activity.ActivityContext;
import dev.weft.spring.Activity;
import dev.weft.spring.Workflow;
import dev.weft.spring.boot.autoconfigure.WeftEngineCustomizer;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the API tests run: an activity that hands its work off with
 * {@code completeAsync()}, workflows that use it, and an H2 database behind {@link CommitFaults}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ApiTestApplication {

    /** The activity of the seed's curl example: the work finishes elsewhere. */
    public static class Webhooks {
        @Activity
        public Map<String, Object> awaitWebhook(String callback) {
            return ActivityContext.current().completeAsync();
        }
    }

    public static class Workflows {
        private final Webhooks webhooks;

        Workflows(Webhooks webhooks) {
            this.webhooks = webhooks;
        }

        @Workflow
        public String callback(String callback) {
            Map<String, Object> answer = webhooks.awaitWebhook(callback);
            return "ok=" + answer.get("ok");
        }

        @Workflow
        public String echo(String input) {
            return "echo:" + input;
        }

        /** Waits for two "approve" signals; the "approvals" query tells how many came, "approver" who came at an index. */
        @Workflow
        public String approval(String input) {
            java.util.List<String> approvers = new java.util.concurrent.CopyOnWriteArrayList<>();
            dev.weft.workflow.WorkflowContext.current().onQuery("approvals", approvers::size);
            dev.weft.workflow.WorkflowContext.current().onQuery("approver", Integer.class, approvers::get);
            String first = dev.weft.workflow.WorkflowContext.current().awaitSignal("approve", String.class);
            approvers.add(first);
            String second = dev.weft.workflow.WorkflowContext.current().awaitSignal("approve", String.class);
            return input + " approved by " + first + " and " + second;
        }

        @Workflow
        public String broken(String input) {
            throw new NonRetryableException("broken on purpose: " + input);
        }
    }

    @Bean
    Webhooks webhooks() {
        return new Webhooks();
    }

    @Bean
    Workflows workflows(Webhooks webhooks) {
        return new Workflows(webhooks);
    }

    /** The engine's own payload limit, below the API's body limit, so both refusals can be seen. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    @Bean
    WeftEngineCustomizer smallPayloads() {
        return builder -> builder.maxPayloadBytes(MAX_PAYLOAD_BYTES);
    }

    @Bean
    CommitFaults commitFaults() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return new CommitFaults(h2);
    }

    @Bean
    DataSource dataSource(CommitFaults faults) {
        return faults.dataSource();
    }
}
