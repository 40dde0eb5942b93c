/** The public API of the Weft engine: the {@link dev.weft.WeftEngine} facade, handles, options and exceptions. */
@NullMarked
package dev.weft;

import org.jspecify.annotations.NullMarked;
