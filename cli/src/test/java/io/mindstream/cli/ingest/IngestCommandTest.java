package io.mindstream.cli.ingest;

import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.scanner.ScannerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.*;

class IngestCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cl = IngestCommand.commandLine(new IngestCommand());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void badValuesAreOneLineErrorsWithExitCodeTwo() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--no-kafka", "--roll-cycle", "fortnightly", "--duration", "1s"));
        assertTrue(err.toString().startsWith("error: unknown roll cycle 'fortnightly'"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(err2, "--no-kafka", "--stats-interval", "soon"));
        assertTrue(err2.toString().contains("'soon' is not a duration"), err2.toString());
        StringWriter err3 = new StringWriter();
        assertEquals(2, run(err3, "--type-kind", "NIRS=LIGHT"));
        assertTrue(err3.toString().startsWith("error:"), err3.toString());
    }

    @Test
    void optionsBecomeTheTypedConfiguration() {
        IngestCommand cmd = new IngestCommand();
        IngestCommand.commandLine(cmd).parseArgs("--subject", "s07", "--type", "MEG,Markers", "--source-id", "a",
                "--type-kind", "NIRS=other", "--chunk-ms", "20", "--keep-cycles", "3", "--stats-interval", "5s",
                "--journal-dir", "/tmp/j");
        IngestConfig c = cmd.config("127.0.0.1:1");
        assertEquals("s07_" + LocalDate.now().format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE), c.session());
        assertTrue(c.selector().matches("x", "meg", "zz", c.kinds(), false));
        assertTrue(c.selector().matches("x", "EEG", "a", c.kinds(), false));
        assertFalse(c.selector().matches("x", "EEG", "b", c.kinds(), false));
        assertEquals(StreamKind.OTHER, c.kinds().kindOf("nirs", false));
        assertEquals(StreamKind.FMRI, c.kinds().kindOf("BOLD", false));
        assertEquals(StreamKind.MARKER, c.kinds().kindOf("anything", true));
        assertEquals(0.020, c.chunking().spanSeconds());
        assertEquals(3, c.journal().keepCycles());
        assertEquals(Duration.ofSeconds(5), c.statsInterval());
        assertEquals("127.0.0.1:1", c.forwarder().bootstrapServers());
    }

    @Test
    void scannerOptionsBecomeTheScannerConfigurationWithItsDefaults() {
        IngestCommand none = new IngestCommand();
        IngestCommand.commandLine(none).parseArgs("--journal-dir", "/tmp/j");
        assertNull(none.config(null).scanner(), "no --scanner-dir: LSL only");

        IngestCommand plain = new IngestCommand();
        IngestCommand.commandLine(plain).parseArgs("--scanner-dir", "/rt/export", "--journal-dir", "/tmp/j");
        ScannerConfig d = plain.config(null).scanner();
        assertEquals(ScannerConfig.defaults(java.nio.file.Path.of("/rt/export")), d);
        assertTrue(Double.isNaN(d.trSeconds()), "TR from the headers");

        IngestCommand cmd = new IngestCommand();
        IngestCommand.commandLine(cmd).parseArgs("--scanner-dir", "/rt/export", "--scanner-stream", "prisma",
                "--tr", "1.5", "--slices", "36", "--reorder-wait", "3s", "--incomplete-timeout", "1m",
                "--journal-dir", "/tmp/j");
        ScannerConfig s = cmd.config(null).scanner();
        assertEquals(new ScannerConfig(java.nio.file.Path.of("/rt/export"), "prisma", 1.5, ScannerConfig.DEFAULT_POLL,
                Duration.ofSeconds(3), Duration.ofMinutes(1), 36), s);

        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--no-kafka", "--scanner-dir", "/rt", "--tr", "-1"));
        assertTrue(err.toString().startsWith("error: TR must be > 0 s"), err.toString());
    }
}
