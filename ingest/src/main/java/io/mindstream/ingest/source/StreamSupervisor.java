package io.mindstream.ingest.source;

import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.chunk.RecordSink;
import io.mindstream.ingest.marker.MarkerParser;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.journal.StreamPositions;
import io.mindstream.lsl4j.ContinuousResolver;
import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one {@link InletReader} running for every selected stream that is out there: a continuous resolver is
 * polled, new streams get a reader, a stream whose reader ended (lost) gets a new one when it is advertised again.
 * A stream is identified by its source_id (its name when it has none), so an outlet restarted with the same
 * source_id continues the same stream: same sequence numbers, and what it missed shows as one gap.
 */
public final class StreamSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSupervisor.class);

    private final String session;
    private final StreamSelector selector;
    private final StreamKinds kinds;
    private final ChunkingConfig chunking;
    private final CheckConfig checks;
    private final InletConfig inletConfig;
    private final MarkerParser markerParser;
    private final RecordSink sink;
    private final DescriptionJournal descriptions;
    private final IngestStats stats;
    private final Map<String, StreamPositions.Position> resumeFrom;
    private final Map<String, StreamChecker> checkers = new HashMap<>();
    private final Map<String, Thread> threads = new HashMap<>();
    private final Map<String, InletReader> readers = new HashMap<>();
    private final Set<String> ignored = new HashSet<>();
    private final Thread loop;
    private volatile boolean running = true;
    private ContinuousResolver resolver;

    public StreamSupervisor(String session, StreamSelector selector, StreamKinds kinds, ChunkingConfig chunking,
                            CheckConfig checks, InletConfig inletConfig, MarkerParser markerParser, RecordSink sink,
                            IngestStats stats, Map<String, StreamPositions.Position> resumeFrom) {
        this.session = session;
        this.selector = selector;
        this.kinds = kinds;
        this.chunking = chunking;
        this.checks = checks;
        this.inletConfig = inletConfig;
        this.markerParser = markerParser;
        this.sink = sink;
        this.descriptions = new DescriptionJournal(session, sink);
        this.stats = stats;
        this.resumeFrom = Map.copyOf(resumeFrom);
        this.loop = new Thread(this::run, "ingest-supervisor");
        this.loop.setDaemon(true);
    }

    public StreamSupervisor start() {
        resolver = new ContinuousResolver(LslConfig.load(), null, inletConfig.forgetAfterSeconds());
        LOG.info("ingest: session {}, taking {}", session, selector);
        loop.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                poll();
                Thread.sleep(inletConfig.resolveIntervalMs());
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("stream supervisor: {}", e.toString(), e);
            }
        }
    }

    private synchronized void poll() {
        // newest advertisement per stream id
        Map<String, StreamInfo> newest = new HashMap<>();
        for (StreamInfo si : resolver.results()) {
            boolean strings = si.channelFormat() == io.mindstream.lsl4j.ChannelFormat.STRING;
            String id = streamId(si);
            if (!selector.matches(si.name(), si.type(), si.sourceId(), kinds, strings)) {
                if (ignored.add(si.uid())) {
                    if (selector.isDefault() && StreamSelector.isMindstreamOutput(si.type())) {
                        LOG.info("stream '{}' (type {}) is mindstream's own output: not taken, so results do not "
                                + "flow back into the session (name it with --type, --name or --source-id to take it)",
                                si.name(), si.type());
                    } else {
                        LOG.debug("stream '{}' (type {}, source_id {}) not selected", si.name(), si.type(),
                                si.sourceId());
                    }
                }
                continue;
            }
            StreamInfo prev = newest.get(id);
            if (prev == null || si.createdAt() > prev.createdAt()) {
                newest.put(id, si);
            }
        }
        for (Map.Entry<String, StreamInfo> e : newest.entrySet()) {
            String id = e.getKey();
            Thread t = threads.get(id);
            if (t != null && t.isAlive()) {
                continue;
            }
            startReader(id, e.getValue());
        }
    }

    private void startReader(String id, StreamInfo si) {
        boolean strings = si.channelFormat() == io.mindstream.lsl4j.ChannelFormat.STRING;
        StreamKind kind = kinds.kindOf(si.type(), strings);
        StreamStats st = stats.stream(id);
        st.describe(si.name(), kind, si.nominalSrate());
        StreamChecker checker = checkers.computeIfAbsent(id, k -> {
            StreamChecker c = new StreamChecker(k, si.nominalSrate(), checks, st);
            StreamPositions.Position p = resumeFrom.get(StreamPositions.key(session, k));
            if (p != null) {
                c.resume(p.nextSequence(), p.lastSourceTimestamp());
                LOG.info("stream {}: continuing from the journal at sequence {} (last source stamp {})", k,
                        p.nextSequence(), p.lastSourceTimestamp());
            }
            return c;
        });
        InletReader r = new InletReader(si, id, kind, session, checker, st, sink, chunking, inletConfig,
                markerParser, descriptions);
        Thread t = new Thread(r, "inlet-" + id);
        t.setDaemon(true);
        readers.put(id, r);
        threads.put(id, t);
        t.start();
    }

    /** The id a stream is known by: its source_id, or its name when it has none. */
    public static String streamId(StreamInfo si) {
        return si.sourceId() == null || si.sourceId().isBlank() ? si.name() : si.sourceId();
    }

    /** Streams with a live reader right now. */
    public synchronized Set<String> activeStreams() {
        Set<String> out = new HashSet<>();
        threads.forEach((id, t) -> {
            if (t.isAlive()) {
                out.add(id);
            }
        });
        return out;
    }

    /** Stops resolving and every reader; each reader flushes its partial chunk first. */
    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            readers.values().forEach(InletReader::stop);
            for (Thread t : threads.values()) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (resolver != null) {
            resolver.close();
        }
    }
}
