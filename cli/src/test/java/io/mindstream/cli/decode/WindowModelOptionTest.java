package io.mindstream.cli.decode;

import io.mindstream.decoder.model.Models;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code decode --window-model}: a decoder that reads MEG/EEG windows loads the window model beside --model. */
class WindowModelOptionTest {

    private static DecodeCommand parse(String... args) {
        DecodeCommand decode = new DecodeCommand();
        new CommandLine(decode).parseArgs(args);
        return decode;
    }

    @Test
    void theWindowsTopicBringsTheBundledWindowModelUnlessToldOtherwise() {
        assertEquals(Path.of(Models.WINDOW_DEMO),
                parse("--model", "demo", "--bank", "b", "--topic", "epochs,windows").config().windowModel());
        assertEquals(null, parse("--model", "demo", "--bank", "b").config().windowModel(), "epochs only");
        assertEquals(null, parse("--model", "fmri-demo", "--bank", "b", "--topic", "epochs,windows",
                "--stream-kind", "FMRI").config().windowModel(), "fMRI TR windows go to the fMRI model");
        assertEquals(Path.of("w.onnx"), parse("--model", "demo", "--bank", "b", "--topic", "windows",
                "--window-model", "w.onnx").config().windowModel());
        assertEquals(null, parse("--model", "demo", "--bank", "b", "--topic", "windows", "--window-model", "none")
                .config().windowModel());
    }
}
