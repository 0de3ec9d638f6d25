package io.mindstream.display;

import com.fasterxml.jackson.databind.JsonNode;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.browser.HeadlessChromium;
import io.mindstream.kafka.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The display fed through a real embedded Kafka broker: decode results produced to {@code results} (contracts serde)
 * reach a WebSocket client, an undecodable record is skipped, raw MEG and markers become stream health and the
 * butterfly plot; then a real headless Chromium loads the page, shows the stimulus and the retrieved thumbnails and
 * acknowledges rendering (the server records RENDERED). Leaves target/screenshots/display-page.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaFedPageTest {

    @TempDir
    static Path tmp;

    private static EmbeddedKafka broker;
    private static DisplayService display;
    private static KafkaProducer<String, byte[]> producer;
    private static final List<DisplayHub.RenderedTrace> rendered = new CopyOnWriteArrayList<>();
    private static final String SESSION = "display-test-" + ProcessHandle.current().pid();
    private static HeadlessChromium browser;
    private static io.mindstream.runtime.metrics.StageMetrics metrics;
    private static BankCatalog bank;
    private static DisplayConfig cfg;
    private static long megSeq;
    private static long resultNo;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(tmp.resolve("kafka")));
        broker.createTopics(Topics.all(1, Duration.ofHours(1), Duration.ofHours(1)));
        bank = Fixtures.bank(tmp.resolve("bank"), 40);
        cfg = DisplayConfig.defaults().withPort(0).withBankDir(bank.dir()).withHealthPeriodMs(300);
        display = DisplayService.start(cfg, bank, broker.bootstrapServers(), SESSION, true);
        display.hub().addTraceListener(rendered::add);
        metrics = new io.mindstream.runtime.metrics.StageMetrics("display").bind(display);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (metrics != null) {
            metrics.close();
        }
        if (display != null) {
            display.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static <T> void send(String topic, Serializer<T> ser, T value) throws Exception {
        producer.send(new ProducerRecord<>(topic, SESSION, ser.serialize(topic, value))).get(10, TimeUnit.SECONDS);
    }

    private static DecodeResult nextResult() {
        long n = resultNo++;
        String truth = Fixtures.imageId((int) (n % 40));
        List<String> top = n % 3 == 0
                ? List.of(truth, Fixtures.imageId((int) n + 1), Fixtures.imageId((int) n + 2),
                Fixtures.imageId((int) n + 3), Fixtures.imageId((int) n + 4))
                : List.of(Fixtures.imageId((int) n + 7), Fixtures.imageId((int) n + 8), truth,
                Fixtures.imageId((int) n + 9), Fixtures.imageId((int) n + 10));
        DecodeResult r = Fixtures.result(SESSION, n, truth, top);
        return new DecodeResult(SESSION, r.epochId(), r.trigger(), r.embedding(), r.topK(), r.modelId(),
                r.qualityFlags(), r.trace());
    }

    /** 100 ms of 272-channel MEG at 1200 Hz and, every 10th call, a marker. */
    private static void sendRaw() throws Exception {
        SampleChunk c = Fixtures.megChunk("sim-meg", megSeq, 120, 272, 1200.0);
        send(Topics.rawTopic(StreamKind.MEG), ContractSerdes.sampleChunk().serializer(),
                new SampleChunk(SESSION, c.streamId(), c.kind(), c.format(), c.totalChannels(), 0,
                        c.channelCount(), c.nominalRate(), c.firstSequence(), c.lostBefore(), c.timestamps(), c.values(), c.trace()));
        if (megSeq % 1200 == 0) {
            long now = TraceStamps.nowMicros();
            send(Topics.MARKERS, ContractSerdes.marker().serializer(), new Marker(SESSION, "sim-markers",
                    megSeq / 1200, 1000 + megSeq / 1200.0, "onset image=img_0001 trial=1 split=test", null,
                    "img_0001", TraceStamps.empty().with(Stage.ACQUIRED, now)));
        }
        megSeq += 120;
    }

    @Test
    @Order(1)
    void resultsProducedToKafkaReachAPageAndBadRecordsAreSkipped() throws Exception {
        try (WsClient page = WsClient.connect(display.server().port(), null)) {
            page.next("hello");
            // an undecodable record in front of a good one: skipped, counted, the good one still arrives
            producer.send(new ProducerRecord<>(Topics.RESULTS, SESSION, new byte[]{1, 2, 3})).get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode got = null;
            DecodeResult sent = nextResult();
            // the feed may still be assigning partitions: resend until one arrives
            while (got == null && System.nanoTime() < deadline) {
                send(Topics.RESULTS, ContractSerdes.decodeResult().serializer(), sent);
                JsonNode m;
                while ((m = page.messages.poll(1, TimeUnit.SECONDS)) != null) {
                    if (m.path("type").asText().equals("result")) {
                        got = m;
                        break;
                    }
                }
            }
            assertTrue(got != null, "a result produced to Kafka reached the page");
            assertEquals(sent.epochId(), got.path("epochId").asText());
            assertEquals(SESSION, got.path("session").asText());
            assertTrue(got.path("trace").get(Stage.PUSHED.ordinal()).asLong() >= sent.trace().get(Stage.DECODED));
            assertEquals(1, display.badRecords());

            // a result of another session is filtered out (--session)
            DecodeResult other = Fixtures.result("someone-else", 99, Fixtures.imageId(1), List.of(Fixtures.imageId(1)));
            send(Topics.RESULTS, ContractSerdes.decodeResult().serializer(), other);
            DecodeResult next = nextResult();
            send(Topics.RESULTS, ContractSerdes.decodeResult().serializer(), next);
            assertEquals(next.epochId(), page.next("result").path("epochId").asText());
            for (int i = 0; i < 12; i++) {
                sendRaw();
            }

            JsonNode health = null;
            JsonNode megFrame = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((health == null || !health.toString().contains("\"samples\":1440") || megFrame == null)
                    && System.nanoTime() < until) {
                JsonNode m = page.messages.poll(1, TimeUnit.SECONDS);
                if (m != null && m.path("type").asText().equals("health")) {
                    health = m;
                } else if (m != null && m.path("type").asText().equals("meg")) {
                    megFrame = m;
                }
            }
            assertTrue(megFrame != null, "MEG snippets pushed");
            assertEquals(272, megFrame.path("channels").asInt());
            assertTrue(health != null, "health pushed");
            JsonNode meg = null;
            for (JsonNode s : health.path("streams")) {
                if (s.path("kind").asText().equals("MEG")) {
                    meg = s;
                }
            }
            assertTrue(meg != null, health.toString());
            assertEquals("sim-meg", meg.path("stream").asText());
            assertEquals(272, meg.path("channels").asInt());
            assertEquals(1200.0, meg.path("nominalRate").asDouble());
            assertEquals(0, meg.path("gaps").asLong());
            assertEquals(12 * 120, meg.path("samples").asLong());

            // the metrics endpoint serves the numbers of the report the page got (no raw sent since: they stay)
            String scraped = metrics.scrape();
            for (String field : List.of("records", "samples", "gaps")) {
                assertEquals(meg.path(field).asDouble(), scrapedValue(scraped, "mindstream_display_stream_" + field
                        + "_total", "sim-meg"), field + " on /metrics and on the page");
            }
            assertTrue(scrapedValue(scraped, "mindstream_display_stream_rate_hertz", "sim-meg") > 0, scraped);
        }
    }

    /** The value of {@code name}'s series for {@code stream} in Prometheus text; fails when there is none. */
    private static double scrapedValue(String text, String name, String stream) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("stream=\"" + stream + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " for " + stream + " in:\n" + text);
    }

    @Test
    @Order(2)
    void chromiumShowsResultsImagesAndAcknowledgesRendering() throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium: install the Debian packages chromium and "
                + "chromium-driver to run the browser test");
        browser = HeadlessChromium.launch(chromium, 1440, 1200);
        browser.navigate(display.url());
        assertTrue(browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(20)),
                "page connected");
        for (int i = 0; i < 24; i++) {
            sendRaw();
        }
        String last = null;
        for (int n = 0; n < 12; n++) {
            DecodeResult r = nextResult();
            last = r.epochId();
            send(Topics.RESULTS, ContractSerdes.decodeResult().serializer(), r);
            sendRaw();
            Thread.sleep(50);
        }
        assertTrue(browser.waitFor("window.mindstream.lastEpochId === '" + last + "'", Duration.ofSeconds(20)),
                "all results received");
        String imagesShown = "(() => { const imgs = [...document.querySelectorAll('#matches img'),"
                + " document.getElementById('stim-img')];"
                + " return imgs.length === 6 && imgs.every(i => i.complete && i.naturalWidth > 0); })()";
        assertTrue(browser.waitFor(imagesShown, Duration.ofSeconds(20)), "stimulus and top-5 thumbnails shown");
        assertTrue(browser.waitFor("window.mindstream.acked >= 1 && window.mindstream.megFrames > 0"
                        + " && document.querySelectorAll('#streams tr td').length > 1", Duration.ofSeconds(20)),
                "render acknowledged, MEG plotted, health shown");
        Thread.sleep(400);                   // one more health report so the screenshot shows rates

        long n = resultNo - 1;
        JsonNode text = browser.evaluate("({stim: document.getElementById('stim-id').textContent,"
                + " first: document.querySelector('#matches li .id').textContent,"
                + " chance: document.getElementById('chance1-txt').textContent,"
                + " history: document.querySelectorAll('#history li').length})");
        assertEquals(Fixtures.imageId((int) (n % 40)), text.path("stim").asText());
        assertEquals(Fixtures.imageId((int) n + (n % 3 == 0 ? 0 : 7)), text.path("first").asText());
        assertEquals("chance 2.5%", text.path("chance").asText());
        assertEquals(12, text.path("history").asInt());

        // the bank groups its images into concepts: a retrieved image of the stimulus's concept is marked as such,
        // the stimulus itself as the hit, the others not at all
        DecodeResult nearMisses = Fixtures.result(SESSION, 10_000, Fixtures.imageId(8), List.of(Fixtures.imageId(9),
                Fixtures.imageId(12), Fixtures.imageId(8), Fixtures.imageId(10), Fixtures.imageId(1)));
        send(Topics.RESULTS, ContractSerdes.decodeResult().serializer(), nearMisses);
        assertTrue(browser.waitFor("window.mindstream.lastEpochId === '" + nearMisses.epochId() + "'",
                Duration.ofSeconds(20)), "the near-miss result received");
        JsonNode marks = browser.evaluate("[...document.querySelectorAll('#matches li')].map(li => li.className"
                + " + '|' + li.querySelector('.id').textContent)");
        assertEquals(List.of("same-concept|img_0009 · same concept", "|img_0012", "hit|img_0008",
                "same-concept|img_0010 · same concept", "|img_0001"),
                java.util.stream.StreamSupport.stream(marks.spliterator(), false).map(JsonNode::asText).toList());

        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Files.write(shots.resolve("display-page.png"), browser.screenshot());

        assertTrue(!rendered.isEmpty(), "server recorded RENDERED");
        DisplayHub.RenderedTrace t = rendered.get(rendered.size() - 1);
        assertTrue(t.trace().has(Stage.RENDERED) && t.trace().has(Stage.PUSHED));
        assertTrue(t.trace().get(Stage.RENDERED) >= t.trace().get(Stage.PUSHED) - 5_000,
                "render after push (allowing for the estimated browser clock offset)");
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    @Order(3)
    void pageReconnectsWhenTheServerComesBack() throws Exception {
        assumeTrue(browser != null, "needs the browser of the previous test");
        int port = display.server().port();
        display.close();
        display = null;
        assertTrue(browser.waitFor("!window.mindstream.connected"
                + " && document.getElementById('status').textContent.includes('retrying')", Duration.ofSeconds(15)),
                "page shows it lost the server");
        try (DisplayServer again = DisplayServer.start(cfg.withPort(port), bank)) {
            assertTrue(browser.waitFor("window.mindstream.connected", Duration.ofSeconds(20)), "page reconnected");
            DecodeResult r = nextResult();
            again.hub().publishResult(r);
            assertTrue(browser.waitFor("window.mindstream.lastEpochId === '" + r.epochId() + "'",
                    Duration.ofSeconds(20)), "results flow again after the reconnect");
            assertEquals("● live", browser.evaluate("document.getElementById('status').textContent").asText());
        }
    }
}
