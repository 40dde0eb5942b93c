/** The {@code weft} actuator endpoint, kept apart from its auto-configuration. */
@NullMarked
package dev.weft.spring.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
