package io.mindstream.display;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad option values are one line of error plus usage and exit code 2, before anything starts. */
class DisplayCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String err) {
    }

    private Run run(String... args) {
        CommandLine cl = new CommandLine(new DisplayCommand());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 2;
        });
        return new Run(cl.execute(args), err.toString());
    }

    @Test
    void rejectsBadValuesWithExitCodeTwo() {
        Run port = run("--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("port must be in 0..65535"), port.err());
        Run origin = run("--allow-origin", "evil.example/path");
        assertEquals(2, origin.code());
        assertTrue(origin.err().contains("--allow-origin wants scheme://host[:port]"), origin.err());
        Run bank = run("--bank", tmp.resolve("missing").toString());
        assertEquals(2, bank.code());
        assertTrue(bank.err().contains("not a readable embedding bank"), bank.err());
        assertEquals(2, run("--plot-rate", "-5").code());
        assertEquals(2, run("--client-queue", "0").code());
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new DisplayCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String o : new String[]{"--host", "--port", "--allow-origin", "--bank", "--bootstrap-servers",
                "--session", "--client-queue"}) {
            assertTrue(out.toString().contains(o), o);
        }
    }
}
