package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.activity.ActivityVerifier;
import dev.weft.activity.Reconciliation;
import dev.weft.activity.VerificationContext;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import dev.weft.store.ActivityRecord;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.workflow.WorkflowContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code @Activity(idempotencyKey = SpEL, verifier = bean)} on H2: the key comes from the call's
 * arguments, a second call with the same key in the run is answered from its record; an
 * expression that does not parse or a verifier bean that is missing stops the start.
 */
class KeyedActivityBeansTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0");

    public record Order(String id, int amount) {
    }

    public static class Payments {
        private final AtomicInteger charges = new AtomicInteger();

        /** Through a method: the bean is a proxy, whose own fields are empty. */
        public int charges() {
            return charges.get();
        }

        @Activity(idempotencyKey = "'charge/' + #order.id()", verifier = "chargeVerifier", idempotent = true)
        public String charge(Order order) {
            return "receipt-" + order.id() + "-" + charges.incrementAndGet();
        }
    }

    public static class Checkout {
        private final Payments payments;

        Checkout(Payments payments) {
            this.payments = payments;
        }

        @Workflow
        public String checkout(Order order) {
            String first = payments.charge(order);
            String again = payments.charge(order);
            return first + " " + again + " " + WorkflowContext.current().workflowId();
        }

        /** The same calls made by helper code inside a memo callback: sub-operations of the memo, not steps. */
        @Workflow
        public String checkoutInMemo(Order order) {
            WorkflowContext context = WorkflowContext.current();
            String receipts = context.memo("pay", String.class, () -> payments.charge(order) + " " + payments.charge(order));
            return receipts + " " + context.workflowId();
        }
    }

    static class ChargeVerifier implements ActivityVerifier<Order, String> {
        @Override
        public Reconciliation reconcile(Order input, VerificationContext context) {
            return Reconciliation.notCompleted();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        Checkout checkout(Payments payments) {
            return new Checkout(payments);
        }

        @Bean
        ChargeVerifier chargeVerifier() {
            return new ChargeVerifier();
        }
    }

    public static class BadExpression {
        @Activity(idempotencyKey = "'charge/' + #order.id(")
        public String charge(Order order) {
            return order.id();
        }
    }

    public static class MissingVerifier {
        @Activity(idempotencyKey = "#p0.id()", verifier = "noSuchBean")
        public String charge(Order order) {
            return order.id();
        }
    }

    /** The InvalidDefinitionException among the start-up failure's causes. */
    private static InvalidDefinitionException invalidDefinition(Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof InvalidDefinitionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidDefinitionException.class);
        return (InvalidDefinitionException) cause;
    }

    @Test
    void theKeyComesFromTheArgumentsAndASecondCallWithItIsAnsweredFromItsRecord() {
        runner.withUserConfiguration(Beans.class).run(context -> {
            assertThat(context).hasNotFailed();

            String[] answer = context.getBean(Checkout.class).checkout(new Order("o-1", 10)).split(" ");

            assertThat(answer[0]).isEqualTo("receipt-o-1-1");
            assertThat(answer[1]).isEqualTo("receipt-o-1-1");
            assertThat(context.getBean(Payments.class).charges()).isEqualTo(1);
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("charge/o-1".getBytes(StandardCharsets.UTF_8)));
            assertThat(context.getBean(JdbcWorkflowStore.class).findActivityRecord(answer[2], "charge", digest))
                    .hasValueSatisfying(record -> assertThat(record.state()).isEqualTo(ActivityRecord.State.COMPLETED));
        });
    }

    @Test
    void beanActivitiesCalledInsideAMemoAreSubOperationsOfIt() {
        runner.withUserConfiguration(Beans.class).run(context -> {
            String[] answer = context.getBean(Checkout.class).checkoutInMemo(new Order("o-2", 20)).split(" ");

            assertThat(answer[0]).isEqualTo("receipt-o-2-1");
            assertThat(answer[1]).isEqualTo("receipt-o-2-1");
            assertThat(context.getBean(Payments.class).charges()).isEqualTo(1);
            assertThat(context.getBean(JdbcWorkflowStore.class).loadJournal(answer[2])).singleElement()
                    .satisfies(entry -> assertThat(entry.name()).isEqualTo("memo:pay"));
        });
    }

    @Test
    void anExpressionThatDoesNotParseStopsTheStartNamingTheMethod() {
        runner.withBean(BadExpression.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(invalidDefinition(context.getStartupFailure()))
                    .hasMessageContaining("BadExpression.charge").hasMessageContaining("not a SpEL expression");
        });
    }

    @Test
    void aVerifierBeanThatIsMissingStopsTheStart() {
        runner.withBean(MissingVerifier.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(invalidDefinition(context.getStartupFailure())).hasMessageContaining("verifier bean 'noSuchBean'");
        });
    }
}
