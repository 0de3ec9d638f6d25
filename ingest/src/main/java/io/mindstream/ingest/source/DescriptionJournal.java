package io.mindstream.ingest.source;

import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.ingest.chunk.RecordSink;
import io.mindstream.lsl4j.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each stream's full LSL description to the sink once per ingest run, and again only when the stream comes
 * back describing itself differently. "Differently" means what describes the stream (name, type, channels, format,
 * rate, source_id and the {@code <desc>} tree), not what every outlet restart changes (uid, created_at, host
 * addresses and ports): a source that restarts unchanged adds nothing to the journal. Shared by the inlet readers.
 */
final class DescriptionJournal {

    private static final Logger LOG = LoggerFactory.getLogger(DescriptionJournal.class);

    private final String session;
    private final RecordSink sink;
    private final Map<String, String> journaledAs = new ConcurrentHashMap<>();

    DescriptionJournal(String session, RecordSink sink) {
        this.session = session;
        this.sink = sink;
    }

    /** Called as an inlet opens, with the info the outlet sent ({@code LSL:fullinfo}), before any of its data. */
    void opened(String streamId, StreamKind kind, StreamInfo full, long nextSequence) {
        String identity = identity(full);
        String before = journaledAs.put(streamId, identity);
        if (identity.equals(before)) {
            return;
        }
        if (before != null) {
            LOG.info("stream {} came back with a different description: journaled again from sequence {}",
                    streamId, nextSequence);
        }
        sink.description(new StreamDescription(session, streamId, kind, nextSequence, full.toXml(),
                TraceStamps.empty()));
    }

    private static String identity(StreamInfo si) {
        return si.name() + '\n' + si.type() + '\n' + si.channelCount() + '\n' + si.channelFormat() + '\n'
                + si.nominalSrate() + '\n' + si.sourceId() + '\n' + si.desc();
    }
}
