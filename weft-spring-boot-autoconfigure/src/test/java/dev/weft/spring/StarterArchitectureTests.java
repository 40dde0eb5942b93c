package dev.weft.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way in the Spring layer: the web API, the Actuator endpoint and health read and act
 * through the engine's public API, never through the storage SPI or the kernel.
 */
class StarterArchitectureTests {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft.spring");

    @Test
    void webAndActuatorCodeNeverReachTheStore() {
        noClasses().that().resideInAnyPackage("dev.weft.spring.web..", "dev.weft.spring.boot.actuate..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.store..")
                .because("readers go through the engine's read API (API -> engine -> store)")
                .check(STARTER);
    }

    @Test
    void nothingInTheSpringLayerReachesTheKernel() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.weft.internal..")
                .because("the kernel is not API")
                .check(STARTER);
    }

    @Test
    void mainCodeTellsTimeOnlyThroughTheTimeSource() {
        noClasses().should().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", Duration.class)
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .because("time comes from the engine's TimeSource")
                .check(STARTER);
    }
}
