package io.mindstream.ingest.source;

import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.chunk.CollectingSink;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.StreamInfo;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A stream's description goes to the journal once per run, and again only when the stream describes itself anew. */
class DescriptionJournalTest {

    private static StreamInfo info(String firstLabel) {
        StreamInfo si = new StreamInfo("amp", "EEG", 2, 500, ChannelFormat.FLOAT32, "amp-1");
        var chans = si.desc().appendChild("channels");
        chans.appendChild("channel").appendChildValue("label", firstLabel);
        chans.appendChild("channel").appendChildValue("label", "Cz");
        return si;
    }

    @Test
    void anUnchangedStreamIsDescribedOnceAndAChangedOneAgainFromWhereItStands() {
        CollectingSink sink = new CollectingSink();
        DescriptionJournal journal = new DescriptionJournal("s1", sink);
        journal.opened("amp-1", StreamKind.EEG, info("Fz"), 0);
        journal.opened("amp-1", StreamKind.EEG, info("Fz"), 500);
        assertEquals(1, sink.descriptions.size(), "reopened unchanged: nothing new");
        journal.opened("amp-1", StreamKind.EEG, info("FCz"), 800);
        journal.opened("other", StreamKind.EEG, info("Fz"), 0);
        assertEquals(3, sink.descriptions.size());
        assertEquals(800, sink.descriptions.get(1).fromSequence());
        assertEquals(info("FCz").toXml(), sink.descriptions.get(1).xml());
        assertEquals("s1", sink.descriptions.get(2).session());
        assertEquals("other", sink.descriptions.get(2).streamId());
    }
}
