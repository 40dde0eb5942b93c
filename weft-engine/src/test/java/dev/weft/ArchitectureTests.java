package dev.weft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps Spring out of the kernel: only the JDBC store may use Spring Framework (for JdbcClient and transactions). */
class ArchitectureTests {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft");

    @Test
    void theKernelDoesNotDependOnSpring() {
        noClasses().that().resideInAPackage("dev.weft..").and().resideOutsideOfPackage("dev.weft.store.jdbc..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("only the JDBC store may use Spring Framework; the kernel must run without it")
                .check(ENGINE);
    }

    @Test
    void theStorageSpiDoesNotDependOnItsJdbcImplementation() {
        noClasses().that().resideInAnyPackage("dev.weft", "dev.weft.internal..", "dev.weft.store", "dev.weft.workflow..",
                        "dev.weft.activity..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.store.jdbc..")
                .because("the engine talks to storage only through the WorkflowStore SPI")
                .check(ENGINE);
    }

    @Test
    void theEngineDoesNotDependOnSpringBoot() {
        noClasses().that().resideInAPackage("dev.weft..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework.boot..")
                .check(ENGINE);
    }
}
