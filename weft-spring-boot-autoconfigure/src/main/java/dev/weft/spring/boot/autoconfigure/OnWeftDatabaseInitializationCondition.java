package dev.weft.spring.boot.autoconfigure;

import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;

/** Matches unless {@code weft.jdbc.initialize-schema} is {@code never}. */
class OnWeftDatabaseInitializationCondition extends OnDatabaseInitializationCondition {

    OnWeftDatabaseInitializationCondition() {
        super("Weft", "weft.jdbc.initialize-schema");
    }
}
