/** Retry policies and their partial overrides. */
@NullMarked
package dev.weft.retry;

import org.jspecify.annotations.NullMarked;
