package io.mindstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.mindstream.browser.HeadlessChromium;
import io.mindstream.display.DisplayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code demo --windows}, for real, with a headless Chromium as the page: the processor cuts a 250 ms window of the
 * simulated MEG every 50 ms, the standalone decoder decodes each with the bundled window model, and the page's
 * sliding-window panel shows them live (the latest window's top images, the image on screen, the time course of its
 * score with the onsets marked, accuracy by time since onset), while the epoch results keep their own panels.
 * Screenshot: cli/target/screenshots/demo-windows-page.png.
 */
class WindowsDemoInBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void thePageShowsSlidingWindowDecodingLive() throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium: install the Debian packages chromium and "
                + "chromium-driver to run the demo browser test");
        try (Demo demo = Demo.start(new Demo.Options(1, 1.0, 45.0, null, tmp.resolve("work"),
                DisplayConfig.defaults().withPort(0)).withWindows(true));
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1800)) {
            browser.navigate(demo.url());
            assertTrue(browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(30)));

            // two seconds of windows reach the page and the panel draws the latest one with its images
            String shown = "window.mindstream.windowResults >= 40 && !document.getElementById('win-card').hidden"
                    + " && (() => { const imgs = [...document.querySelectorAll('#win-matches img')];"
                    + " return imgs.length === 5 && imgs.every(i => i.complete && i.naturalWidth > 0); })()";
            assertTrue(browser.waitFor(shown, Duration.ofSeconds(120)), "window results rendered with their images; "
                    + "page state: " + state(browser));
            String last = browser.evaluate("window.mindstream.windowShownEpochId").asText();
            assertTrue(last.startsWith(demo.session() + "/") && last.contains("/window/"), last);
            assertTrue(browser.evaluate("document.getElementById('win-meta').textContent").asText()
                    .startsWith("window-model-demo.onnx@"), "decoded by the window model");

            // the image on screen, and the time course of its score: a line drawn in the course's green
            assertTrue(browser.waitFor("document.getElementById('win-stim-id').textContent !== '–'"
                    + " && document.getElementById('win-since').textContent.includes('ms after its onset')",
                    Duration.ofSeconds(30)), "the image on screen and the time since its onset; " + state(browser));
            // the course grows as windows arrive and is drawn on the next animation frame: wait for it, do not
            // sample it once (a slow runner read it before the first 100 pixels of line were there)
            String green = "(() => { const c = document.getElementById('win-course');"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let green = 0;"
                    + " for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 150 && d[i] < 120 && d[i + 3] > 0) green++;"
                    + " return green; })()";
            assertTrue(browser.waitFor(green + " > 100", Duration.ofSeconds(30)), "the score's time course drawn: "
                    + browser.evaluate(green) + " green pixels; " + state(browser));

            // accuracy by time since onset, once windows of test images (the candidates) have been scored
            assertTrue(browser.waitFor("document.getElementById('win-acc-meta').textContent.includes('windows scored')",
                    Duration.ofSeconds(60)), "accuracy by time since onset; " + state(browser));

            // epoch results go on in their own panels; no window ever enters them
            assertTrue(browser.waitFor("window.mindstream.received >= 2", Duration.ofSeconds(60)), state(browser));
            JsonNode history = browser.evaluate("[...document.querySelectorAll('#history li')].map(li => li.title)");
            assertTrue(history.size() > 0, history.toString());
            history.forEach(t -> assertTrue(!t.asText().contains("/window/"), "a window in the results: " + t));
            assertTrue(!browser.evaluate("window.mindstream.lastEpochId").asText().contains("/window/"));
            // never more frames drawn than windows received: bursts are coalesced into one frame
            assertTrue(browser.evaluate("window.mindstream.windowFramesDrawn <= window.mindstream.windowResults")
                    .asBoolean(), state(browser));

            Thread.sleep(1000);
            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.write(shots.resolve("demo-windows-page.png"), browser.screenshot());
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    private static String state(HeadlessChromium browser) throws Exception {
        return browser.evaluate("JSON.stringify({windows: window.mindstream.windowResults, drawn: "
                + "window.mindstream.windowFramesDrawn, last: window.mindstream.windowLastEpochId, results: "
                + "window.mindstream.received})").asText();
    }
}
