package io.mindstream.formats.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent XDF reader for tests: Debian's libxdf (C++), through a small helper program ({@code xdfdump.cpp},
 * a test resource) compiled with g++ at test time into {@code target/}. {@link #read} returns what libxdf loaded.
 */
public final class LibXdf {

    private final Path binary;
    private String lastMessages = "";

    private LibXdf(Path binary) {
        this.binary = binary;
    }

    /** Builds the helper under {@code dir} (once per call; a few seconds). */
    public static LibXdf build(Path dir) throws IOException {
        Path src = FieldTools.resource(LibXdf.class, "xdfdump.cpp", dir);
        Path bin = dir.resolve("xdfdump");
        // libxdf-dev ships libxdf.so and libxdf.a; its XML parser (pugixml) is compiled into the library
        FieldTools.Result r = FieldTools.run(List.of("g++", "-std=c++17", "-O1", "-o", bin.toString(), src.toString(),
                "-lxdf"), 300);
        r.orThrow("compiling the libxdf helper (g++ " + src + " -lxdf)");
        return new LibXdf(bin);
    }

    /** One stream as libxdf saw it. */
    public record Stream(Map<String, String> fields, double[] timestamps, float[] values, List<double[]> offsets) {
        public String get(String key) {
            return fields.get(key);
        }
    }

    /** The file as libxdf saw it: its streams and its events (string samples: stream index, stamp, text). */
    public record Loaded(String fileHeader, List<Stream> streams, List<String[]> events) {
    }

    /** Loads the file with libxdf; throws when libxdf fails (exit code and output in the message). */
    public Loaded read(Path xdf) throws IOException {
        Path dump = Files.createTempFile(binary.getParent(), "xdfdump", ".out");
        Process p = new ProcessBuilder(binary.toString(), xdf.toString(), dump.toString()).redirectErrorStream(true)
                .start();
        String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("libxdf failed on " + xdf + " (exit " + p.exitValue() + "): " + err);
            }
            lastMessages = err;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        byte[] out = Files.readAllBytes(dump);
        Files.delete(dump);
        List<Stream> streams = new ArrayList<>();
        Map<String, String> cur = null;
        String header = null;
        List<String[]> events = new ArrayList<>();
        int i = 0;
        while (i < out.length) {
            int sp = indexOf(out, (byte) ' ', i);
            int nl = indexOf(out, (byte) '\n', sp);
            String key = new String(out, i, sp - i, StandardCharsets.UTF_8);
            int len = Integer.parseInt(new String(out, sp + 1, nl - sp - 1, StandardCharsets.UTF_8));
            String value = new String(out, nl + 1, len, StandardCharsets.UTF_8);
            i = nl + 1 + len + 1;
            if (key.equals("file_header") || key.equals("header") || key.equals("footer")) {
                // libxdf 0.99 copies each XML chunk into a char* without a terminator and keeps it as a C string:
                // whatever bytes follow in memory come along. The document ends at its root's end tag.
                int end = value.lastIndexOf("</info>");
                if (end >= 0) {
                    end += "</info>".length();
                    if (end < value.length() && value.charAt(end) == '\n') {
                        end++;                 // LSL's XML ends with a newline
                    }
                    value = value.substring(0, end);
                }
            }
            switch (key) {
                case "file_header" -> header = value;
                case "stream" -> {
                    cur = new LinkedHashMap<>();
                    streams.add(new Stream(cur, null, null, null));
                }
                case "events" -> {
                    for (String line : value.split("\n")) {
                        if (!line.isEmpty()) {
                            events.add(line.split("\t", 3));
                        }
                    }
                }
                default -> {
                    if (cur != null) {
                        cur.put(key, value);
                    }
                }
            }
        }
        List<Stream> done = new ArrayList<>();
        for (Stream s : streams) {
            done.add(new Stream(s.fields(), doubles(s.get("time_stamps")), floats(s.get("values")),
                    offsets(s.get("clock_offsets"))));
        }
        return new Loaded(header, done, events);
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        throw new IllegalStateException("malformed helper output");
    }

    private static double[] doubles(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return new double[0];
        }
        String[] p = t.split(" ");
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = Double.parseDouble(p[i]);
        }
        return d;
    }

    private static float[] floats(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return new float[0];
        }
        String[] p = t.split(" ");
        float[] d = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = switch (p[i]) {            // C's printf spells these differently
                case "inf" -> Float.POSITIVE_INFINITY;
                case "-inf" -> Float.NEGATIVE_INFINITY;
                case "nan", "-nan" -> Float.NaN;
                default -> Float.parseFloat(p[i]);
            };
        }
        return d;
    }

    private static List<double[]> offsets(String s) {
        List<double[]> out = new ArrayList<>();
        for (String line : s.split("\n")) {
            if (!line.isBlank()) {
                String[] p = line.trim().split(" ");
                out.add(new double[]{Double.parseDouble(p[0]), Double.parseDouble(p[1])});
            }
        }
        return out;
    }

    /** What libxdf printed while loading the last file (its own diagnostics). */
    public String lastMessages() {
        return lastMessages;
    }
}
