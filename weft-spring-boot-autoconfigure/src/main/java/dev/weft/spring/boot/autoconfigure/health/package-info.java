/** Auto-configuration of the {@code weft} health indicator. */
@NullMarked
package dev.weft.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
