/** The engine's source of time and timers, replaceable by a manual one in tests. */
@NullMarked
package dev.weft.time;

import org.jspecify.annotations.NullMarked;
