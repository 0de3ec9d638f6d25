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
 * {@code demo --fmri}, for real, with a headless Chromium as the page: the simulated subject's fMRI volumes go over
 * LSL through ingest, the processor and the fMRI decoder (a ridge fitted at start) to the page, whose fMRI view shows
 * the current volume as a slice mosaic, the stimulus one haemodynamic delay earlier beside the decoded images,
 * accuracy against chance and volume → result latency; the MEG view keeps working beside it. Screenshot:
 * cli/target/screenshots/demo-fmri-page.png.
 */
class FmriDemoInBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void theFmriViewShowsTheVolumeAndItsDecodedImages() throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium: install the Debian packages chromium and "
                + "chromium-driver to run the demo browser test");
        try (Demo demo = Demo.start(new Demo.Options(1, 1.0, 75.0, null, tmp.resolve("work"),
                DisplayConfig.defaults().withPort(0), true));
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1600)) {
            browser.navigate(demo.url());
            assertTrue(browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(30)));

            // the mosaic: volumes arrive and are drawn (the 16³ demo volume as 16 slices of 16 × 16, not all black)
            assertTrue(browser.waitFor("window.mindstream.fmriVolumes >= 3", Duration.ofSeconds(60)),
                    "fMRI volumes reach the page");
            JsonNode mosaic = browser.evaluate("(() => { const c = document.getElementById('fmri-mosaic');"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let lit = 0;"
                    + " for (let i = 0; i < d.length; i += 4) if (d[i] > 0) lit++;"
                    + " return {w: c.width, h: c.height, lit: lit}; })()");
            assertEquals(64, mosaic.get("w").asInt(), mosaic.toString());
            assertEquals(64, mosaic.get("h").asInt(), mosaic.toString());
            assertTrue(mosaic.get("lit").asInt() > 64 * 64 / 2, "most voxels drawn: " + mosaic);
            // the stream's description (raw.streams) gives the volume's geometry: its own slices, not an assumed shape
            assertTrue(browser.waitFor("(() => { const t = document.getElementById('fmri-vol-caption').textContent;"
                    + " return t.includes('16 slices of 16×16') && !t.includes('assumed'); })()",
                    Duration.ofSeconds(30)), "the mosaic drawn from the stream's geometry: "
                    + browser.evaluate("document.getElementById('fmri-vol-caption').textContent"));

            // results: decoded images with their stimulus one HRF earlier, accuracy against chance, latency
            String shown = "window.mindstream.fmriResults >= 3 && (() => { const imgs = [...document.querySelectorAll("
                    + "'#fmri-matches img'), document.getElementById('fmri-stim-img')];"
                    + " return imgs.length === 6 && imgs.every(i => i.complete && i.naturalWidth > 0); })()";
            assertTrue(browser.waitFor(shown, Duration.ofSeconds(90)), "fMRI results rendered with their images; "
                    + "page state: " + browser.evaluate("JSON.stringify({volumes: window.mindstream.fmriVolumes, "
                    + "results: window.mindstream.fmriResults, last: window.mindstream.fmriLastEpochId})"));
            assertTrue(browser.waitFor("document.getElementById('fmri-lat').textContent.endsWith(' ms')",
                    Duration.ofSeconds(30)), "volume → result latency shown");
            assertTrue(browser.waitFor("document.getElementById('fmri-acc').textContent.startsWith('top-1')",
                    Duration.ofSeconds(60)), "fMRI accuracy shown once a test stimulus was decoded");
            String chance = browser.evaluate("document.getElementById('fmri-chance').textContent").asText();
            assertTrue(chance.startsWith("chance 0.5% / 2.5%"), "chance among the 200 test images: " + chance);
            assertTrue(browser.evaluate("window.mindstream.fmriLastEpochId").asText().startsWith(demo.session()));

            Thread.sleep(1000);
            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.write(shots.resolve("demo-fmri-page.png"), browser.screenshot());
            assertEquals(List.of(), browser.consoleErrors());
        }
    }
}
