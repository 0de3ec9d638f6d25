package io.mindstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.mindstream.contracts.Stage;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayHub;
import io.mindstream.browser.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo, for real: broker, simulated subject on LSL, ingest, processor, decoder with the bundled model and
 * display, with a headless Chromium as the page. Decoded images arrive with every stage of their trace stamped;
 * then the demo stops and leaves no thread behind. Screenshot: cli/target/screenshots/demo-page.png.
 */
class DemoInBrowserTest {

    @TempDir
    Path tmp;

    private static final Set<String> DEMO_THREADS = Set.of("demo-simulation", "demo-decoder", "display-results",
            "display-raw", "display-streams", "display-health");

    @Test
    void decodedImagesArriveInTheBrowserWithTheirLatencies() throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium: install the Debian packages chromium and "
                + "chromium-driver to run the demo browser test");
        List<DisplayHub.RenderedTrace> traces = new CopyOnWriteArrayList<>();
        try (Demo demo = Demo.start(new Demo.Options(1, 1.0, 60.0, null, tmp.resolve("work"),
                DisplayConfig.defaults().withPort(0)));
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1100)) {
            demo.display().hub().addTraceListener(traces::add);
            browser.navigate(demo.url());
            assertTrue(browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(30)));
            String shown = "window.mindstream.acked >= 3 && (() => { const imgs = [...document.querySelectorAll("
                    + "'#matches img'), document.getElementById('stim-img')];"
                    + " return imgs.length === 6 && imgs.every(i => i.complete && i.naturalWidth > 0); })()";
            assertTrue(browser.waitFor(shown, Duration.ofSeconds(150)),
                    "three decoded results rendered with their images; page state: "
                            + browser.evaluate("JSON.stringify({received: window.mindstream.received, acked: "
                            + "window.mindstream.acked, meg: window.mindstream.megFrames})"));
            assertTrue(browser.waitFor("document.querySelectorAll('#streams tr td').length > 1",
                    Duration.ofSeconds(10)), "stream health shown");
            Thread.sleep(1500);
            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.write(shots.resolve("demo-page.png"), browser.screenshot());

            DisplayHub.RenderedTrace t = traces.get(traces.size() - 1);
            for (Stage s : Stage.values()) {
                assertTrue(t.trace().has(s), "stage " + s + " stamped in " + t.trace());
            }
            assertEquals(demo.session(), t.session());
            JsonNode stim = browser.evaluate("document.getElementById('stim-id').textContent");
            assertTrue(stim.asText().startsWith("img") || !stim.asText().isBlank(), stim.toString());
            assertEquals(List.of(), browser.consoleErrors());
        }
        // everything stopped: no stage's thread outlives the demo
        Thread.sleep(500);
        List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(DEMO_THREADS::contains).toList();
        assertEquals(List.of(), left, "threads left running after close");
    }
}
