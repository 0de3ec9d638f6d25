package io.mindstream.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared command-line behaviour: bad input is one line of error, then usage, exit code 2. */
class MindstreamCliTest {

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        CommandLine cl = Mindstream.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--no-such-option",
            "no-such-command",
            "kafka --port abc",
            "kafka --port 70000",
            "kafka --partitions 0",
            "kafka --retention soon",
            "kafka --retention 0s",
            "kafka --unknown",
            "topics --bootstrap-servers localhost",
            "topics --bootstrap-servers host:notaport",
    })
    void badArgumentsGiveOneLineErrorThenUsageAndExitCode2(String line) {
        Run r = run(line.split(" "));
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.errLines();
        assertTrue(lines.get(0).startsWith("error: "), r.err());
        assertTrue(lines.get(1).startsWith("Usage: mindstream"), "second line must start the usage:\n" + r.err());
        assertEquals("", r.out(), "nothing on stdout");
    }

    /** Every command path registered in Mindstream, subcommands of subcommands included ("lsl list", ...). */
    static java.util.stream.Stream<String> commandPaths() {
        List<String> paths = new java.util.ArrayList<>();
        collect(Mindstream.newCommandLine(), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            String path = (prefix + " " + name).trim();
            out.add(path);
            collect(sub, path, out);
        });
    }

    /** The shared contract holds for every team's command, not only ours: --help works, a bad option is exit 2. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("commandPaths")
    void everyRegisteredCommandHasHelpAndRejectsUnknownOptionsWithExitCode2(String path) {
        List<String> words = List.of(path.split(" "));
        List<String> help = new java.util.ArrayList<>(words);
        help.add("--help");
        Run h = run(help.toArray(String[]::new));
        assertEquals(0, h.exit(), path + " --help:\n" + h.err());
        assertTrue(h.out().startsWith("Usage: mindstream " + path), h.out());

        List<String> bad = new java.util.ArrayList<>(words);
        bad.add("--no-such-option-anywhere");
        Run r = run(bad.toArray(String[]::new));
        assertEquals(2, r.exit(), path + ":\n" + r.err());
        // picocli names a missing required option first if there is one; either way it is one line of error
        assertTrue(r.errLines().get(0).matches("error: (Unknown option: '--no-such-option-anywhere'|Missing required .*)"),
                r.err());
        assertTrue(r.errLines().get(1).startsWith("Usage: mindstream " + path), r.err());
    }

    @Test
    void errorNamesTheOptionAndTheValue() {
        Run r = run("kafka", "--port", "abc");
        assertTrue(r.errLines().get(0).contains("--port") && r.errLines().get(0).contains("abc"), r.err());
        Run r2 = run("kafka", "--retention", "soon");
        assertTrue(r2.errLines().get(0).contains("'soon' is not a duration"), r2.err());
    }

    @Test
    void everyCommandHasHelpAndListsItsOptions() {
        Run kafka = run("kafka", "--help");
        assertEquals(0, kafka.exit());
        for (String opt : List.of("--port", "--controller-port", "--data-dir", "--partitions", "--retention")) {
            assertTrue(kafka.out().contains(opt), opt + " missing from:\n" + kafka.out());
        }
        assertTrue(kafka.out().contains("default: 19092"), kafka.out());
        Run topics = run("topics", "--help");
        assertEquals(0, topics.exit());
        for (String opt : List.of("--bootstrap-servers", "--kafka-data-dir", "--create-topics", "--all")) {
            assertTrue(topics.out().contains(opt), opt + " missing from:\n" + topics.out());
        }
        Run top = run("--help");
        assertTrue(top.out().contains("kafka") && top.out().contains("topics") && top.out().contains("version"),
                top.out());
    }

    @Test
    void runtimeFailureIsOneLineAndExitCode1() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Run r = run("topics", "--bootstrap-servers", "127.0.0.1:" + port);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.errLines().get(0).startsWith("error: nothing accepts connections at 127.0.0.1:" + port), r.err());
        assertEquals(1, r.errLines().size(), "no stack trace for an expected failure:\n" + r.err());
    }

    @Test
    void demoHelpStatesItsRealLengthAndDiskUse() throws Exception {
        Run r = run("demo", "--help");
        assertEquals(0, r.exit(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Default: 600"), "a sensible default length, stated: " + help);
        assertTrue(help.contains("about 85 minutes"), "the whole paradigm's real length: " + help);
        assertTrue(help.contains("2.9 MB per session second"), "what it writes: " + help);
        Run bad = run("demo", "--duration", "-5");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.errLines().get(0).contains("--duration must be >= 0"), bad.err());
    }
}
