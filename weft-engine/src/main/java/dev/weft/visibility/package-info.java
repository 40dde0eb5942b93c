/**
 * The engine's read API for runs ({@link dev.weft.visibility.WorkflowRuns}, from
 * {@link dev.weft.WeftEngine#runs()}) and its read models: what web, Actuator, consoles and clients
 * see of runs, without the storage SPI's types.
 */
@NullMarked
package dev.weft.visibility;

import org.jspecify.annotations.NullMarked;
