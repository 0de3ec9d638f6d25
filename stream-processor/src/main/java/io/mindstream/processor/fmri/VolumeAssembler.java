package io.mindstream.processor.fmri;

import io.mindstream.contracts.SampleChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reassembles fMRI volumes that ingest split across records ({@link SampleChunk#channelOffset()} /
 * {@link SampleChunk#channelCount()}) into whole-stream chunks, for one session/stream. Parts of a volume may arrive
 * in any order; a part seen twice is ignored; a volume still incomplete when {@code maxOpenVolumes} newer ones are
 * open is dropped, counted and logged.
 */
public final class VolumeAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeAssembler.class);

    private final int maxOpenVolumes;
    private final TreeMap<Long, Open> open = new TreeMap<>();
    private long dropped;

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

    public VolumeAssembler(int maxOpenVolumes) {
        this.maxOpenVolumes = maxOpenVolumes;
    }

    /** Volumes dropped incomplete so far. */
    public long dropped() {
        return dropped;
    }

    /** Adds one part; returns the whole chunk once every channel of its samples has arrived. */
    public Optional<SampleChunk> accept(SampleChunk part) {
        if (part.isWhole()) {
            return Optional.of(part);
        }
        Open o = open.computeIfAbsent(part.firstSequence(), k -> new Open(part));
        SampleChunk f = o.first;
        if (f.sampleCount() != part.sampleCount() || f.totalChannels() != part.totalChannels()
                || f.format() != part.format() || !Arrays.equals(f.timestamps(), part.timestamps())) {
            throw new IllegalArgumentException("part " + part + " does not fit the volume started by " + f
                    + " (sample count, channel total, format or timestamps differ)");
        }
        int bpv = part.format().bytesPerValue();
        int total = part.totalChannels();
        boolean fresh = false;
        for (int c = 0; c < part.channelCount(); c++) {
            if (!o.have[part.channelOffset() + c]) {
                o.have[part.channelOffset() + c] = true;
                o.filled++;
                fresh = true;
            }
        }
        if (!fresh) {
            return Optional.empty();
        }
        byte[] src = part.values();
        for (int s = 0; s < part.sampleCount(); s++) {
            System.arraycopy(src, s * part.channelCount() * bpv, o.values, (s * total + part.channelOffset()) * bpv,
                    part.channelCount() * bpv);
        }
        if (o.filled == total) {
            open.remove(part.firstSequence());
            return Optional.of(new SampleChunk(f.session(), f.streamId(), f.kind(), f.format(), total, 0, total,
                    f.nominalRate(), f.firstSequence(), f.lostBefore(), f.timestamps(), o.values, part.trace()));
        }
        while (open.size() > maxOpenVolumes) {
            Map.Entry<Long, Open> e = open.pollFirstEntry();
            dropped++;
            LOG.warn("{}/{}: volume {} dropped incomplete ({} of {} channels arrived)", e.getValue().first.session(),
                    e.getValue().first.streamId(), e.getKey(), e.getValue().filled, total);
        }
        return Optional.empty();
    }
}
