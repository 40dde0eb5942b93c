/** Auto-configuration of Weft: the engine on the application's DataSource, its schema, client and lifecycle. */
@NullMarked
package dev.weft.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
