package io.mindstream.contracts.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EmbeddingBankTest {

    @TempDir
    Path tmp;

    static EmbeddingBank bank(int n, int dim, long seed, boolean split) {
        Random rnd = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<String> thumbs = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "img-" + i + (i % 3 == 0 ? "-ü\u6f22" : "");
            ids.add(id);
            thumbs.add("thumbs/" + id + ".png");
            if (split && i % 4 == 1) {
                test.add(id);
            }
        }
        float[] v = new float[n * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return new EmbeddingBank(ids, dim, v, thumbs, "dinov2-vits14 (test)", test);
    }

    @Test
    void roundTripsWithAndWithoutSplit() throws IOException {
        for (boolean split : new boolean[] {true, false}) {
            EmbeddingBank b = bank(37, 16, 7, split);
            Path dir = tmp.resolve("bank-" + split);
            b.write(dir);
            EmbeddingBank back = EmbeddingBank.read(dir);
            assertEquals(b, back);
            assertEquals(split, !back.testIds().isEmpty());
            try (var files = Files.list(dir)) {
                assertEquals(List.of("bank.json", "embeddings.npy"),
                        files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp files left");
            }
        }
    }

    @Test
    void conceptsRoundTripAndMustCoverEveryImage() throws IOException {
        EmbeddingBank plain = bank(9, 4, 5, true);
        List<String> concepts = plain.ids().stream().map(id -> "concept-" + plain.indexOf(id) / 3).toList();
        EmbeddingBank b = new EmbeddingBank(plain.ids(), 4, plain.vectors(), plain.thumbnails(), plain.model(),
                plain.testIds(), concepts);
        Path dir = tmp.resolve("concepts");
        b.write(dir);
        EmbeddingBank back = EmbeddingBank.read(dir);
        assertEquals(b, back);
        assertEquals(concepts, back.concepts());
        assertEquals(List.of(), plain.concepts(), "a bank without concepts has none");
        var e = assertThrows(IllegalArgumentException.class, () -> new EmbeddingBank(plain.ids(), 4,
                plain.vectors(), plain.thumbnails(), plain.model(), plain.testIds(), concepts.subList(0, 8)));
        assertTrue(e.getMessage().contains("8 concepts for 9 ids"), e.getMessage());
    }

    @Test
    void overwritesAnExistingBank() throws IOException {
        Path dir = tmp.resolve("b");
        bank(10, 4, 1, true).write(dir);
        EmbeddingBank second = bank(5, 8, 2, false);
        second.write(dir);
        assertEquals(second, EmbeddingBank.read(dir));
    }

    @Test
    void indexAndVectorAccess() {
        EmbeddingBank b = bank(20, 6, 3, true);
        assertEquals(20, b.count());
        for (int i = 0; i < b.count(); i++) {
            assertEquals(i, b.indexOf(b.id(i)));
            float[] dst = new float[8];
            b.vector(i, dst);
            for (int d = 0; d < 6; d++) {
                assertEquals(b.vectors()[i * 6 + d], dst[d]);
            }
        }
        assertEquals(-1, b.indexOf("nope"));
        assertThrows(IndexOutOfBoundsException.class, () -> b.vector(20, new float[6]));
        assertThrows(IllegalArgumentException.class, () -> b.vector(0, new float[5]));
        assertEquals(Path.of("/x/thumbs/img-1.png"), b.thumbnail(Path.of("/x"), 1));
    }

    @Test
    void constructorRejectsInconsistentBanks() {
        List<String> ids = List.of("a", "b");
        List<String> th = List.of("a.png", "b.png");
        var e = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingBank(List.of("a", "a"), 1, new float[2], th, "m", List.of()));
        assertTrue(e.getMessage().contains("duplicate id 'a' at rows 0 and 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBank(ids, 2, new float[3], th, "m", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBank(ids, 0, new float[0], th, "m", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingBank(ids, 1, new float[2], List.of("a.png"), "m", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingBank(ids, 1, new float[2], th, "m", List.of("c")));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingBank(ids, 1, new float[2], List.of("/abs/a.png", "b.png"), "m", List.of()));
    }

    @Test
    void rejectsNpyJsonMismatches() throws IOException {
        Path dir = tmp.resolve("b");
        bank(6, 4, 1, false).write(dir);
        Path npy = dir.resolve("embeddings.npy");
        Npy.writeMatrix(npy, 5, 4, new float[20]);
        assertBad(dir, npy, "holds 5 vectors but bank.json says count 6");
        Npy.writeMatrix(npy, 6, 3, new float[18]);
        assertBad(dir, npy, "vectors have dimension 3 but bank.json says dim 4");
        Npy.writeVector(npy, new float[24]);
        assertBad(dir, npy, "expected a 2-D N × D array");
        Files.write(npy, new byte[] {1, 2, 3});
        assertBad(dir, npy, "not a .npy file");
    }

    @Test
    void rejectsBadJson() throws IOException {
        Path dir = tmp.resolve("b");
        bank(3, 2, 1, false).write(dir);
        Path json = dir.resolve("bank.json");
        ObjectMapper om = new ObjectMapper();
        String good = Files.readString(json);
        assertBad(dir, json, good, om, r -> ((ArrayNode) r.get("ids")).set(1, r.get("ids").get(0)),
                "duplicate id 'img-0-ü\u6f22' at rows 0 and 1");
        assertBad(dir, json, good, om, r -> r.put("count", 4), "count is 4 but 'ids' has 3 entries");
        assertBad(dir, json, good, om, r -> ((ArrayNode) r.get("thumbnails")).remove(2),
                "count is 3 but 'thumbnails' has 2 entries");
        assertBad(dir, json, good, om, r -> r.put("format", "other"), "format is 'other'");
        assertBad(dir, json, good, om, r -> r.put("version", 2), "bank version 2 is not supported");
        assertBad(dir, json, good, om, r -> r.remove("dim"), "missing field 'dim'");
        assertBad(dir, json, good, om, r -> r.put("dim", "2"), "field 'dim' must be a non-negative integer");
        assertBad(dir, json, good, om, r -> r.put("count", -3), "field 'count' must be a non-negative integer");
        assertBad(dir, json, good, om, r -> ((ArrayNode) r.get("ids")).set(0, 5), "field 'ids'[0] must be a string");
        assertBad(dir, json, good, om, r -> r.putObject("split").putArray("test").add("zzz"),
                "test id 'zzz' is not in the bank");
        assertBad(dir, json, good, om, r -> r.put("split", 3), "'split' must be an object");
        assertBad(dir, json, good, om, r -> r.putArray("concepts").add("a").add("b"),
                "count is 3 but 'concepts' has 2 entries");
        assertBad(dir, json, good, om, r -> r.putArray("concepts").add("a").add("b").add(3),
                "field 'concepts'[2] must be a string");
        Files.writeString(json, good.substring(0, good.length() / 2));
        assertBad(dir, json, "not valid JSON");
        Files.writeString(json, "[1, 2]");
        assertBad(dir, json, "expected a JSON object");
    }

    private static void assertBad(Path dir, Path json, String good, ObjectMapper om,
                                  java.util.function.Consumer<ObjectNode> edit, String problem) throws IOException {
        ObjectNode root = (ObjectNode) om.readTree(good);
        edit.accept(root);
        Files.writeString(json, om.writeValueAsString(root));
        assertBad(dir, json, problem);
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        var e = assertThrows(NoSuchFileException.class, () -> EmbeddingBank.read(tmp.resolve("none")));
        assertTrue(e.getMessage().contains("none"));
        Path dir = tmp.resolve("b");
        bank(3, 2, 1, false).write(dir);
        Files.delete(dir.resolve("embeddings.npy"));
        e = assertThrows(NoSuchFileException.class, () -> EmbeddingBank.read(dir));
        assertTrue(e.getMessage().contains("embeddings.npy"), e.getMessage());
    }

    @Test
    void numpyAndJsonModuleReadWhatWeWrite() throws IOException {
        assumeTrue(PythonInterop.numpyAvailable(), "skipped: /usr/bin/python3 with numpy not available");
        EmbeddingBank b = bank(9, 5, 11, true);
        Path dir = tmp.resolve("py");
        b.write(dir);
        String script = String.join("\n",
                "import json, sys, numpy as np",
                "d = sys.argv[1]",
                "e = np.load(d + '/embeddings.npy')",
                "m = json.load(open(d + '/bank.json', encoding='utf-8'))",
                "assert e.dtype == np.float32 and e.shape == (m['count'], m['dim']), (e.dtype, e.shape)",
                "assert e.flags['C_CONTIGUOUS']",
                "print(repr(float(e[4, 3])), m['ids'][3], len(m['split']['test']))");
        PythonInterop.Result r = PythonInterop.run(List.of("-c", script, dir.toString()));
        assertEquals(0, r.exitCode(), r.output());
        float expected = b.vectors()[4 * 5 + 3];
        String[] parts = r.output().strip().split(" ");
        assertEquals(expected, Float.parseFloat(parts[0]));
        assertEquals(b.id(3), parts[1]);
        assertEquals(String.valueOf(b.testIds().size()), parts[2]);
        assertFalse(r.output().contains("Error"));
    }

    private static void assertBad(Path dir, Path file, String problem) {
        BankFormatException e = assertThrows(BankFormatException.class, () -> EmbeddingBank.read(dir));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
    }
}
