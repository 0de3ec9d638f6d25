package io.mindstream.contracts.bank;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vectors under src/test/resources/npy were written by numpy itself; see generate.py there. */
class NpyTest {

    @TempDir
    Path tmp;

    static Path vector(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsNumpyMatrix() throws IOException {
        Npy.FloatArray a = Npy.read(vector("matrix_3x4_f4.npy"));
        assertArrayEquals(new int[] {3, 4}, a.shape());
        assertEquals(3, a.rows());
        assertEquals(4, a.cols());
        float[] d = a.data();
        assertEquals(0f, d[0]);
        assertTrue(Float.isNaN(d[1]));
        assertEquals(0.5f, d[2]);
        assertEquals(Float.POSITIVE_INFINITY, d[6]);
        assertEquals(1.75f, d[7]);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(d[11]));
        assertEquals(2.5f, d[10]);
    }

    @Test
    void readsNumpyVectorAndEmptyMatrix() throws IOException {
        Npy.FloatArray v = Npy.read(vector("vector_5_f4.npy"));
        assertEquals(1, v.ndim());
        assertArrayEquals(new float[] {1.5f, -2.25f, 3e-39f, 1e38f, 0f}, v.data());
        Npy.FloatArray e = Npy.read(vector("empty_0x8_f4.npy"));
        assertArrayEquals(new int[] {0, 8}, e.shape());
        assertEquals(0, e.data().length);
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        for (String name : new String[] {"matrix_3x4_f4.npy", "vector_5_f4.npy", "empty_0x8_f4.npy"}) {
            Npy.FloatArray a = Npy.read(vector(name));
            Path out = tmp.resolve(name);
            Npy.write(out, a);
            assertArrayEquals(Files.readAllBytes(vector(name)), Files.readAllBytes(out), name);
        }
    }

    @Test
    void roundTripsPreservingEveryBitPattern() throws IOException {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            int rows = rnd.nextInt(50);
            int cols = 1 + rnd.nextInt(300);
            float[] data = new float[rows * cols];
            for (int i = 0; i < data.length; i++) {
                data[i] = Float.intBitsToFloat(rnd.nextInt()); // includes NaN payloads, infinities, subnormals
            }
            Path f = tmp.resolve("m" + trial + ".npy");
            Npy.writeMatrix(f, rows, cols, data);
            Npy.FloatArray back = Npy.read(f);
            assertArrayEquals(new int[] {rows, cols}, back.shape());
            assertEquals(0, (Files.size(f) - (long) data.length * 4) % 64, "data starts 64-byte aligned");
            for (int i = 0; i < data.length; i++) {
                assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back.data()[i]));
            }
        }
        float[] big = new float[300_000]; // larger than one I/O buffer
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        Path f = tmp.resolve("big.npy");
        Npy.writeVector(f, big);
        assertArrayEquals(big, Npy.read(f).data());
    }

    @Test
    void rejectsOtherDtypesAndLayoutsNamingFileAndProblem() {
        assertRejected(vector("matrix_f8.npy"), "unsupported dtype '<f8'");
        assertRejected(vector("matrix_be.npy"), "big-endian");
        assertRejected(vector("matrix_fortran.npy"), "Fortran-order");
        assertRejected(vector("cube_f4.npy"), "has 3 dimensions");
        assertRejected(vector("scalar_f4.npy"), "has 0 dimensions");
    }

    @Test
    void rejectsTruncatedAndPaddedFiles() throws IOException {
        byte[] good = Files.readAllBytes(vector("matrix_3x4_f4.npy"));
        for (int len : new int[] {0, 5, 9, 11, 60, 127, 128, 129, good.length - 1}) {
            Path f = tmp.resolve("trunc" + len + ".npy");
            Files.write(f, Arrays.copyOf(good, len));
            BankFormatException e = assertThrows(BankFormatException.class, () -> Npy.read(f), "length " + len);
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        Path f = tmp.resolve("trailing.npy");
        Files.write(f, Arrays.copyOf(good, good.length + 3));
        assertRejected(f, "3 unexpected trailing bytes");
    }

    @Test
    void rejectsBadMagicVersionAndHeader() throws IOException {
        byte[] good = Files.readAllBytes(vector("matrix_3x4_f4.npy"));
        byte[] b = good.clone();
        b[1] = 'X';
        assertRejected(write("magic.npy", b), "not a .npy file");
        b = good.clone();
        b[6] = 4;
        assertRejected(write("version.npy", b), "unsupported .npy format version 4.0");
        b = good.clone();
        b[8] = (byte) 0xff;
        b[9] = (byte) 0xff; // header length 65535: bigger than the file and than numpy's limit
        assertRejected(write("hlen.npy", b), "header length 65535");
        b = good.clone();
        b[10] = '[';
        assertRejected(write("dict.npy", b), "not a Python dict");
        String h = new String(good, 10, 118, java.nio.charset.StandardCharsets.US_ASCII).replace("(3, 4)", "(3, x)");
        System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b = good.clone(), 10, 118);
        assertRejected(write("shape.npy", b), "not a tuple of integers");
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Npy.read(tmp.resolve("absent.npy")));
    }

    @Test
    void arrayChecksShapeAgainstData() {
        assertThrows(IllegalArgumentException.class, () -> Npy.FloatArray.matrix(2, 3, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> new Npy.FloatArray(new int[] {1, 1, 1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new Npy.FloatArray(new int[] {-1}, new float[0]));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static void assertRejected(Path file, String problem) {
        BankFormatException e = assertThrows(BankFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
        assertEquals(file, e.file());
    }
}
