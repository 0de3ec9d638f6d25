package io.mindstream.processor.offline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes epochs for training (the decoder's dataset export), into a directory:
 * <ul>
 *   <li>{@code X.npy}: float32, C order, shape (N, C, T) — epoch {@code i} is exactly {@link Epoch#data()}
 *       (channel-major), numpy {@code .npy} format 1.0;</li>
 *   <li>{@code epochs.json}: {@code {"format":"mindstream-epochs","version":1,"count":N,"channels":C,"times":T,
 *       "sampleRate":120.0,"tmin":-0.5,"streamKind":"MEG","preprocessingIds":[…],"epochs":[{"index":0,
 *       "epochId":"…","session":"…","stream":"…","eventTime":…,"tStart":…,"label":"onset image=… trial=… split=…",
 *       "code":null,"imageId":"…","trial":3,"split":"train","qualityFlags":0,"quality":"OK",
 *       "preprocessingId":"…"},…]}} — row {@code i} of X is {@code epochs[i]}.</li>
 * </ul>
 * All epochs must share one shape; {@code tmin} is {@code tStart - eventTime} of the first epoch, rounded to the
 * sample period.
 */
public final class EpochExport {

    public static final String FORMAT = "mindstream-epochs";
    public static final int VERSION = 1;
    private static final Pattern TRIAL = Pattern.compile("\\btrial=(\\d+)");
    private static final Pattern SPLIT = Pattern.compile("\\bsplit=(\\w+)");

    private EpochExport() {
    }

    public static void write(Path dir, List<Epoch> epochs) throws IOException {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to export");
        }
        Epoch first = epochs.get(0);
        int c = first.channels();
        int t = first.times();
        for (Epoch e : epochs) {
            if (e.channels() != c || e.times() != t) {
                throw new IllegalArgumentException("epoch " + e.epochId() + " is " + e.channels() + "×" + e.times()
                        + " but the export is " + c + "×" + t + ": export one stream kind and epoch rule at a time");
            }
        }
        Files.createDirectories(dir);
        writeNpy3(dir.resolve("X.npy"), epochs, c, t);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION).put("count", epochs.size()).put("channels", c)
                .put("times", t).put("sampleRate", first.sampleRate())
                .put("tmin", Math.round((first.tStart() - first.trigger().eventTime()) * first.sampleRate())
                        / first.sampleRate())
                .put("streamKind", first.streamKind().name());
        Set<String> pre = new LinkedHashSet<>();
        epochs.forEach(e -> pre.add(e.preprocessingId()));
        ArrayNode preIds = root.putArray("preprocessingIds");
        pre.forEach(preIds::add);
        ArrayNode rows = root.putArray("epochs");
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            ObjectNode r = rows.addObject();
            r.put("index", i).put("epochId", e.epochId()).put("session", e.session()).put("stream", e.streamId())
                    .put("kind", e.trigger().kind().name()).put("eventTime", e.trigger().eventTime())
                    .put("tStart", e.tStart()).put("label", e.trigger().label());
            if (e.trigger().code() != null) {
                r.put("code", e.trigger().code());
            } else {
                r.putNull("code");
            }
            r.put("imageId", e.trigger().imageId());
            String label = e.trigger().label() == null ? "" : e.trigger().label();
            Matcher m = TRIAL.matcher(label);
            if (m.find()) {
                r.put("trial", Integer.parseInt(m.group(1)));
            } else {
                r.putNull("trial");
            }
            m = SPLIT.matcher(label);
            if (m.find()) {
                r.put("split", m.group(1));
            } else {
                r.putNull("split");
            }
            r.put("qualityFlags", e.qualityFlags()).put("quality", QualityFlags.describe(e.qualityFlags()))
                    .put("preprocessingId", e.preprocessingId());
        }
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("epochs.json").toFile(), root);
    }

    /** numpy .npy 1.0, dtype {@code <f4}, C order, shape (N, C, T). */
    static void writeNpy3(Path file, List<Epoch> epochs, int c, int t) throws IOException {
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, %d), }",
                epochs.size(), c, t);
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer pre = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                    .put(header.getBytes(StandardCharsets.US_ASCII)).flip();
            while (pre.hasRemaining()) {
                ch.write(pre);
            }
            ByteBuffer buf = ByteBuffer.allocate(c * t * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Epoch e : epochs) {
                buf.clear();
                buf.asFloatBuffer().put(e.data());
                buf.limit(c * t * 4);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }
}
