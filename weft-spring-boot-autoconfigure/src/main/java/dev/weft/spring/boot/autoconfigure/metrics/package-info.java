/** Auto-configuration of Weft's Micrometer meters. */
@NullMarked
package dev.weft.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
