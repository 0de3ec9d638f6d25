package io.mindstream.decoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * DJL translator between a batch of epochs and the ONNX graph: packs {@code B} channel-major epochs into one
 * {@code (B, C, T)} float32 tensor and splits the {@code (B, F)} output back into rows. It does the batching itself
 * (one direct buffer, no per-epoch NDArrays), hence {@link NoBatchifyTranslator}; model I/O stays here and out of
 * the decoding logic, as DJL's Translator design intends.
 */
final class EpochBatchTranslator implements NoBatchifyTranslator<float[][], float[][]> {

    private final String inputName;
    private final int channels;
    private final int times;
    private ByteBuffer buffer; // reused across batches: the predictor runs on one thread

    EpochBatchTranslator(String inputName, int channels, int times) {
        this.inputName = inputName;
        this.channels = channels;
        this.times = times;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, float[][] batch) {
        int per = channels * times;
        int needed = batch.length * per * Float.BYTES;
        if (buffer == null || buffer.capacity() < needed) {
            buffer = ByteBuffer.allocateDirect(needed).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        FloatBuffer fb = buffer.asFloatBuffer();
        for (float[] epoch : batch) {
            fb.put(epoch, 0, per);
        }
        buffer.limit(needed);
        NDArray array = ctx.getNDManager().create(buffer.asFloatBuffer(), new Shape(batch.length, channels, times));
        array.setName(inputName);
        return new NDList(array);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = list.get(0);
        long[] shape = out.getShape().getShape();
        int rows = (int) shape[0];
        int dim = (int) (out.size() / Math.max(1, rows));
        float[] flat = out.toFloatArray();
        float[][] result = new float[rows][dim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * dim, result[r], 0, dim);
        }
        return result;
    }
}
