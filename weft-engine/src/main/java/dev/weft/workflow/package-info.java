/** Workflow definitions and the context through which workflow code performs durable operations. */
@NullMarked
package dev.weft.workflow;

import org.jspecify.annotations.NullMarked;
