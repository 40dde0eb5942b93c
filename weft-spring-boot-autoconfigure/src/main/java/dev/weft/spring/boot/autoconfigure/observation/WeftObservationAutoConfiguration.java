package dev.weft.spring.boot.autoconfigure.observation;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.observation.WeftObservationListener;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Observations of runs and activity attempts through the application's {@link ObservationRegistry}.
 * As an {@link dev.weft.event.EngineListener} bean the listener is added to the auto-configured engine.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({WeftEngine.class, ObservationRegistry.class})
@ConditionalOnBean({WeftEngine.class, ObservationRegistry.class})
public final class WeftObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WeftObservationListener weftObservationListener(ObservationRegistry registry) {
        return new WeftObservationListener(registry);
    }
}
