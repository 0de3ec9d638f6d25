package io.mindstream.display.state;

import io.mindstream.contracts.SampleChunk;

/**
 * The current fMRI volume as a slice mosaic for the page: slices laid side by side in a grid of tiles, one byte per
 * pixel (0 … 255 between the volume's 1st and 99th percentile, so a few extreme voxels do not wash the picture out).
 *
 * <p>Voxels are taken as stored slice by slice, x fastest (NIfTI's order, and the order ingest publishes volumes
 * in). When the stream's description gives the volume's dimensions (a scanner folder's geometry: {@code <desc>
 * <geometry><dimensions>nx ny nz}), each tile is one nx × ny slice. Without them (an LSL source that does not say)
 * the mosaic assumes cubic-ish volumes: {@code slices = round(∛voxels)}, square slices of side
 * {@code ⌈√(voxels / slices)⌉} (a 16×16×16 volume comes out exactly; any other shape still shows every voxel once, in
 * acquisition order), and says it assumed. At most {@value #MAX_PIXELS} pixels are sent: larger volumes are shown
 * every k-th slice.
 */
public final class FmriMosaic {

    /**
     * An encoded mosaic: {@code width × height} bytes, tiles of {@code tileWidth × tileHeight} pixels, {@code cols}
     * per row; {@code fromGeometry} when the tiles are the stream's own slices rather than an assumed shape.
     */
    public record Image(String streamId, long volume, double time, int voxels, int width, int height, int tileWidth,
                        int tileHeight, int cols, int slicesShown, int slices, boolean fromGeometry, byte[] pixels) {
    }

    static final int MAX_PIXELS = 256 * 256;

    private FmriMosaic() {
    }

    /** The mosaic of the chunk's last volume, its shape assumed (no geometry known). */
    public static Image of(SampleChunk c) {
        return of(c, null);
    }

    /**
     * The mosaic of the chunk's last volume, with the stream's dimensions {@code {nx, ny, nz}} when known (null, or
     * dimensions that do not multiply to the volume's voxel count, fall back to the assumed shape).
     */
    public static Image of(SampleChunk c, int[] dimensions) {
        int n = c.totalChannels();
        int tileW;
        int tileH;
        int slices;
        boolean known = dimensions != null && dimensions.length == 3
                && (long) dimensions[0] * dimensions[1] * dimensions[2] == n;
        if (known) {
            tileW = dimensions[0];
            tileH = dimensions[1];
            slices = dimensions[2];
        } else {
            slices = Math.max(1, (int) Math.round(Math.cbrt(n)));
            tileW = (int) Math.ceil(Math.sqrt(n / (double) slices));
            tileH = tileW;
            slices = (n + tileW * tileH - 1) / (tileW * tileH);
        }
        int perSlice = tileW * tileH;
        int step = 1;
        while ((long) ((slices + step - 1) / step) * perSlice > MAX_PIXELS && step < slices) {
            step++;
        }
        int shown = (slices + step - 1) / step;
        int cols = (int) Math.ceil(Math.sqrt(shown * (double) tileH / tileW));
        cols = Math.max(1, Math.min(shown, cols));
        int rows = (shown + cols - 1) / cols;
        int s = c.sampleCount() - 1;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = c.value(s, i);
        }
        float[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        float lo = sorted[(int) Math.floor(0.01 * (n - 1))];
        float hi = sorted[(int) Math.ceil(0.99 * (n - 1))];
        float scale = hi > lo ? 255f / (hi - lo) : 0f;
        int width = cols * tileW;
        int height = rows * tileH;
        byte[] px = new byte[width * height];
        for (int k = 0; k < shown; k++) {
            int slice = k * step;
            int ox = (k % cols) * tileW;
            int oy = (k / cols) * tileH;
            for (int p = 0; p < perSlice; p++) {
                int voxel = slice * perSlice + p;
                if (voxel >= n) {
                    break;
                }
                float x = Float.isFinite(v[voxel]) ? (v[voxel] - lo) * scale : 0f;
                int b = Math.max(0, Math.min(255, Math.round(x)));
                px[(oy + p / tileW) * width + ox + p % tileW] = (byte) b;
            }
        }
        long volume = c.firstSequence() + s;
        return new Image(c.streamId(), volume, c.timestamps()[s], n, width, height, tileW, tileH, cols, shown, slices,
                known, px);
    }
}
