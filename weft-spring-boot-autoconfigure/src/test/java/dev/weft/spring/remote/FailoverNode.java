package dev.weft.spring.remote;

import dev.weft.WeftEngine;
import dev.weft.spring.Activity;
import dev.weft.spring.RequiresPostgres;
import dev.weft.spring.Workflow;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An engine node of the failover test: a Spring Boot application on the shared PostgreSQL whose
 * activities run on remote workers only. As a main, in a JVM of its own, it prints {@code PORT <port>},
 * starts the runs it is asked for and prints {@code RUN <id>} for each, then {@code READY}, and lives
 * until it is killed. Arguments: the table prefix, the node id, how many runs to start.
 */
public final class FailoverNode {

    static final String QUEUE = "far";
    static final String WORKER_KEY = "failover-worker-key-0123456789";

    private FailoverNode() {
    }

    /** Stand-ins: the nodes know the activities by name, the remote worker runs them. */
    public static class Parcels {
        @Activity(queue = QUEUE, visibilityTimeout = "3s")
        public String pack(String order) {
            throw new IllegalStateException("pack runs on remote workers only");
        }

        @Activity(queue = QUEUE, visibilityTimeout = "3s")
        public String label(String parcel) {
            throw new IllegalStateException("label runs on remote workers only");
        }
    }

    public static class Shipping {
        private final Parcels parcels;

        Shipping(Parcels parcels) {
            this.parcels = parcels;
        }

        @Workflow
        public String ship(String order) {
            return parcels.label(parcels.pack(order));
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Parcels parcels() {
            return new Parcels();
        }

        @Bean
        Shipping shipping(Parcels parcels) {
            return new Shipping(parcels);
        }
    }

    /** The settings both nodes share but their id: short leases so that the survivor adopts soon. */
    static String[] properties(String prefix, String nodeId) {
        String user = System.getenv("WEFT_TEST_POSTGRES_USER");
        String password = System.getenv("WEFT_TEST_POSTGRES_PASSWORD");
        return new String[] {
                "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                        + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "spring.main.banner-mode=off", "server.port=0",
                "spring.datasource.url=" + RequiresPostgres.url("engine node failover test"),
                "spring.datasource.username=" + (user == null ? "postgres" : user),
                "spring.datasource.password=" + (password == null ? "" : password),
                "spring.datasource.hikari.maximum-pool-size=4",
                "weft.jdbc.table-prefix=" + prefix, "weft.jdbc.initialize-schema=always",
                "weft.node-id=" + nodeId, "weft.lease=2s", "weft.adoption-interval=300ms",
                // no node serves the queue itself: every task goes to the remote worker
                "weft.worker.queues=nothing-here",
                "weft.api.keys[0].name=worker", "weft.api.keys[0].key=" + WORKER_KEY, "weft.api.keys[0].scopes=workers:write" };
    }

    static ConfigurableApplicationContext start(String prefix, String nodeId) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET).properties(properties(prefix, nodeId)).run();
    }

    static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext node = start(args[0], args[1]);
        System.out.println("PORT " + port(node));
        WeftEngine engine = node.getBean(WeftEngine.class);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            System.out.println("RUN " + engine.start("ship", args[1] + "-order-" + i).id());
        }
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Ids of the runs this node's main started, once it printed {@code READY}; empty before. */
    static List<String> runsOf(List<String> lines) {
        return lines.contains("READY") ? lines.stream().filter(line -> line.startsWith("RUN ")).map(line -> line.substring(4)).toList()
                : List.of();
    }
}
