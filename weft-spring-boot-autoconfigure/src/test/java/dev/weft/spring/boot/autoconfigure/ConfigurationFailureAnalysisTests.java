package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A mistake in Weft's settings stops a real application's start with Spring Boot's failure
 * analysis, naming the property, its value and what is expected, before any SQL runs: the report a
 * developer reads, not a stack trace of an SQL syntax error or an enum constant.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFailureAnalysisTests {

    @Test
    void anInitializationModeThatIsNoModeIsAnalysed(CapturedOutput output) {
        startFails("--weft.jdbc.initialize-schema=sometimes");

        assertThat(output).contains("APPLICATION FAILED TO START", "weft.jdbc.initialize-schema", "sometimes",
                "'embedded' (in-memory databases only), 'always' or 'never'").doesNotContain("No enum constant");
    }

    @Test
    void aTablePrefixThatCannotBeWrittenIntoSqlIsAnalysedBeforeTheSchemaScriptRuns(CapturedOutput output) {
        startFails("--weft.jdbc.table-prefix=weft-x");

        assertThat(output).contains("APPLICATION FAILED TO START", "weft.jdbc.table-prefix", "weft-x", "[a-z][a-z0-9_]{0,29}")
                .doesNotContain("Failed to execute SQL script");
    }

    @Test
    void anUnknownPlatformIsAnalysed(CapturedOutput output) {
        startFails("--weft.jdbc.platform=oracle", "--weft.jdbc.initialize-schema=always");

        assertThat(output).contains("APPLICATION FAILED TO START", "weft.jdbc.platform", "oracle",
                "'postgresql', 'mariadb', 'h2'").doesNotContain("No schema scripts found");
    }

    @Test
    void aNegativeStartupWaitIsAnalysed(CapturedOutput output) {
        startFails("--weft.jdbc.startup-wait=-5s");

        assertThat(output).contains("APPLICATION FAILED TO START", "weft.jdbc.startup-wait", "must be zero (try once) or a positive duration");
    }

    @Test
    void aRenewalIntervalNoShorterThanTheLeaseIsAnalysed(CapturedOutput output) {
        startFails("--weft.lease=10s", "--weft.lease-renew-interval=20s");

        assertThat(output).contains("APPLICATION FAILED TO START", "weft.lease-renew-interval", "must be shorter than weft.lease");
    }

    @Test
    void aRetryPolicyWithoutAttemptsIsAnalysed(CapturedOutput output) {
        startFails("--weft.retry.max-attempts=0");

        assertThat(output).contains("APPLICATION FAILED TO START", "weft.retry.maxAttempts", "\"0\"", "must be at least 1");
    }

    private static void startFails(String... settings) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] arguments = new String[settings.length + 1];
        arguments[0] = "--spring.datasource.url=jdbc:h2:mem:analysis" + ThreadLocalRandom.current().nextLong(1L << 40);
        System.arraycopy(settings, 0, arguments, 1, settings.length);
        assertThatThrownBy(() -> application.run(arguments).close()).isInstanceOf(RuntimeException.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }
}
