package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WorkflowHandle;
import dev.weft.activity.ActivityContext;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import dev.weft.store.JournalEntry;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.workflow.WorkflowContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Annotated beans on H2, end to end: discovery, durable calls, plain calls, transactions. */
class DurableMethodsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "weft.retry.initial-backoff=10ms", "shipping.queue-name=parcels")
            .withUserConfiguration(Beans.class);

    public record Order(String id, int amount) {
    }

    public record Receipt(String orderId, String payment, String parcel) {
    }

    public static class Payments {
        private final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @Activity(maxAttempts = "2", initialBackoff = "10ms", nonRetryable = IllegalArgumentException.class)
        public String charge(Order order) {
            calls.incrementAndGet();
            return "paid-" + order.id();
        }
    }

    @Transactional
    public static class Shipping {
        private final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @Activity(name = "ship-order", timeout = "5s")
        public String ship(Order order, ActivityContext context) {
            calls.incrementAndGet();
            if (context.attempt() == 1) {
                throw new IllegalStateException("carrier busy");
            }
            return "parcel-" + order.id() + "-tx-" + TransactionSynchronizationManager.isActualTransactionActive();
        }
    }

    public static class OrderWorkflows {
        final Payments payments;
        final Shipping shipping;

        OrderWorkflows(Payments payments, Shipping shipping) {
            this.payments = payments;
            this.shipping = shipping;
        }

        @Workflow
        public Receipt process(Order order) {
            String payment = payments.charge(order);
            String parcel = shipping.ship(order, null);
            return new Receipt(WorkflowContext.current().workflowId(), payment, parcel);
        }

        @Workflow(name = "${workflows.tagged:tagged}")
        public String tagged(WorkflowContext context, Order order) {
            return context.workflowType() + ":" + order.id();
        }

    }

    public static class Reorders {
        private final OrderWorkflows workflows;

        Reorders(OrderWorkflows workflows) {
            this.workflows = workflows;
        }

        @Workflow
        public Receipt reorder(Order order) {
            return workflows.process(order);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(proxyTargetClass = true)
    static class Beans {
        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        Shipping shipping() {
            return new Shipping();
        }

        @Bean
        OrderWorkflows orderWorkflows(Payments payments, Shipping shipping) {
            return new OrderWorkflows(payments, shipping);
        }

        @Bean
        Reorders reorders(OrderWorkflows workflows) {
            return new Reorders(workflows);
        }
    }

    @Test
    void aWorkflowMethodCalledOutsideAWorkflowRunsDurablyAndItsActivityCallsAreSteps() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            OrderWorkflows workflows = context.getBean(OrderWorkflows.class);
            Payments payments = context.getBean(Payments.class);
            Shipping shipping = context.getBean(Shipping.class);

            Receipt receipt = workflows.process(new Order("o-1", 10));

            assertThat(receipt.payment()).isEqualTo("paid-o-1");
            assertThat(receipt.parcel()).isEqualTo("parcel-o-1-tx-true");
            assertThat(payments.calls()).isEqualTo(1);
            assertThat(shipping.calls()).isEqualTo(2);
            List<JournalEntry> journal = context.getBean(JdbcWorkflowStore.class).loadJournal(receipt.orderId());
            assertThat(journal).extracting(JournalEntry::name).containsExactly("charge", "ship-order");
            assertThat(journal.get(1).attempt()).isEqualTo(2);
        });
    }

    @Test
    void anActivityMethodCalledOutsideAWorkflowIsAPlainCall() {
        runner.run(context -> {
            Payments payments = context.getBean(Payments.class);

            assertThat(payments.charge(new Order("o-2", 5))).isEqualTo("paid-o-2");

            assertThat(payments.calls()).isEqualTo(1);
            assertThat(AopUtils.isAopProxy(payments)).isTrue();
            assertThat(context.getBean(JdbcWorkflowStore.class).findRun("o-2")).isEmpty();
        });
    }

    @Test
    void aTransactionalActivityBeanIsDiscoveredThroughItsProxyAndRunsInATransaction() {
        runner.run(context -> {
            Shipping shipping = context.getBean(Shipping.class);
            assertThat(AopUtils.isCglibProxy(shipping)).isTrue();

            WorkflowHandle<Receipt> handle = context.getBean(WeftClient.class).start(OrderWorkflows::process, new Order("o-3", 1));

            assertThat(handle.result(Duration.ofSeconds(10)).parcel()).isEqualTo("parcel-o-3-tx-true");
            assertThat(context.getBean(JdbcWorkflowStore.class).loadJournal(handle.id())).hasSize(2);
        });
    }

    @Test
    void theClientStartsRunsByNameWithoutWaiting() {
        runner.run(context -> {
            WeftClient client = context.getBean(WeftClient.class);

            WorkflowHandle<Object> handle = client.start("process", new Order("o-4", 3));

            assertThat(client.handle(handle.id(), Receipt.class).result(Duration.ofSeconds(10)).payment()).isEqualTo("paid-o-4");
            assertThat(client.start("tagged", new Order("o-6", 1)).result(Duration.ofSeconds(10))).isEqualTo("tagged:o-6");
        });
    }

    @Test
    void aWorkflowMethodCalledInsideAWorkflowRunsAsADurableChildWorkflow() {
        runner.run(context -> {
            Reorders reorders = context.getBean(Reorders.class);

            Receipt receipt = reorders.reorder(new Order("o-5", 1));

            JdbcWorkflowStore store = context.getBean(JdbcWorkflowStore.class);
            assertThat(receipt.orderId()).endsWith("/1");
            String parentId = receipt.orderId().substring(0, receipt.orderId().length() - 2);
            assertThat(store.findRun(receipt.orderId()).orElseThrow().parentId()).isEqualTo(parentId);
            assertThat(store.loadJournal(parentId)).extracting(entry -> entry.kind().name()).containsExactly("CHILD", "CHILD_RESULT");
        });
    }
}
