/** Auto-configuration of Weft's Micrometer observations. */
@NullMarked
package dev.weft.spring.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
