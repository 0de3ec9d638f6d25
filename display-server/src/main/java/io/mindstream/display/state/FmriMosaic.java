package io.mindstream.display.state;

import io.mindstream.contracts.SampleChunk;

/**
 * The current fMRI volume as a slice mosaic for the page: slices laid side by side in a grid of tiles, one byte per
 * pixel (0 … 255 between the volume's 1st and 99th percentile, so a few extreme voxels do not wash the picture out).
 *
 * <p>A volume on the wire is a flat vector of voxels with no geometry, so the mosaic assumes cubic-ish volumes stored
 * slice by slice: {@code slices = round(∛voxels)}, square slices of side {@code ⌈√(voxels / slices)⌉} (a 16×16×16
 * volume comes out exactly; any other shape still shows every voxel once, in acquisition order). At most
 * {@value #MAX_PIXELS} pixels are sent: larger volumes are shown every k-th slice.
 */
public final class FmriMosaic {

    /** An encoded mosaic: {@code width × height} bytes, tiles of {@code tile × tile} pixels, {@code cols} per row. */
    public record Image(String streamId, long volume, double time, int voxels, int width, int height, int tile,
                        int cols, int slicesShown, int slices, byte[] pixels) {
    }

    static final int MAX_PIXELS = 256 * 256;

    private FmriMosaic() {
    }

    /** The mosaic of the chunk's last volume. */
    public static Image of(SampleChunk c) {
        int n = c.totalChannels();
        int s = c.sampleCount() - 1;
        int slices = Math.max(1, (int) Math.round(Math.cbrt(n)));
        int side = (int) Math.ceil(Math.sqrt(n / (double) slices));
        int perSlice = side * side;
        slices = (n + perSlice - 1) / perSlice;
        int step = 1;
        while ((long) ((slices + step - 1) / step) * perSlice > MAX_PIXELS && step < slices) {
            step++;
        }
        int shown = (slices + step - 1) / step;
        int cols = (int) Math.ceil(Math.sqrt(shown));
        int rows = (shown + cols - 1) / cols;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = c.value(s, i);
        }
        float[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        float lo = sorted[(int) Math.floor(0.01 * (n - 1))];
        float hi = sorted[(int) Math.ceil(0.99 * (n - 1))];
        float scale = hi > lo ? 255f / (hi - lo) : 0f;
        int width = cols * side;
        int height = rows * side;
        byte[] px = new byte[width * height];
        for (int k = 0; k < shown; k++) {
            int slice = k * step;
            int ox = (k % cols) * side;
            int oy = (k / cols) * side;
            for (int p = 0; p < perSlice; p++) {
                int voxel = slice * perSlice + p;
                if (voxel >= n) {
                    break;
                }
                float x = Float.isFinite(v[voxel]) ? (v[voxel] - lo) * scale : 0f;
                int b = Math.max(0, Math.min(255, Math.round(x)));
                px[(oy + p / side) * width + ox + p % side] = (byte) b;
            }
        }
        long volume = c.firstSequence() + s;
        return new Image(c.streamId(), volume, c.timestamps()[s], n, width, height, side, cols, shown, slices, px);
    }
}
