package dev.weft.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.testsupport.PrivatePostgres;
import org.junit.jupiter.api.Test;

/**
 * The soak in short (about two minutes, PostgreSQL), in every build: three engine JVMs, a node
 * killed every 20 s, the database crashed every 40 s, a node partitioned every 30 s for longer than
 * its lease, 900 runs at 10 a second. The full soak runs only through its own command
 * (docs/reliability.md).
 */
class ShortSoakIntegrationTests {

    @Test
    void nothingIsLostStuckRepeatedOrOverlappedWhileNodesAreKilledAndPartitionedAndTheDatabaseCrashes() throws Exception {
        // CI machines have what a private PostgreSQL needs: there the soak must run, never be skipped
        assumeTrue(System.getenv("CI") != null || PrivatePostgres.isAvailable(),
                "needs root and PostgreSQL 15's binaries (WEFT_PG_BIN) for a private server");
        SoakSettings settings = SoakSettings.ci();

        SoakReport report = new SoakRunner(settings, System.out).run();

        assertThat(report.kills()).as("node kills").isPositive();
        assertThat(report.databaseRestarts()).as("database restarts").isPositive();
        assertThat(report.partitions()).as("partitions").isPositive();
        assertThat(report.verdict().acknowledged()).isEqualTo(settings.runs());
        assertThat(report.verdict().timersChecked()).as("sleeps the timer check saw").isEqualTo(settings.runs());
        assertThat(report.verdict().violations()).as(report.format()).isZero();
        assertThat(report.verdict().completed()).isEqualTo(settings.runs());
    }
}
