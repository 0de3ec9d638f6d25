package io.mindstream.ingest.fmri;

import io.mindstream.contracts.SampleChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Puts wide samples that ingest split across records (a large fMRI volume: {@link SampleChunk#channelOffset()} /
 * {@link SampleChunk#channelCount()} slices with the same stream and sequence) back together, losslessly: the
 * reassembled chunk holds exactly the bytes of the original sample. Whole chunks pass straight through.
 *
 * <p>Slices may arrive in any order. A volume is complete when its slices cover all channels exactly once;
 * a slice whose channels are already held (at-least-once redelivery) is ignored. When a volume completes, earlier
 * volumes of the same stream still incomplete more than {@code maxLag} volumes behind it are given up: discarded,
 * counted ({@link #incompleteDiscarded()}) and logged with the stream and sequence, so a lost slice cannot hold
 * memory forever.
 *
 * <p>Used downstream (stream processor, replay); not thread-safe.
 */
public final class FmriVolumeAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(FmriVolumeAssembler.class);

    private record Key(String session, String streamId, long sequence) {
    }

    private static final class Partial {
        final SampleChunk first;
        final byte[] values;
        final boolean[] have;
        int channelsHeld;

        Partial(SampleChunk first) {
            this.first = first;
            int bpv = first.format().bytesPerValue();
            this.values = new byte[first.sampleCount() * first.totalChannels() * bpv];
            this.have = new boolean[first.totalChannels()];
        }
    }

    /** Default number of volumes an incomplete volume may trail the newest complete one before it is given up. */
    public static final int DEFAULT_MAX_LAG = 16;

    private final Map<Key, Partial> partials = new HashMap<>();
    private final int maxLag;
    private long incompleteDiscarded;

    public FmriVolumeAssembler() {
        this(DEFAULT_MAX_LAG);
    }

    public FmriVolumeAssembler(int maxLag) {
        this.maxLag = maxLag;
    }

    /** The whole chunk once every slice of its sample has arrived, else null. */
    public SampleChunk accept(SampleChunk slice) {
        Objects.requireNonNull(slice, "slice");
        if (slice.isWhole()) {
            return slice;
        }
        Key key = new Key(slice.session(), slice.streamId(), slice.firstSequence());
        Partial p = partials.computeIfAbsent(key, k -> new Partial(slice));
        SampleChunk f = p.first;
        if (f.totalChannels() != slice.totalChannels() || f.format() != slice.format()
                || f.sampleCount() != slice.sampleCount()) {
            throw new IllegalArgumentException("slice " + slice + " does not match earlier slices of the same sample ("
                    + f + ")");
        }
        int bpv = slice.format().bytesPerValue();
        int total = slice.totalChannels();
        int n = slice.channelCount();
        int off = slice.channelOffset();
        for (int c = off; c < off + n; c++) {
            if (p.have[c]) {
                return null; // a redelivered slice: already held
            }
        }
        int samples = slice.sampleCount();
        byte[] src = slice.values();
        for (int s = 0; s < samples; s++) {
            System.arraycopy(src, s * n * bpv, p.values, (s * total + off) * bpv, n * bpv);
        }
        for (int c = off; c < off + n; c++) {
            p.have[c] = true;
        }
        p.channelsHeld += n;
        if (p.channelsHeld < total) {
            return null;
        }
        partials.remove(key);
        discardOlder(key);
        return new SampleChunk(f.session(), f.streamId(), f.kind(), f.format(), total, 0, total, f.nominalRate(),
                f.firstSequence(), f.lostBefore(), f.timestamps(), p.values, f.trace());
    }

    private void discardOlder(Key done) {
        Iterator<Map.Entry<Key, Partial>> it = partials.entrySet().iterator();
        while (it.hasNext()) {
            Key k = it.next().getKey();
            if (k.streamId.equals(done.streamId) && k.session.equals(done.session) && k.sequence < done.sequence - maxLag) {
                it.remove();
                incompleteDiscarded++;
                LOG.warn("stream {}: volume {} never completed (a later volume {} did) — discarded", k.streamId,
                        k.sequence, done.sequence);
            }
        }
    }

    /** Volumes discarded because a later one completed first. */
    public long incompleteDiscarded() {
        return incompleteDiscarded;
    }

    /** Volumes waiting for slices. */
    public int pending() {
        return partials.size();
    }
}
