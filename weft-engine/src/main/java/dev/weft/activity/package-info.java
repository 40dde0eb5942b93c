/** Activity definitions, their options and the context an activity runs with. */
@NullMarked
package dev.weft.activity;

import org.jspecify.annotations.NullMarked;
