package dev.weft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weft.failure.WeftException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The shape of the engine, kept by rules: the kernel is reached only through the facade, time only
 * through the time source, failures live in one package. See docs/engine.md, "Architecture".
 */
class EngineArchitectureTests {

    // weft-test-support is main code of its own module on this test classpath, not the engine's
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/dev/weft/testsupport/"))
            .importPackages("dev.weft");

    @Test
    void onlyTheFacadeReachesTheKernel() {
        noClasses().that().resideOutsideOfPackages("dev.weft", "dev.weft.internal..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.internal..")
                .because("the kernel is not API: clients, the store and the Spring layer go through WeftEngine")
                .check(ENGINE);
    }

    @Test
    void theKernelDoesNotReachIntoTheJdbcStore() {
        noClasses().that().resideOutsideOfPackage("dev.weft.store.jdbc..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.store.jdbc..")
                .because("the engine talks to storage only through the storage SPI")
                .check(ENGINE);
    }

    @Test
    void mainCodeTellsTimeOnlyThroughTheTimeSource() {
        noClasses().that().resideOutsideOfPackage("dev.weft.time..")
                .should().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", Duration.class)
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .because("time comes from the injected TimeSource, so that tests move it by hand")
                .check(ENGINE);
    }

    @Test
    void failuresLiveInTheirOwnPackage() {
        classes().that().areAssignableTo(WeftException.class)
                .should().resideInAPackage("dev.weft.failure")
                .because("every exception an application may catch is found in one place, as io.temporal.failure")
                .check(ENGINE);
    }
}
