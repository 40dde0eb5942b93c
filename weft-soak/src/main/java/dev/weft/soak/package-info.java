/**
 * The soak suite: engine JVMs on a private database, killed, partitioned and outlived by database
 * restarts while runs are submitted, then checked for lost, stuck, repeated or overlapping work.
 * {@link dev.weft.soak.SoakRunner} is the entry point; docs/reliability.md the results.
 */
@NullMarked
package dev.weft.soak;

import org.jspecify.annotations.NullMarked;
