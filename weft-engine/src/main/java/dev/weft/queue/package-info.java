/**
 * Activity queues: activities called with a queue run on whichever node's worker pool claims
 * them, within the queue's cluster-wide limits.
 */
@NullMarked
package dev.weft.queue;

import org.jspecify.annotations.NullMarked;
