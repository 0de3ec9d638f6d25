package io.mindstream.contracts.codec;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random valid records for property tests: unicode strings (incl. supplementary code points), every numeric format,
 * arbitrary float/double bit patterns (NaN payloads, infinities, -0), null optional fields. Sizes stay small so
 * "every prefix" properties remain cheap. Callers pass a seeded generator (a {@link java.util.SplittableRandom}), so
 * the same seed always gives the same record.
 */
final class RandomRecords {

    private static final ChannelFormat[] NUMERIC = {ChannelFormat.FLOAT32, ChannelFormat.DOUBLE64,
            ChannelFormat.INT32, ChannelFormat.INT16, ChannelFormat.INT8, ChannelFormat.INT64};

    private RandomRecords() {
    }

    static String string(RandomGenerator r) {
        int n = r.nextInt(4) == 0 ? 0 : r.nextInt(14);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp = switch (r.nextInt(4)) {
                case 0 -> 0x20 + r.nextInt(0x5f);                 // printable ASCII
                case 1 -> r.nextInt(0x80);                        // any ASCII, control chars included
                case 2 -> 0x80 + r.nextInt(0xD800 - 0x80);        // 2- and 3-byte UTF-8 below the surrogates
                default -> r.nextBoolean() ? 0xE000 + r.nextInt(0x2000) : 0x10000 + r.nextInt(0x100000); // 3, 4 bytes
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    static String nullableString(RandomGenerator r) {
        return r.nextInt(3) == 0 ? null : string(r);
    }

    static float anyFloat(RandomGenerator r) {
        return switch (r.nextInt(6)) {
            case 0 -> Float.intBitsToFloat(r.nextInt());           // anything, NaN payloads included
            case 1 -> new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE,
                    Float.MAX_VALUE, Float.intBitsToFloat(0x7fa00001)}[r.nextInt(7)];
            default -> (float) r.nextGaussian();
        };
    }

    static double anyDouble(RandomGenerator r) {
        return switch (r.nextInt(5)) {
            case 0 -> Double.longBitsToDouble(r.nextLong());
            case 1 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                    Double.MIN_VALUE, Double.longBitsToDouble(0x7ff0000000000123L)}[r.nextInt(6)];
            default -> r.nextDouble() * 1e5;
        };
    }

    static TraceStamps trace(RandomGenerator r) {
        long[] m = new long[Stage.values().length];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextInt(3) == 0 ? 0 : r.nextBoolean() ? r.nextLong() : 1_767_225_600_000_000L + r.nextInt();
        }
        return new TraceStamps(m);
    }

    static Integer nullableCode(RandomGenerator r) {
        return r.nextBoolean() ? null : r.nextInt(5) == 0 ? 0 : r.nextInt();
    }

    static Trigger trigger(RandomGenerator r) {
        TriggerKind[] kinds = TriggerKind.values();
        return new Trigger(kinds[r.nextInt(kinds.length)], anyDouble(r), r.nextLong(), nullableString(r),
                nullableCode(r), nullableString(r));
    }

    static SampleChunk sampleChunk(RandomGenerator r) {
        ChannelFormat f = NUMERIC[r.nextInt(NUMERIC.length)];
        int channels = 1 + r.nextInt(6);
        int offset = r.nextInt(3);
        int total = offset + channels + r.nextInt(3);
        int samples = r.nextInt(6);
        double[] ts = new double[samples];
        for (int i = 0; i < samples; i++) {
            ts[i] = anyDouble(r);
        }
        byte[] values = new byte[samples * channels * f.bytesPerValue()];
        r.nextBytes(values);
        if (f == ChannelFormat.FLOAT32 && values.length >= 4 && r.nextBoolean()) {
            values[3] = 0x7f;
            values[2] = (byte) 0xc0; // a NaN with payload in the first value
        }
        StreamKind[] kinds = StreamKind.values();
        return new SampleChunk(string(r), string(r), kinds[r.nextInt(kinds.length)], f, total, offset, channels,
                anyDouble(r), r.nextLong(), r.nextBoolean() ? 0 : r.nextLong() & Long.MAX_VALUE, ts, values, trace(r));
    }

    static Marker marker(RandomGenerator r) {
        String label = nullableString(r);
        Integer code = nullableCode(r);
        if (label == null && code == null) {
            if (r.nextBoolean()) {
                label = string(r);
            } else {
                code = r.nextInt();
            }
        }
        return new Marker(string(r), string(r), r.nextLong(), anyDouble(r), label, code, nullableString(r), trace(r));
    }

    static Epoch epoch(RandomGenerator r) {
        int channels = 1 + r.nextInt(5);
        int times = 1 + r.nextInt(5);
        float[] d = new float[channels * times];
        for (int i = 0; i < d.length; i++) {
            d[i] = anyFloat(r);
        }
        StreamKind[] kinds = StreamKind.values();
        return new Epoch(string(r), string(r), string(r), kinds[r.nextInt(kinds.length)], trigger(r), anyDouble(r),
                anyDouble(r), anyDouble(r), channels, times, d, string(r), r.nextInt(), trace(r));
    }

    static DecodeResult decodeResult(RandomGenerator r) {
        float[] e = new float[r.nextInt(8)];
        for (int i = 0; i < e.length; i++) {
            e[i] = anyFloat(r);
        }
        List<Match> top = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            top.add(new Match(string(r), anyFloat(r)));
        }
        return new DecodeResult(string(r), string(r), trigger(r), e, top, string(r), r.nextInt(), trace(r));
    }
}
