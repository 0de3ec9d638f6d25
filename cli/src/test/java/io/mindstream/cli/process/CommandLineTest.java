package io.mindstream.cli.process;

import io.mindstream.cli.process.EpochsCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options of ./mindstream process and ./mindstream epochs: help, and one-line errors with exit code 2. */
class CommandLineTest {

    static String[] run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[]{Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void helpDescribesTheOptionsAndDefaults() {
        String[] r = run(new ProcessCommand(), "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("--exactly-once") && r[1].contains("--windows") && r[1].contains("default: 0.1:40"),
                r[1]);
        r = run(new EpochsCommand(), "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("--export") && r[1].contains("--compare"), r[1]);
    }

    @Test
    void badValuesAreUsageErrors() {
        String[] r = run(new ProcessCommand(), "--band", "forty", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--band"), r[2]);
        r = run(new ProcessCommand(), "--epoch", "onset:1.0:0.5", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("tmin < tmax"), r[2]);
        r = run(new EpochsCommand(), "--export", "x");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--offline"), r[2]);
    }

    @Test
    void theFastPathsOptionsAreTheDecodersWithTheirDefaults() {
        String[] r = run(new ProcessCommand(), "--help");
        assertEquals("0", r[0]);
        for (String option : new String[]{"--decode", "--model", "--bank", "--candidates", "--top-k", "--stream-kind",
                "--lsl-name", "--lsl-format", "--no-lsl", "--device"}) {
            assertTrue(r[1].contains(option), option + " in\n" + r[1]);
        }
        // the defaults shown are DecoderConfig's (no restated strings)
        assertTrue(r[1].contains("Default: " + io.mindstream.decoder.DecoderConfig.Lsl.DEFAULT.name()), r[1]);
    }

    @Test
    void decodeWithoutAModelOrAModelWithoutDecodeAreUsageErrors() {
        String[] r = run(new ProcessCommand(), "--decode", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--decode needs --model and --bank"), r[2]);
        r = run(new ProcessCommand(), "--model", "demo", "--bank", "b", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("add --decode"), r[2]);
    }

    @Test
    void theFastPathsOptionsMakeTheDecoderConfiguration() {
        ProcessCommand command = new ProcessCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs("--decode", "--model", "demo", "--bank", "bank-dir", "--top-k", "3", "--candidates", "test",
                "--stream-kind", "FMRI", "--lsl-name", "loop", "--lsl-format", "EMBEDDING");
        io.mindstream.decoder.DecoderConfig c = command.fastPath.toConfig(cl);
        assertEquals(java.nio.file.Path.of("demo"), c.model());
        assertEquals(java.nio.file.Path.of("bank-dir"), c.bank());
        assertEquals(3, c.topK());
        assertEquals("test", c.candidates());
        assertEquals(java.util.Set.of(io.mindstream.contracts.StreamKind.FMRI), c.streamKinds());
        assertEquals(new io.mindstream.decoder.DecoderConfig.Lsl("loop",
                io.mindstream.decoder.output.LslOutletFormat.EMBEDDING), c.lsl());
        // what was not given is the standalone decoder's default
        io.mindstream.decoder.DecoderConfig defaults = io.mindstream.decoder.DecoderConfig.defaults(
                java.nio.file.Path.of("demo"), java.nio.file.Path.of("bank-dir"));
        assertEquals(defaults.engine(), c.engine());
        assertEquals(defaults.rollingWindow(), c.rollingWindow());

        command = new ProcessCommand();
        cl = new CommandLine(command);
        cl.parseArgs("--decode", "--model", "demo", "--bank", "b", "--no-lsl");
        assertEquals(null, command.fastPath.toConfig(cl).lsl());
        command = new ProcessCommand();
        cl = new CommandLine(command);
        cl.parseArgs();
        assertEquals(null, command.fastPath.toConfig(cl), "no --decode: no fast path");
    }

    @Test
    void windowsAreDecodedByTheWindowModelUnlessToldOtherwise() {
        java.nio.file.Path bundled = java.nio.file.Path.of(io.mindstream.decoder.model.Models.WINDOW_DEMO);
        ProcessCommand command = new ProcessCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs("--decode", "--model", "demo", "--bank", "b", "--windows");
        assertEquals(bundled, command.fastPath.toConfig(cl, true).windowModel(), "--windows: the bundled one");
        assertEquals(null, command.fastPath.toConfig(cl, false).windowModel(), "no windows cut: no window model");

        command = new ProcessCommand();
        cl = new CommandLine(command);
        cl.parseArgs("--decode", "--model", "demo", "--bank", "b", "--windows", "--window-model", "w.onnx");
        assertEquals(java.nio.file.Path.of("w.onnx"), command.fastPath.toConfig(cl, true).windowModel());
        command = new ProcessCommand();
        cl = new CommandLine(command);
        cl.parseArgs("--decode", "--model", "demo", "--bank", "b", "--windows", "--window-model", "none");
        assertEquals(null, command.fastPath.toConfig(cl, true).windowModel(), "none: windows go to --model");
        command = new ProcessCommand();
        cl = new CommandLine(command);
        cl.parseArgs("--decode", "--model", "fmri-demo", "--bank", "b", "--windows", "--stream-kind", "FMRI");
        assertEquals(null, command.fastPath.toConfig(cl, true).windowModel(), "an fMRI decoder takes no MEG window");
    }
}
