package dev.weft.soak;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One engine node of the soak, in a JVM of its own, meant to be killed rather than stopped. Its
 * engine reaches the database through the node's proxy ({@code store=}), its {@link ExecutionLog}
 * directly ({@code log=}). It drives runs until its standard input closes (the runner went away),
 * then halts as a crash would.
 *
 * <p>Arguments are {@code key=value}: {@code node}, {@code store} and {@code log} (JDBC URLs),
 * {@code user}, {@code password}, {@code lease} (a duration).
 */
public final class SoakWorker {

    /** How often runs with lapsed leases are looked for: often, so the soak's faults heal quickly. */
    static final Duration ADOPTION_INTERVAL = Duration.ofSeconds(1);
    /** Waits longer than this park the run, so the sleep's timer is taken from the database. */
    static final Duration PARK_AFTER = Duration.ofSeconds(1);

    private SoakWorker() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        String node = options.get("node");
        Duration lease = Duration.parse(options.get("lease"));
        HikariDataSource logPool = pool(options, "log", 4);
        SoakWorkflow workflow = new SoakWorkflow(new ExecutionLog(logPool, node));
        WeftEngineBuilder builder = WeftEngine.builder()
                .store(JdbcWorkflowStore.builder(pool(options, "store", 10)).build())
                .nodeId(node)
                // a restarted node keeps its name (as a StatefulSet's pod does) and takes up its own runs at once;
                // the runner starts it only after its previous process is gone
                .registerNode(false)
                .lease(lease)
                .leaseRenewInterval(lease.dividedBy(5))
                .adoptionInterval(ADOPTION_INTERVAL)
                .parkAfter(PARK_AFTER)
                .workflow(SoakWorkflow.definition());
        workflow.activities().forEach(builder::activity);
        WeftEngine engine = builder.build();
        System.out.println("READY " + node + " " + ProcessHandle.current().pid() + " " + engine.nodeId());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // nothing is sent; the stream only tells that the runner is still there
        }
        Runtime.getRuntime().halt(0);
    }

    private static HikariDataSource pool(Map<String, String> options, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.get(name));
        config.setUsername(options.get("user"));
        config.setPassword(options.getOrDefault("password", ""));
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(Duration.ofSeconds(3).toMillis());
        config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        config.setPoolName("soak-" + name);
        return new HikariDataSource(config);
    }
}
