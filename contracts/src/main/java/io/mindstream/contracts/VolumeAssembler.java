package io.mindstream.contracts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts wide samples that ingest split across records (a large fMRI volume: {@link SampleChunk#channelOffset()} /
 * {@link SampleChunk#channelCount()} slices with the same session, stream and sequence) back together, losslessly:
 * the reassembled chunk holds exactly the bytes of the original sample. Whole chunks pass straight through.
 *
 * <p>Slices may arrive in any order and from several streams at once. A volume is complete when its slices cover all
 * channels; a slice whose channels are all held already (at-least-once redelivery) is ignored. A volume still
 * incomplete when a volume of the same stream more than {@code maxLag} sequence numbers later has started is given
 * up: dropped, counted ({@link #dropped()}) and logged, so a lost slice cannot hold memory forever.
 *
 * <p>The one assembler of the project: the processor's topology, its raw-topic replay and offline epochs, and the
 * journal and Kafka readers of replay all use it. Not thread-safe.
 */
public final class VolumeAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeAssembler.class);

    /** Default number of volumes an incomplete volume may trail a newer one of its stream before it is given up. */
    public static final int DEFAULT_MAX_LAG = 16;

    private record Key(String session, String streamId, long sequence) {
    }

    private static final class Open {
        final SampleChunk first;
        final byte[] values;
        final boolean[] have;
        int filled;

        Open(SampleChunk part) {
            first = part;
            values = new byte[part.sampleCount() * part.totalChannels() * part.format().bytesPerValue()];
            have = new boolean[part.totalChannels()];
        }
    }

    private final int maxLag;
    private final Map<Key, Open> open = new HashMap<>();
    private long dropped;

    public VolumeAssembler() {
        this(DEFAULT_MAX_LAG);
    }

    /** @param maxLag how many sequence numbers an incomplete volume may trail a newer one of its stream */
    public VolumeAssembler(int maxLag) {
        if (maxLag < 1) {
            throw new IllegalArgumentException("maxLag must be >= 1, got " + maxLag);
        }
        this.maxLag = maxLag;
    }

    /**
     * Adds one slice (or a whole chunk); returns the whole chunk once every channel of its samples has arrived. The
     * whole chunk carries the trace of the slice that completed it: that is when the volume became usable.
     *
     * @throws IllegalArgumentException when the slice does not fit the earlier slices of its volume
     */
    public Optional<SampleChunk> accept(SampleChunk part) {
        Objects.requireNonNull(part, "part");
        if (part.isWhole()) {
            return Optional.of(part);
        }
        Key key = new Key(part.session(), part.streamId(), part.firstSequence());
        Open o = open.get(key);
        if (o == null) {
            giveUpOlderThan(key);
            o = new Open(part);
            open.put(key, o);
        }
        SampleChunk f = o.first;
        if (f.sampleCount() != part.sampleCount() || f.totalChannels() != part.totalChannels()
                || f.format() != part.format() || !Arrays.equals(f.timestamps(), part.timestamps())) {
            throw new IllegalArgumentException("slice " + part + " does not fit the volume started by " + f
                    + " (sample count, channel total, format or timestamps differ)");
        }
        boolean fresh = false;
        for (int c = part.channelOffset(); c < part.channelOffset() + part.channelCount(); c++) {
            if (!o.have[c]) {
                o.have[c] = true;
                o.filled++;
                fresh = true;
            }
        }
        if (!fresh) {
            return Optional.empty(); // a redelivered slice: already held
        }
        int bpv = part.format().bytesPerValue();
        int total = part.totalChannels();
        int n = part.channelCount();
        byte[] src = part.values();
        for (int s = 0; s < part.sampleCount(); s++) {
            System.arraycopy(src, s * n * bpv, o.values, (s * total + part.channelOffset()) * bpv, n * bpv);
        }
        if (o.filled < total) {
            return Optional.empty();
        }
        open.remove(key);
        return Optional.of(new SampleChunk(f.session(), f.streamId(), f.kind(), f.format(), total, 0, total,
                f.nominalRate(), f.firstSequence(), f.lostBefore(), f.timestamps(), o.values, part.trace()));
    }

    private void giveUpOlderThan(Key newest) {
        Iterator<Map.Entry<Key, Open>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Open> e = it.next();
            Key k = e.getKey();
            if (k.sequence < newest.sequence - maxLag && k.streamId.equals(newest.streamId)
                    && k.session.equals(newest.session)) {
                it.remove();
                dropped++;
                LOG.warn("{}/{}: volume {} given up incomplete ({} of {} channels arrived; volume {} has started)",
                        k.session, k.streamId, k.sequence, e.getValue().filled, e.getValue().first.totalChannels(),
                        newest.sequence);
            }
        }
    }

    /** Volumes given up incomplete so far. */
    public long dropped() {
        return dropped;
    }

    /** Volumes waiting for slices. */
    public int pending() {
        return open.size();
    }
}
