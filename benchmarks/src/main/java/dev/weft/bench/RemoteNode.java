package dev.weft.bench;

import dev.weft.WeftEngine;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The engine node of W8: the smallest Spring Boot application that serves the remote workers'
 * endpoint ({@code /api/v1/tasks/{queue}/stream}) on a free loopback port, around an engine the
 * benchmark built, so that W8 and W7 run the same engine with the same store and pool. The
 * starter's own auto-configuration makes the endpoint and its hub; without API keys or Spring
 * Security it answers loopback clients only, which the worker processes are.
 */
final class RemoteNode implements AutoCloseable {

    @SpringBootConfiguration
    @EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
    static class Application {
    }

    private final ConfigurableApplicationContext context;

    RemoteNode(WeftEngine engine) {
        this.context = new SpringApplicationBuilder(Application.class)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                // the application's engine bean is this one: the auto-configuration backs off from making its own
                .initializers(context -> context.getBeanFactory().registerSingleton("weftEngine", engine))
                .properties("server.address=127.0.0.1", "server.port=0", "spring.jmx.enabled=false")
                .run();
    }

    /** The base URL workers connect to. */
    String url() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
