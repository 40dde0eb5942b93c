/** Serialization of inputs and results to the JSON stored in the journal. */
@NullMarked
package dev.weft.payload;

import org.jspecify.annotations.NullMarked;
