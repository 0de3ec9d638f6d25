package io.mindstream.cli.simulate;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest {

    static int run(StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new SimulateCommand());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void badValuesGiveOneLineErrorAndExitCode2() {
        String[][] bad = {{"--snr", "-1"}, {"--speed", "-2"}, {"--channels", "275"}, {"--trials", "0"},
                {"--duration", "0"}, {"--line-freq", "500"}, {"--voxels", "0"}, {"--chunk", "0"}, {"--snr", "abc"},
                {"--export-pieces", "0"}, {"--withhold", "-1"}, {"--format", "tiff"}};
        for (String[] args : bad) {
            StringWriter err = new StringWriter();
            assertEquals(2, run(err, args), String.join(" ", args));
            assertTrue(err.toString().contains(args[0].substring(2).split("-")[0]) || err.toString().contains("Invalid"),
                    err.toString());
        }
    }

    @Test
    void helpListsTheKnobs() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new SimulateCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String opt : new String[]{"--seed", "--snr", "--line-freq", "--trigger-lag", "--speed", "--duration",
                "--trials", "--fmri", "--out"}) {
            assertTrue(out.toString().contains(opt), opt);
        }
    }

    @Test
    void defaultOutputIsUnderTheDataRootThatMindstreamDataDirSets() {
        Path root = io.mindstream.runtime.DataDirs.root(java.util.Map.of("MINDSTREAM_DATA_DIR", "/srv/lab",
                "XDG_DATA_HOME", "/home/u/.data"), "/home/u");
        assertEquals(Path.of("/srv/lab", "simulations", "seed-42"), SimulateCommand.defaultOut(root, 42));
        Path xdg = io.mindstream.runtime.DataDirs.root(java.util.Map.of("XDG_DATA_HOME", "/home/u/.data"), "/home/u");
        assertEquals(Path.of("/home/u/.data", "mindstream", "simulations", "seed-42"),
                SimulateCommand.defaultOut(xdg, 42));
    }
}
