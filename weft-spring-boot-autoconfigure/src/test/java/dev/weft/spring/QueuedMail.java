package dev.weft.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A small application for the tests of queues with Spring Boot: a workflow whose one activity
 * goes through the queue {@code mail}, and records the thread it ran on.
 */
public final class QueuedMail {

    private QueuedMail() {
    }

    public static class Mailer {
        private final List<String> threads = new CopyOnWriteArrayList<>();

        public List<String> threads() {
            return threads;
        }

        @Activity(queue = "mail", visibilityTimeout = "45s", priority = "2")
        public String send(String to) {
            threads.add(Thread.currentThread().getName());
            return "sent to " + to;
        }
    }

    public static class Notify {
        private final Mailer mailer;

        Notify(Mailer mailer) {
            this.mailer = mailer;
        }

        @Workflow
        public String notifyUser(String to) {
            return mailer.send(to);
        }
    }

    @Configuration(proxyBeanMethods = false)
    public static class Beans {
        @Bean
        Mailer mailer() {
            return new Mailer();
        }

        @Bean
        Notify notify(Mailer mailer) {
            return new Notify(mailer);
        }
    }
}
