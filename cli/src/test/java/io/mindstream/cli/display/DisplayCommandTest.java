package io.mindstream.cli.display;

import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.display.BankCatalog;
import io.mindstream.display.state.RollingAccuracy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    void candidatesRestrictScoringAndChanceAsTheDecoderDoes() throws Exception {
        Path bankDir = tmp.resolve("bank");
        java.nio.file.Files.createDirectories(bankDir);
        List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        new EmbeddingBank(ids, 2, new float[16], ids.stream().map(i -> "thumbs/" + i + ".png").toList(), "m",
                List.of("f", "g", "h")).write(bankDir);
        BankCatalog all = parse("--bank", bankDir.toString()).bankCatalog();
        assertNull(all.candidates());
        BankCatalog test = parse("--bank", bankDir.toString(), "--candidates", "test").bankCatalog();
        assertEquals(Set.of("f", "g", "h"), test.candidates());
        // chance among the 3 test images, not the 8 of the bank: top-1 1/3, top-5 min(5, 3)/3
        RollingAccuracy.Summary chance = new RollingAccuracy(10, test.count(), test.candidates()).summary();
        assertEquals(1.0 / 3, chance.chance1(), 1e-12);
        assertEquals(1.0, chance.chance5(), 1e-12);
        Path list = tmp.resolve("ids.txt");
        java.nio.file.Files.writeString(list, "b\n\n c \n");
        assertEquals(Set.of("b", "c"), parse("--bank", bankDir.toString(), "--candidates", list.toString())
                .bankCatalog().candidates());

        java.nio.file.Files.writeString(list, "b\nnot-there\n");
        Run unknown = run("--bank", bankDir.toString(), "--candidates", list.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'not-there', which is not in the bank"), unknown.err());
        Run neither = run("--bank", bankDir.toString(), "--candidates", "tset");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("not 'all', 'test' or a readable file"), neither.err());
        Path noSplit = tmp.resolve("nosplit");
        new EmbeddingBank(ids, 2, new float[16], ids.stream().map(i -> "thumbs/" + i + ".png").toList(), "m",
                List.of()).write(noSplit);
        Run none = run("--bank", noSplit.toString(), "--candidates", "test");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no test split"), none.err());
    }

    private DisplayCommand parse(String... args) {
        DisplayCommand cmd = new DisplayCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new DisplayCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String o : new String[]{"--host", "--port", "--allow-origin", "--bank", "--candidates",
                "--bootstrap-servers", "--session", "--client-queue"}) {
            assertTrue(out.toString().contains(o), o);
        }
    }
}
