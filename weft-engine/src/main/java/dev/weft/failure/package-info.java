/**
 * What can go wrong, as exceptions: the root {@link dev.weft.failure.WeftException}, each failure's
 * stable code and {@link dev.weft.failure.FailureCategory}, and the recorded form of a failure,
 * {@link dev.weft.failure.FailureInfo}.
 */
@NullMarked
package dev.weft.failure;

import org.jspecify.annotations.NullMarked;
