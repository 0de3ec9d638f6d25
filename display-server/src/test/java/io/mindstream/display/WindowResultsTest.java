package io.mindstream.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sliding-window results on the display: each goes to the page once as a {@code window} message (never as a
 * {@code result}: the epoch panels, their accuracy and snapshot stay the epochs'), scored against the image on screen
 * at the window's end (the session's last onset), by cosine similarity and rank among the candidates, which feeds
 * the accuracy by time since onset; a late page gets the recent windows in its snapshot.
 */
class WindowResultsTest {

    @TempDir
    Path tmp;

    private static DecodeResult window(String session, long n, double time, float[] embedding) {
        Trigger t = new Trigger(TriggerKind.WINDOW, time, n, null, null, null);
        return new DecodeResult(session, session + "/meg/window/" + n, t, embedding,
                List.of(new Match(Fixtures.imageId(3), 0.5f)), "window-model.onnx", 0, TraceStamps.empty());
    }

    private static List<JsonNode> frames(EmbeddedChannel ch) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = ((TextWebSocketFrame) o).content();
            out.add(json.readTree(b.toString(StandardCharsets.UTF_8)));
            b.release();
        }
        return out;
    }

    @Test
    void windowsAreScoredAgainstTheImageOnScreenAndKeptOutOfTheEpochResults() throws Exception {
        BankCatalog bank = Fixtures.bank(tmp.resolve("bank"), 12);
        DisplayHub hub = new DisplayHub(DisplayConfig.defaults(), bank);
        EmbeddedChannel page = new EmbeddedChannel();
        hub.broadcaster().register(page, hub::hello);
        frames(page); // hello

        // image 3 on screen from t = 10 s; the fixture bank's image i is the unit vector e(i % 8)
        hub.acceptMarker(new Marker("s1", "markers", 1, 10.0, "onset image=" + Fixtures.imageId(3) + " trial=1",
                null, Fixtures.imageId(3), TraceStamps.empty()));
        float[] towardsImage3 = {0, 0, 0, 2, 0, 0, 0, 0};
        float[] towardsImage5 = {0, 0, 0, 1, 0, 3, 0, 0};
        hub.publishResult(window("s1", 1, 9.95, towardsImage3));   // before the onset: nothing on screen yet
        hub.publishResult(window("s1", 2, 10.10, towardsImage3));
        hub.publishResult(window("s1", 3, 10.20, towardsImage5));
        hub.publishResult(window("s1", 3, 10.20, towardsImage5));  // at least once upstream: a repeat
        List<JsonNode> got = frames(page);
        assertEquals(3, got.size(), got.toString());
        got.forEach(f -> assertEquals("window", f.get("type").asText(), f.toString()));
        assertTrue(got.get(0).get("stimulus").isNull() && got.get(0).get("score").isNull(), got.get(0).toString());
        JsonNode hit = got.get(1);
        assertEquals(Fixtures.imageId(3), hit.get("stimulus").get("imageId").asText());
        assertEquals(1.0, hit.get("score").asDouble(), 1e-6);
        assertEquals(0, hit.get("rank").asInt());
        assertEquals(0.10, hit.get("sinceOnset").asDouble(), 1e-9);
        assertTrue(hit.get("stimulus").get("thumb").asText().startsWith("/bank/"), hit.toString());
        JsonNode miss = got.get(2);
        assertEquals(1 / Math.sqrt(10), miss.get("score").asDouble(), 1e-6);
        // images 5 and 13 (the same vector, were there 14) outrank image 3: with 12 images, only image 5 does
        assertEquals(1, miss.get("rank").asInt());

        assertEquals(3, hub.windowResults());
        assertEquals(1, hub.duplicateResults());
        assertEquals(0, hub.accuracySummary().n(), "windows never enter the epoch results' accuracy");

        // accuracy by time since onset: the 100 ms bin has a top-1 hit, the 200 ms bin a top-5 hit only
        hub.publishHealth();
        JsonNode health = frames(page).stream().filter(f -> f.get("type").asText().equals("health")).findFirst()
                .orElseThrow();
        JsonNode bins = health.get("windowAccuracy").get("bins");
        assertEquals(1, bins.get(2).get("n").asInt(), bins.toString());
        assertEquals(1.0, bins.get(2).get("top1").asDouble());
        assertEquals(1, bins.get(4).get("n").asInt(), bins.toString());
        assertEquals(0.0, bins.get(4).get("top1").asDouble());
        assertEquals(1.0, bins.get(4).get("top5").asDouble());
        assertEquals(2, java.util.stream.StreamSupport.stream(bins.spliterator(), false)
                .mapToInt(b -> b.get("n").asInt()).sum(), "the window before the onset is not scored");

        // a page that connects later gets the recent windows in its snapshot, not among the results
        EmbeddedChannel late = new EmbeddedChannel();
        hub.broadcaster().register(late, hub::hello);
        List<JsonNode> snapshot = frames(late);
        assertEquals(3, snapshot.stream().filter(f -> f.get("type").asText().equals("window")).count());
        assertEquals(0, snapshot.stream().filter(f -> f.get("type").asText().equals("result")).count());
    }
}
