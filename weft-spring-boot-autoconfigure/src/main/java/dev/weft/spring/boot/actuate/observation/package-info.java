/** Micrometer observations (spans) of Weft runs and activity attempts, kept apart from their auto-configuration. */
@NullMarked
package dev.weft.spring.boot.actuate.observation;

import org.jspecify.annotations.NullMarked;
