package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.NonRetryableException;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import dev.weft.workflow.WorkflowContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/**
 * A saga of {@code @Activity} beans on H2: {@code @Activity(compensate = ...)} names the undo step,
 * which receives the step's input and output as a typed record; a compensation that names no
 * activity stops the start.
 */
class SagaBeansTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "weft.retry.max-attempts=1");

    public record Order(String id, int amount) {
    }

    public record Reservation(String sku, int quantity) {
    }

    /** What {@code release} receives: the reservation step's input and output. */
    public record ReservationUndo(Order input, Reservation output) {
    }

    public static class Warehouse {
        private final List<String> log = new CopyOnWriteArrayList<>();

        /** Through a method: the bean is a proxy, whose own fields are empty. */
        public List<String> log() {
            return log;
        }

        @Activity(compensate = "release")
        public Reservation reserve(Order order) {
            log.add("reserve " + order.id());
            return new Reservation("sku-" + order.id(), order.amount());
        }

        @Activity
        public void release(ReservationUndo undo) {
            log.add("release " + undo.output().sku() + " x" + undo.output().quantity() + " of " + undo.input().id());
        }

        @Activity
        public String ship(Order order) {
            log.add("ship " + order.id());
            throw new NonRetryableException("no carrier for " + order.id());
        }
    }

    public static class Orders {
        private final Warehouse warehouse;

        Orders(Warehouse warehouse) {
            this.warehouse = warehouse;
        }

        @Workflow
        public String fulfil(Order order) {
            WorkflowContext context = WorkflowContext.current();
            try {
                return context.saga(saga -> {
                    warehouse.reserve(order);
                    return warehouse.ship(order);
                });
            } catch (RuntimeException failed) {
                return "undone: " + failed.getMessage();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Warehouse warehouse() {
            return new Warehouse();
        }

        @Bean
        Orders orders(Warehouse warehouse) {
            return new Orders(warehouse);
        }
    }

    public static class Unmatched {
        @Activity(compensate = "noSuchActivity")
        public String book(String trip) {
            return trip;
        }
    }

    @Test
    void aFailedSagaCallsTheCompensatingBeanMethodWithTheStepsInputAndOutput() {
        runner.withUserConfiguration(Beans.class).run(context -> {
            assertThat(context).hasNotFailed();
            Warehouse warehouse = context.getBean(Warehouse.class);

            String outcome = context.getBean(Orders.class).fulfil(new Order("o-1", 3));

            assertThat(outcome).startsWith("undone: ").contains("no carrier for o-1");
            assertThat(warehouse.log()).containsExactly("reserve o-1", "ship o-1", "release sku-o-1 x3 of o-1");
        });
    }

    @Test
    void aCompensationThatNamesNoActivityStopsTheStart() {
        runner.withBean(Unmatched.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageContaining("names 'noSuchActivity' as its compensation");
        });
    }
}
