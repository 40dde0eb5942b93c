package dev.weft.spring.boot.actuate;

import dev.weft.failure.StoreException;
import dev.weft.activity.ActivityContext;
import dev.weft.spring.Activity;
import dev.weft.spring.Workflow;
import dev.weft.store.WorkflowStore;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.workflow.WorkflowContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A small application for the Actuator tests: a workflow that greets (its activity fails once for
 * names starting with "flaky" and for good for names starting with "bad"), and one that waits an
 * hour, so a run stays running.
 */
public final class Greetings {

    private Greetings() {
    }

    public static class Letters {
        @Activity(maxAttempts = "3", initialBackoff = "10ms", nonRetryable = IllegalArgumentException.class)
        public String write(String name, ActivityContext context) {
            if (name.startsWith("bad")) {
                throw new IllegalArgumentException("no letters for " + name);
            }
            if (name.startsWith("flaky") && context.attempt() == 1) {
                throw new IllegalStateException("ink ran out");
            }
            return "Hello, " + name;
        }
    }

    public static class Mail {
        private final Letters letters;

        Mail(Letters letters) {
            this.letters = letters;
        }

        @Workflow
        public String greet(String name) {
            return letters.write(name, null);
        }

        @Workflow
        public String waitAnHour(String name, WorkflowContext context) {
            context.sleep(Duration.ofHours(1));
            return name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    public static class Beans {
        @Bean
        Letters letters() {
            return new Letters();
        }

        @Bean
        Mail mail(Letters letters) {
            return new Mail(letters);
        }
    }

    /** The store methods a {@link #faulty} store fails, changeable while it runs. */
    public static final class Faults {
        private final Set<String> failing = ConcurrentHashMap.newKeySet();

        public void fail(String method) {
            failing.add(method);
        }

        public void heal() {
            failing.clear();
        }
    }

    /** A store that fails the methods named in {@code faults} as a database outage would; closing it closes {@code store}. */
    public static WorkflowStore faulty(JdbcWorkflowStore store, Faults faults) {
        return (WorkflowStore) Proxy.newProxyInstance(WorkflowStore.class.getClassLoader(),
                new Class<?>[] {WorkflowStore.class, AutoCloseable.class},
                (proxy, method, args) -> {
                    if (faults.failing.contains(method.getName())) {
                        throw new StoreException("database unreachable (" + method.getName() + ")");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
