/** Micrometer meters of the Weft engine, kept apart from their auto-configuration. */
@NullMarked
package dev.weft.spring.boot.actuate.metrics;

import org.jspecify.annotations.NullMarked;
