/** The Weft health indicator, kept apart from its auto-configuration. */
@NullMarked
package dev.weft.spring.boot.actuate.health;

import org.jspecify.annotations.NullMarked;
