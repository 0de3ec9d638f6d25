package io.mindstream.ingest.replay;

import io.mindstream.journal.Recording;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A replay playing on its own thread while a test reads its outlets, and the inlets the test reads them with. */
final class ReplayRun {

    private final Thread player;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ReplayRun(ReplayPublisher publisher, Supplier<Recording> recording, StreamDescriber describer) {
        player = new Thread(() -> {
            try {
                publisher.play(recording, describer);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "replay");
        player.start();
    }

    /** Waits for the whole recording to be played; fails with what the player threw, if anything. */
    void finish() throws InterruptedException {
        player.join(30_000);
        assertNull(failure.get());
    }

    /** An inlet on the replayed outlet with this source_id, raw stamps (no post-processing). */
    static StreamInlet open(String sourceId) throws Exception {
        List<StreamInfo> found = Resolver.resolveByProperty("source_id", sourceId, 1, 30);
        assertFalse(found.isEmpty(), "replayed outlet " + sourceId + " found");
        StreamInlet in = new StreamInlet(found.get(0), 360, 0, false, EnumSet.noneOf(ProcessingFlag.class));
        in.open(10);
        return in;
    }
}
