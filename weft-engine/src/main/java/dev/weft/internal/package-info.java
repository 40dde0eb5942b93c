/** The replay kernel. Not API: anything here may change without notice. */
@NullMarked
package dev.weft.internal;

import org.jspecify.annotations.NullMarked;
