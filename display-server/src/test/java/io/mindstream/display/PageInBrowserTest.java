package io.mindstream.display;

import com.fasterxml.jackson.databind.JsonNode;
import io.mindstream.contracts.Stage;
import io.mindstream.display.browser.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real headless Chromium loads the page from a running display server, receives decode results, shows the
 * stimulus and the retrieved thumbnails, plots MEG, and acknowledges rendering (the server records RENDERED).
 * Leaves a screenshot in target/screenshots/.
 */
class PageInBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void pageShowsResultsImagesAndAcknowledgesRendering() throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium: install the Debian packages chromium and "
                + "chromium-driver to run the browser tests");
        BankCatalog bank = Fixtures.bank(tmp.resolve("bank"), 40);
        DisplayConfig cfg = DisplayConfig.defaults().withPort(0).withBankDir(bank.dir()).withHealthPeriodMs(300);
        List<DisplayHub.RenderedTrace> rendered = new CopyOnWriteArrayList<>();
        try (DisplayServer server = DisplayServer.start(cfg, bank);
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1100)) {
            server.hub().addTraceListener(rendered::add);
            browser.navigate(server.url());
            assertTrue(browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(20)),
                    "page connected");

            long seq = 0;
            for (int i = 0; i < 24; i++) {      // 2.4 s of 272-channel MEG at 1200 Hz in 100 ms chunks
                server.hub().acceptChunk(Fixtures.megChunk("sim-meg", seq, 120, 272, 1200.0));
                seq += 120;
            }
            for (int n = 0; n < 12; n++) {
                String truth = Fixtures.imageId(n % 40);
                List<String> top = n % 3 == 0
                        ? List.of(truth, Fixtures.imageId(n + 1), Fixtures.imageId(n + 2), Fixtures.imageId(n + 3),
                        Fixtures.imageId(n + 4))
                        : List.of(Fixtures.imageId(n + 7), Fixtures.imageId(n + 8), truth, Fixtures.imageId(n + 9),
                        Fixtures.imageId(n + 10));
                server.hub().publishResult(Fixtures.result("s1", n, truth, top));
                Thread.sleep(60);
            }
            String imagesShown = "(() => { const imgs = [...document.querySelectorAll('#matches img'),"
                    + " document.getElementById('stim-img')];"
                    + " return imgs.length === 6 && imgs.every(i => i.complete && i.naturalWidth > 0); })()";
            assertTrue(browser.waitFor("window.mindstream.lastSeq === 11", Duration.ofSeconds(20)),
                    "all results received");
            assertTrue(browser.waitFor(imagesShown, Duration.ofSeconds(20)), "stimulus and top-5 thumbnails shown");
            assertTrue(browser.waitFor("window.mindstream.acked >= 1 && window.mindstream.megFrames > 0"
                    + " && document.querySelectorAll('#streams tr td').length > 1", Duration.ofSeconds(20)),
                    "render acknowledged, MEG plotted, health shown");
            Thread.sleep(400);                   // one more health report so the screenshot shows rates

            JsonNode text = browser.evaluate("({stim: document.getElementById('stim-id').textContent,"
                    + " first: document.querySelector('#matches li .id').textContent,"
                    + " acc: document.getElementById('chance1-txt').textContent,"
                    + " history: document.querySelectorAll('#history li').length})");
            assertEquals(Fixtures.imageId(11), text.path("stim").asText());
            assertEquals(Fixtures.imageId(18), text.path("first").asText());
            assertEquals("chance 2.5%", text.path("acc").asText());
            assertEquals(12, text.path("history").asInt());

            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.write(shots.resolve("display-page.png"), browser.screenshot());

            assertTrue(browser.waitFor("true", Duration.ofMillis(1)));
            assertTrue(!rendered.isEmpty(), "server recorded RENDERED");
            DisplayHub.RenderedTrace t = rendered.get(rendered.size() - 1);
            assertTrue(t.trace().has(Stage.RENDERED) && t.trace().has(Stage.PUSHED));
            assertTrue(t.trace().get(Stage.RENDERED) >= t.trace().get(Stage.PUSHED) - 5_000,
                    "render after push (allowing for the estimated browser clock offset)");
            assertEquals(List.of(), browser.consoleErrors());
        }
    }
}
