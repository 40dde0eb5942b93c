/** Typed events the engine emits, and the listener interface that receives them. */
@NullMarked
package dev.weft.event;

import org.jspecify.annotations.NullMarked;
