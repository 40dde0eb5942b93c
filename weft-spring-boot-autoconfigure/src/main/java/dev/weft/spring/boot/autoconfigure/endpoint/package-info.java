/** Auto-configuration of the {@code weft} actuator endpoint. */
@NullMarked
package dev.weft.spring.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
