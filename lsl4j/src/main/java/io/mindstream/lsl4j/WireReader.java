package io.mindstream.lsl4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Buffered reads from a socket whose read timeout is short: a timeout is retried (the read resumes where it
 * stopped) until {@code cancelReason} gives a reason to stop, so a partially received sample is never lost to a timeout.
 */
final class WireReader {
    private final InputStream in;
    private final Supplier<String> cancelReason;
    private final byte[] buf = new byte[65536];
    private int pos;
    private int limit;
    private long lastDataNanos = System.nanoTime();
    private long totalBytes;

    /** @param cancelReason polled while waiting: a non-null reason aborts the read with that message */
    WireReader(InputStream in, Supplier<String> cancelReason) {
        this.in = in;
        this.cancelReason = cancelReason;
    }

    long lastDataNanos() { return lastDataNanos; }
    long totalBytes() { return totalBytes; }

    private void fill() throws IOException {
        while (true) {
            String why = cancelReason.get();
            if (why != null) throw new java.io.InterruptedIOException(why);
            try {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) throw new EOFException("connection closed by the outlet");
                pos = 0;
                limit = n;
                lastDataNanos = System.nanoTime();
                totalBytes += n;
                if (n > 0) return;
            } catch (SocketTimeoutException e) {
                // retry until cancelled
            }
        }
    }

    int readByte() throws IOException {
        if (pos == limit) fill();
        return buf[pos++] & 0xff;
    }

    void readFully(byte[] dst, int off, int len) throws IOException {
        while (len > 0) {
            if (pos == limit) fill();
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Reads {@code bytes} bytes as an unsigned integer in the given order (bigEndian or little). */
    long readUnsigned(int bytes, boolean bigEndian) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            long b = readByte();
            if (bigEndian) v = (v << 8) | b;
            else v |= b << (8 * i);
        }
        return v;
    }

    /** A header line (up to LF, CR and whitespace trimmed), at most {@code max} bytes. */
    String readLine(int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == '\n') return sb.toString().strip();
            if (sb.length() >= max) throw new ProtocolException("line-too-long", "header line longer than " + max + " bytes");
            sb.append((char) b);
        }
    }

    /** Everything up to EOF (at most {@code max} bytes) as UTF-8. */
    String readToEof(int max) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos == limit) {
                try {
                    fill();
                } catch (EOFException e) {
                    return out.toString(StandardCharsets.UTF_8);
                }
            }
            out.write(buf, pos, limit - pos);
            pos = limit;
            if (out.size() > max) throw new ProtocolException("too-large", "document larger than " + max + " bytes");
        }
    }
}
