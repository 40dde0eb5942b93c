package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;

/**
 * Adjusts the auto-configured engine's builder after the {@code weft.*} properties are applied
 * and before it is built. Customizers run in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface WeftEngineCustomizer {

    void customize(WeftEngineBuilder builder);
}
