package io.mindstream.cli.demo;

import io.mindstream.cli.Mindstream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mindstream demo}'s options: bad values are a one-line error plus usage and exit code 2. */
class DemoCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Mindstream.newCommandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void badValuesExitWithTwoBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "demo", "--speed", "0"));
        assertTrue(err.toString().contains("--speed must be in (0, 100]"), err.toString());
        assertEquals(2, run(new StringWriter(), "demo", "--port", "99999"));
        assertEquals(2, run(new StringWriter(), "demo", "--duration", "-1"));
        assertEquals(2, run(new StringWriter(), "demo", "--bootstrap-servers", "no-port-here"));
    }

    @Test
    void helpDescribesTheDemo() {
        StringWriter out = new StringWriter();
        CommandLine cl = Mindstream.newCommandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("demo", "--help"));
        assertTrue(out.toString().contains("simulated subject"));
        assertTrue(out.toString().contains("--port"));
    }
}
