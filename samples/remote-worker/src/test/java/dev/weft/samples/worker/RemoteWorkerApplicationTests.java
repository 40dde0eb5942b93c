package dev.weft.samples.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.weft.WeftEngine;
import dev.weft.spring.RemoteActivityBeans;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** The worker application starts with no database and no engine, and serves the shipping queue. */
@SpringBootTest(properties = "weft.remote-worker.servers=http://localhost:1")
class RemoteWorkerApplicationTests {

    @Autowired
    ApplicationContext context;

    @Test
    void theShippingActivityIsServedOnItsQueueWithNoEngineHere() {
        assertThat(context.getBeanNamesForType(WeftEngine.class)).isEmpty();
        assertThat(context.getBean(RemoteActivityBeans.class).activitiesByQueue()).containsExactly(entry("shipping", List.of("ship")));
    }
}
