package io.mindstream.cli.drill;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.journal.EntryType;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalEntry;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a session's records prove about loss, counted only from what is stored — the ingest journal, the Kafka
 * topics and the simulator's ground truth — never from a component's own counters (docs/reliability.md):
 * <ul>
 *   <li><b>samples</b>: every journaled sample is on its raw topic; every hole in the journaled sequence numbers (the
 *       source lost samples, or ingest was not reading) is announced by the next chunk's {@code lostBefore}, once;</li>
 *   <li><b>markers</b>: every marker the simulator sent is on {@code raw.markers}, or lies in a hole that the next
 *       marker reports (GAP flag and a skipped sequence number);</li>
 *   <li><b>epochs</b>: the live {@code epochs} topic holds exactly the epochs an offline run of the processor's code
 *       over the journal cuts, equal in data and flags (LATE and trace stamps, which depend on delivery timing,
 *       aside);</li>
 *   <li><b>results</b>: one result per live epoch on {@code results}, none twice;</li>
 *   <li><b>latency</b>: when the first result came after a fault, and when results were current again (backlog
 *       decoded), from the results' own trace stamps; the worst result's latency from acquisition, and the worst
 *       wait from an epoch's cut to its result (the decoder's part: a decoder fault shows there, a processor or
 *       ingest fault before it).</li>
 * </ul>
 */
final class SessionAudit {

    /** The counts; every "lost", "hidden", "missing", "different" and "duplicated" must be 0. */
    record Report(
            long samplesJournaled, long samplesLost, long sampleCopiesInTopic,
            int sourceGaps, int sourceGapsReported, int sourceGapsHidden,
            int markersSent, int markersLost, int markersLostHidden, int markerGapsReported,
            int epochsOffline, int epochsLive, int epochsMissing, int epochsExtra, int epochsDifferent,
            int epochCopiesInTopic,
            int results, int resultsMissing, int resultsDuplicated,
            long undecodableRecords,
            double firstResultSeconds, double recoverySeconds, double worstLatencySeconds,
            double worstDecoderWaitSeconds) {

        /**
         * Several sessions' counts as one: counts add up; the latencies are the worst session's (a session whose
         * results never became current again makes the sum "never").
         */
        static Report sum(List<Report> reports) {
            if (reports.size() == 1) {
                return reports.get(0);
            }
            long[] l = new long[4];
            int[] n = new int[18];
            double first = 0;
            double recovery = 0;
            double worst = 0;
            double worstDecoderWait = 0;
            for (Report r : reports) {
                l[0] += r.samplesJournaled;
                l[1] += r.samplesLost;
                l[2] += r.sampleCopiesInTopic;
                l[3] += r.undecodableRecords;
                int[] v = {r.sourceGaps, r.sourceGapsReported, r.sourceGapsHidden, r.markersSent, r.markersLost,
                        r.markersLostHidden, r.markerGapsReported, r.epochsOffline, r.epochsLive, r.epochsMissing,
                        r.epochsExtra, r.epochsDifferent, r.epochCopiesInTopic, r.results, r.resultsMissing,
                        r.resultsDuplicated};
                for (int i = 0; i < v.length; i++) {
                    n[i] += v[i];
                }
                first = worse(first, r.firstResultSeconds);
                recovery = worse(recovery, r.recoverySeconds);
                worst = Math.max(worst, r.worstLatencySeconds);
                worstDecoderWait = Math.max(worstDecoderWait, r.worstDecoderWaitSeconds);
            }
            return new Report(l[0], l[1], l[2], n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10],
                    n[11], n[12], n[13], n[14], n[15], l[3], first, recovery, worst, worstDecoderWait);
        }

        /** The later of two recovery times; NaN (never) wins. */
        private static double worse(double a, double b) {
            return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
        }

        boolean clean() {
            return samplesLost == 0 && sourceGapsHidden == 0 && sourceGaps == sourceGapsReported
                    && markersLostHidden == 0 && epochsMissing == 0 && epochsExtra == 0 && epochsDifferent == 0
                    && resultsMissing == 0 && resultsDuplicated == 0;
        }
    }

    private final String bootstrapServers;
    private final String session;
    private final Path journalDir;
    private final Path groundTruth;
    private final double sentUntilSeconds;
    private final ProcessorConfig processing;

    /**
     * @param groundTruth      the simulator's output directory ({@code markers.tsv}); null when there is none
     * @param sentUntilSeconds session time up to which the simulator certainly sent its markers
     */
    SessionAudit(String bootstrapServers, String session, Path journalDir, Path groundTruth, double sentUntilSeconds,
                 ProcessorConfig processing) {
        this.bootstrapServers = bootstrapServers;
        this.session = session;
        this.journalDir = journalDir;
        this.groundTruth = groundTruth;
        this.sentUntilSeconds = sentUntilSeconds;
        this.processing = processing;
    }

    /**
     * @param faultStartMicros when the fault began (wall clock, µs)
     * @param faultEndMicros   when the failed component was back (restarted; the broker up again)
     */
    Report audit(long faultStartMicros, long faultEndMicros) throws IOException {
        SampleChunkCodec chunkCodec = new SampleChunkCodec();
        MarkerCodec markerCodec = new MarkerCodec();

        // --- the journal: what ingest received, and the offline recomputation of the epochs from it
        Map<String, BitSet> journaled = new TreeMap<>();
        Map<String, TreeMap<Long, Long>> journalRuns = new TreeMap<>(); // stream → first sequence → end (exclusive)
        List<Epoch> offline = new ArrayList<>();
        try (Journal journal = Journal.openExisting(journalDir);
             Journal.Reader reader = journal.reader();
             OfflineEpocher epocher = new OfflineEpocher(processing, () -> 0L)) {
            for (JournalEntry e = reader.next(); e != null; e = reader.next()) {
                if (!session.equals(e.session())) {
                    continue;
                }
                if (e.type() == EntryType.SAMPLE_CHUNK) {
                    SampleChunk c = chunkCodec.decode(e.payload());
                    if (c.channelOffset() == 0 && c.sampleCount() > 0) {
                        BitSet b = journaled.computeIfAbsent(c.streamId(), k -> new BitSet());
                        b.set(Math.toIntExact(c.firstSequence()), Math.toIntExact(c.firstSequence() + c.sampleCount()));
                        journalRuns.computeIfAbsent(c.streamId(), k -> new TreeMap<>())
                                .put(c.firstSequence(), c.firstSequence() + c.sampleCount());
                    }
                    offline.addAll(epocher.accept(c));
                } else if (e.type() == EntryType.MARKER) {
                    offline.addAll(epocher.accept(markerCodec.decode(e.payload())));
                }
            }
            offline.addAll(epocher.flush());
        }
        offline.removeIf(x -> x.trigger().kind() != io.mindstream.contracts.TriggerKind.MARKER);

        // --- the raw topics
        long undecodable = 0;
        Map<String, BitSet> delivered = new TreeMap<>();
        Map<String, Map<Long, Long>> announcedLoss = new HashMap<>(); // stream → first sequence → lostBefore
        long chunkSamplesInTopic = 0;
        for (StreamKind k : StreamKind.values()) {
            if (k == StreamKind.MARKER) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : read(Topics.rawTopic(k))) {
                SampleChunk c;
                try {
                    c = chunkCodec.decode(r.value());
                } catch (RuntimeException ex) {
                    undecodable++;
                    continue;
                }
                if (c.channelOffset() != 0 || c.sampleCount() == 0) {
                    continue;
                }
                chunkSamplesInTopic += c.sampleCount();
                delivered.computeIfAbsent(c.streamId(), x -> new BitSet())
                        .set(Math.toIntExact(c.firstSequence()), Math.toIntExact(c.firstSequence() + c.sampleCount()));
                if (c.lostBefore() > 0) {
                    announcedLoss.computeIfAbsent(c.streamId(), x -> new HashMap<>())
                            .put(c.firstSequence(), c.lostBefore());
                }
            }
        }
        long samplesJournaled = 0;
        long samplesLost = 0;
        long samplesInTopic = 0;
        for (Map.Entry<String, BitSet> e : journaled.entrySet()) {
            BitSet lost = (BitSet) e.getValue().clone();
            BitSet got = delivered.getOrDefault(e.getKey(), new BitSet());
            lost.andNot(got);
            samplesJournaled += e.getValue().cardinality();
            samplesLost += lost.cardinality();
        }
        for (BitSet b : delivered.values()) {
            samplesInTopic += b.cardinality();
        }
        // holes in the journaled sequence numbers: what the source lost; each must be announced exactly
        int sourceGaps = 0;
        int sourceGapsHidden = 0;
        for (Map.Entry<String, TreeMap<Long, Long>> e : journalRuns.entrySet()) {
            long end = -1;
            Map<Long, Long> announced = announcedLoss.getOrDefault(e.getKey(), Map.of());
            for (Map.Entry<Long, Long> run : e.getValue().entrySet()) {
                if (end >= 0 && run.getKey() > end) {
                    sourceGaps++;
                    Long said = announced.get(run.getKey());
                    if (said == null || said != run.getKey() - end) {
                        sourceGapsHidden++;
                    }
                }
                end = Math.max(end, run.getValue());
            }
        }
        int sourceGapsReported = announcedLoss.values().stream().mapToInt(Map::size).sum();

        // --- markers: the ground truth against raw.markers
        Map<String, long[]> received = new HashMap<>(); // label → {sequence, flags}
        for (ConsumerRecord<byte[], byte[]> r : read(Topics.MARKERS)) {
            try {
                Marker m = markerCodec.decode(r.value());
                if (m.label() != null) {
                    received.put(m.label(), new long[]{m.sequence(), RecordHeaders.flags(r.headers())});
                }
            } catch (RuntimeException ex) {
                undecodable++;
            }
        }
        int markerGapsReported = (int) received.values().stream()
                .filter(v -> (v[1] & QualityFlags.GAP) != 0).count();
        int sent = 0;
        int lost = 0;
        int hidden = 0;
        if (groundTruth != null) {
            List<String[]> truth = markersSent(groundTruth.resolve("markers.tsv"));
            for (int i = 0; i < truth.size(); i++) {
                double t = Double.parseDouble(truth.get(i)[0]);
                if (t > sentUntilSeconds) {
                    break;
                }
                sent++;
                if (received.containsKey(truth.get(i)[2])) {
                    continue;
                }
                lost++;
                // the next marker that did arrive must report the hole: GAP, and its sequence number skips one
                long[] prev = null;
                for (int j = i - 1; j >= 0 && prev == null; j--) {
                    prev = received.get(truth.get(j)[2]);
                }
                long[] next = null;
                for (int j = i + 1; j < truth.size() && next == null; j++) {
                    next = received.get(truth.get(j)[2]);
                }
                boolean reported = next != null && (next[1] & QualityFlags.GAP) != 0
                        && (prev == null || next[0] > prev[0] + 1);
                if (!reported) {
                    hidden++;
                }
            }
        }

        // --- epochs: live against the offline recomputation from the journal
        Map<String, Epoch> live = new LinkedHashMap<>();
        int epochRecords = 0;
        var epochSerde = ContractSerdes.epoch().deserializer();
        for (ConsumerRecord<byte[], byte[]> r : read(Topics.EPOCHS)) {
            try {
                Epoch e = epochSerde.deserialize(r.topic(), r.value());
                if (e != null && e.trigger().kind() == io.mindstream.contracts.TriggerKind.MARKER) {
                    epochRecords++;
                    live.putIfAbsent(e.epochId(), e);
                }
            } catch (RuntimeException ex) {
                undecodable++;
            }
        }
        int missing = 0;
        int different = 0;
        Set<String> offlineIds = new HashSet<>();
        for (Epoch o : offline) {
            offlineIds.add(o.epochId());
            Epoch l = live.get(o.epochId());
            if (l == null) {
                missing++;
            } else if (!io.mindstream.processor.offline.EpochComparison.sameIgnoringDelivery(o, l)) {
                different++;
            }
        }
        int extra = (int) live.keySet().stream().filter(id -> !offlineIds.contains(id)).count();

        // --- results: one per live epoch, none twice; and how current they were around the fault
        Map<String, Integer> resultsPerEpoch = new HashMap<>();
        int resultRecords = 0;
        List<long[]> stamps = new ArrayList<>(); // {decoded µs, acquired µs, epoched µs}
        var resultSerde = ContractSerdes.decodeResult().deserializer();
        for (ConsumerRecord<byte[], byte[]> r : read(Topics.RESULTS)) {
            try {
                DecodeResult d = resultSerde.deserialize(r.topic(), r.value());
                if (d == null) {
                    continue;
                }
                resultRecords++;
                resultsPerEpoch.merge(d.epochId(), 1, Integer::sum);
                stamps.add(new long[]{d.trace().get(Stage.DECODED), d.trace().get(Stage.ACQUIRED),
                        d.trace().get(Stage.EPOCHED)});
            } catch (RuntimeException ex) {
                undecodable++;
            }
        }
        int resultsMissing = (int) live.keySet().stream().filter(id -> !resultsPerEpoch.containsKey(id)).count();
        int resultsDuplicated = resultRecords - resultsPerEpoch.size();
        stamps.sort((a, b) -> Long.compare(a[0], b[0]));
        double recovery = Double.NaN;
        double firstResult = Double.NaN;
        double worst = 0;
        double worstDecoderWait = 0;
        for (long[] s : stamps) {
            if (s[0] < faultStartMicros || s[1] <= 0) {
                continue;
            }
            if (Double.isNaN(firstResult) && s[0] >= faultEndMicros) {
                firstResult = (s[0] - faultEndMicros) / 1e6;
            }
            double latency = (s[0] - s[1]) / 1e6;
            if (Double.isNaN(recovery)) {
                worst = Math.max(worst, latency);
                // the decoder's part: from the epoch's cut to its result (on the epochs topic, then decoding); the
                // rest of the latency is acquisition → ingest → processor
                if (s[2] > 0) {
                    worstDecoderWait = Math.max(worstDecoderWait, (s[0] - s[2]) / 1e6);
                }
                // current again: an epoch whose data was complete after the component came back, decoded within 1 s
                if (s[1] >= faultEndMicros && latency < 1.0) {
                    recovery = (s[0] - faultEndMicros) / 1e6;
                }
            }
        }
        return new Report(samplesJournaled, samplesLost, chunkSamplesInTopic - samplesInTopic,
                sourceGaps, sourceGapsReported, sourceGapsHidden, sent, lost, hidden, markerGapsReported,
                offline.size(), live.size(), missing, extra, different, epochRecords - live.size(),
                resultRecords, resultsMissing, resultsDuplicated, undecodable, firstResult, recovery, worst,
                worstDecoderWait);
    }

    /** Rows {time, trial, label} of the simulator's markers.tsv, in time order. */
    static List<String[]> markersSent(Path tsv) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("time\t") || line.isBlank()) {
                continue;
            }
            out.add(line.split("\t", 3));
        }
        return out;
    }

    /** Every record of the session on {@code topic}, from its start to its current end, in partition order. */
    private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        new TopicReader(bootstrapServers, "mindstream-audit").readAll(List.of(topic),
                session.getBytes(StandardCharsets.UTF_8), r -> {
                    if (r.value() != null) {
                        out.add(r);
                    }
                });
        return out;
    }
}
