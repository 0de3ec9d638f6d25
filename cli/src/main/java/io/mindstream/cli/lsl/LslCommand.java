package io.mindstream.cli.lsl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mindstream lsl}: check a lab's Lab Streaming Layer streams without Python (lsl4j, wire-compatible with liblsl). */
@Command(name = "lsl", mixinStandardHelpOptions = true,
        description = "Lab Streaming Layer tools: list streams, show a stream's info, send a synthetic stream, receive one.",
        subcommands = {LslListCommand.class, LslInfoCommand.class, LslSendCommand.class, LslReceiveCommand.class})
public final class LslCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
