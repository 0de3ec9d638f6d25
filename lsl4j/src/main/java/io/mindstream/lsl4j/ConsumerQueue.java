package io.mindstream.lsl4j;

/**
 * The bounded queue of encoded samples for one connected consumer (liblsl's consumer_queue). Holds at most
 * {@code maxSamples} samples; when full, the oldest sample is dropped and counted. Samples are stored back to back
 * in a byte ring that grows by doubling up to what {@code maxSamples} needs, then is reused: no allocation per
 * sample in steady state.
 */
final class ConsumerQueue {
    private final int maxSamples;
    private final long maxBytes;
    private byte[] data;
    private int readPos;
    private int usedBytes;
    private int[] lengths;
    private int lenHead;
    private int count;
    private long dropped;
    private boolean closed;

    /**
     * @param maxSamples   capacity in samples (≥ 1)
     * @param maxSampleLen largest encoded sample length expected (for the byte cap; strings may exceed it)
     */
    ConsumerQueue(int maxSamples, int maxSampleLen) {
        this.maxSamples = Math.max(1, maxSamples);
        this.maxBytes = Math.max(1L << 16, (long) this.maxSamples * Math.max(maxSampleLen, 16));
        // up front, room for 64 samples but no more than SampleBuffer.INITIAL_BYTES (one consumer of a very wide
        // stream would otherwise claim tens of MB before a sample is pushed); offer() grows it as samples queue up
        this.data = new byte[(int) Math.min(maxBytes,
                Math.max(4096, Math.min(64L * maxSampleLen, SampleBuffer.INITIAL_BYTES)))];
        this.lengths = new int[Math.min(this.maxSamples, 1024)];
    }

    /** Appends one encoded sample, dropping the oldest samples if needed. */
    synchronized void offer(byte[] src, int off, int len) {
        if (closed) return;
        append(src, off, len);
        notifyAll();
    }

    /**
     * Appends {@code n} encoded samples that lie back to back in {@code src} (sample i ends at {@code ends[i]}, the
     * first starts at 0), dropping the oldest if needed: one lock and one wake-up of the sender for a whole chunk.
     */
    synchronized void offerAll(byte[] src, int[] ends, int n) {
        if (closed || n == 0) return;
        for (int i = 0, start = 0; i < n; start = ends[i++]) {
            append(src, start, ends[i] - start);
        }
        notifyAll();
    }

    private void append(byte[] src, int off, int len) {
        if (len > data.length && !growTo(len)) {
            dropped++;
            return;
        }
        while (count > 0 && (count == maxSamples || usedBytes + len > data.length)) {
            if (count < maxSamples && usedBytes + len > data.length && growTo(usedBytes + len)) break;
            dropOldest();
        }
        if (count == lengths.length) growLengths();
        int writePos = (readPos + usedBytes) % data.length;
        int first = Math.min(len, data.length - writePos);
        System.arraycopy(src, off, data, writePos, first);
        if (first < len) System.arraycopy(src, off + first, data, 0, len - first);
        usedBytes += len;
        lengths[(lenHead + count) % lengths.length] = len;
        count++;
    }

    private void dropOldest() {
        int len = lengths[lenHead];
        lenHead = (lenHead + 1) % lengths.length;
        count--;
        readPos = (readPos + len) % data.length;
        usedBytes -= len;
        dropped++;
    }

    private boolean growTo(int needed) {
        if (needed > maxBytes) return false;
        long cap = data.length;
        while (cap < needed) cap *= 2;
        cap = Math.min(cap, Math.max(maxBytes, needed));
        if (cap > Integer.MAX_VALUE - 8) return false;
        byte[] n = new byte[(int) cap];
        copyOut(n, 0, usedBytes);
        data = n;
        readPos = 0;
        return true;
    }

    private void growLengths() {
        int cap = (int) Math.min(maxSamples, (long) lengths.length * 2);
        int[] n = new int[cap];
        for (int i = 0; i < count; i++) n[i] = lengths[(lenHead + i) % lengths.length];
        lengths = n;
        lenHead = 0;
    }

    private void copyOut(byte[] dst, int dstOff, int len) {
        int first = Math.min(len, data.length - readPos);
        System.arraycopy(data, readPos, dst, dstOff, first);
        if (first < len) System.arraycopy(data, 0, dst, dstOff + first, len - first);
    }

    /**
     * Waits up to {@code timeoutMs} for samples and moves as many whole samples as fit into {@code dst}.
     * @return bytes copied; 0 on timeout or when closed and empty; {@code -needed} when the next sample is larger
     *         than {@code dst}
     */
    synchronized int drainTo(byte[] dst, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (count == 0 && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return 0;
            wait(left);
        }
        if (count == 0) return 0;
        int n = 0;
        int bytes = 0;
        while (n < count) {
            int len = lengths[(lenHead + n) % lengths.length];
            if (bytes + len > dst.length) break;
            bytes += len;
            n++;
        }
        if (n == 0) return -lengths[lenHead];
        copyOut(dst, 0, bytes);
        readPos = (readPos + bytes) % data.length;
        usedBytes -= bytes;
        lenHead = (lenHead + n) % lengths.length;
        count -= n;
        return bytes;
    }

    synchronized long dropped() { return dropped; }
    synchronized int size() { return count; }

    /** Bytes of sample storage allocated now (grows as samples queue up, never past what maxSamples needs). */
    synchronized int capacityBytes() { return data.length; }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() { return closed; }
}
