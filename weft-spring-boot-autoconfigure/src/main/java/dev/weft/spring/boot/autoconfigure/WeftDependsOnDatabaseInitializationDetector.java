package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.store.WorkflowStore;
import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitializationDetector;

/**
 * Tells Spring Boot that the Weft store and engine use the database, so they are created after
 * every database initializer (Flyway, Liquibase, SQL scripts, Weft's own schema).
 */
class WeftDependsOnDatabaseInitializationDetector extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector
        implements DependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(WorkflowStore.class, WeftEngine.class);
    }
}
