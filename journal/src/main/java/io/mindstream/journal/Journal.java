package io.mindstream.journal;

import io.mindstream.contracts.StreamKind;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.UUID;

/**
 * The durable local journal (architecture.md data path): every record is appended here before anything else sees
 * it, so a crash or an unreachable broker loses nothing that was pulled from LSL.
 *
 * <p>A thin layer over one Chronicle Queue. Each entry is a small fixed header followed by the encoded contracts
 * record (see {@link #append}); the header lets the forwarder route the entry and lets a restarted ingest recover
 * every stream's last sequence number and timestamp without decoding payloads.
 *
 * <p>Thread-safety: {@link #append} may be called from any thread (each thread gets its own Chronicle appender,
 * Chronicle serialises them with its write lock). Readers are single-threaded, one per consumer.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** Version byte of the entry header; bump on any change of the layout below. */
    static final byte FORMAT_VERSION = 1;

    private final JournalConfig config;
    private final SingleChronicleQueue queue;
    private final UUID id;
    private final ThreadLocal<ExcerptAppender> appenders;
    private final List<ExcerptAppender> allAppenders = new ArrayList<>();

    private Journal(JournalConfig config, SingleChronicleQueue queue, UUID id) {
        this.config = config;
        this.queue = queue;
        this.id = id;
        this.appenders = ThreadLocal.withInitial(() -> {
            ExcerptAppender a = queue.createAppender();
            synchronized (allAppenders) {
                allAppenders.add(a);
            }
            return a;
        });
    }

    /** Opens (creating if needed) the journal in {@code config.directory()}. */
    public static Journal open(JournalConfig config) {
        try {
            Files.createDirectories(config.queueDirectory());
            UUID id = loadOrCreateId(config.directory().resolve("journal.id"));
            SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(config.queueDirectory())
                    .rollCycle(config.rollCycle())
                    // a writer killed with -9 mid-append leaves the header locked; recover quickly rather than
                    // Chronicle's default of several seconds
                    .timeoutMS(2_000)
                    .build();
            LOG.info("journal {} opened at {} (roll cycle {}, keep {} cycles)", id, config.directory(),
                    config.rollCycle(), config.keepCycles() == 0 ? "all" : config.keepCycles());
            return new Journal(config, q, id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal at " + config.directory(), e);
        }
    }

    /**
     * Opens an existing journal to read it (replay, offline epochs): keeps every cycle and creates nothing.
     *
     * @throws IllegalArgumentException naming the directory when it holds no journal
     */
    public static Journal openExisting(Path dir) {
        if (!Files.isDirectory(dir.resolve("queue"))) {
            throw new IllegalArgumentException("no ingest journal at " + dir);
        }
        // the roll cycle only matters to writers: a reader finds the cycles the files hold
        return open(new JournalConfig(dir, JournalConfig.parseRollCycle("FAST_HOURLY"), 0));
    }

    private static UUID loadOrCreateId(Path file) throws IOException {
        if (Files.exists(file)) {
            return UUID.fromString(Files.readString(file, StandardCharsets.US_ASCII).trim());
        }
        UUID id = UUID.randomUUID();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** The journal's identity: travels in every Kafka record's headers so a restart can find its own records. */
    public UUID id() {
        return id;
    }

    public JournalConfig config() {
        return config;
    }

    public RollCycle rollCycle() {
        return queue.rollCycle();
    }

    /**
     * Appends one entry and returns its journal index. Layout (little-endian): version byte, type byte, kind byte,
     * int flags, long sequence, int sampleCount, double lastTimestamp, double clockOffset, UTF-8 streamId, UTF-8
     * session, int payload length, payload.
     */
    public long append(JournalEntry e) {
        ExcerptAppender appender = appenders.get();
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeByte(FORMAT_VERSION);
            b.writeByte(e.type().code());
            b.writeByte((byte) e.kind().code());
            b.writeInt(e.flags());
            b.writeLong(e.sequence());
            b.writeInt(e.sampleCount());
            b.writeDouble(e.lastTimestamp());
            b.writeDouble(e.clockOffset());
            b.writeUtf8(e.streamId());
            b.writeUtf8(e.session());
            b.writeInt(e.payload().length);
            b.write(e.payload());
        }
        return appender.lastIndexAppended();
    }

    /** A reader positioned at the start of the journal. */
    public Reader reader() {
        return new Reader(queue.createTailer(), config.directory());
    }

    /** Index of the first entry still on disk, or -1 when empty. */
    public long firstIndex() {
        long i = queue.firstIndex();
        return i == Long.MAX_VALUE ? -1 : i;
    }

    /** Index of the last entry appended (by any process), or -1 when empty. */
    public long lastIndex() {
        long i = queue.lastIndex();
        return i < 0 ? -1 : i;
    }

    /**
     * Deletes the oldest cycle files beyond {@link JournalConfig#keepCycles()}, never touching the cycle that holds
     * {@code safeIndex} (the forwarder's last acknowledged entry) or anything after it: an entry is deleted only
     * once Kafka has it. Returns the number of files deleted.
     */
    public int applyRetention(long safeIndex) {
        int keep = config.keepCycles();
        if (keep == 0 || safeIndex < 0) {
            return 0;
        }
        queue.refreshDirectoryListing();
        int first = queue.firstCycle();
        int last = queue.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE) {
            return 0;
        }
        NavigableSet<Long> cycles = queue.listCyclesBetween(first, last);
        int safeCycle = queue.rollCycle().toCycle(safeIndex);
        int excess = cycles.size() - keep;
        int deleted = 0;
        for (Long c : cycles) {
            if (deleted >= excess || c >= safeCycle || c >= last) {
                break;
            }
            File f = cycleFile(c.intValue());
            if (f.delete()) {
                deleted++;
                LOG.info("journal retention: deleted cycle file {} (all entries acknowledged by Kafka)", f.getName());
            } else {
                LOG.warn("journal retention: could not delete {}", f);
                break;
            }
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /** The file Chronicle stores a cycle in: the roll cycle's date format of the cycle's start, UTC, + .cq4. */
    File cycleFile(int cycle) {
        RollCycle rc = queue.rollCycle();
        long millis = (long) cycle * rc.lengthInMillis() + rc.defaultEpoch();
        String name = DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(millis));
        return new File(queue.file(), name + ".cq4");
    }

    @Override
    public void close() {
        synchronized (allAppenders) {
            allAppenders.forEach(ExcerptAppender::close);
            allAppenders.clear();
        }
        queue.close();
    }

    /**
     * An entry this build cannot read (a type code written by a newer build). The reader has moved past it: the
     * next {@link Reader#next()} returns the entry after it.
     */
    public static final class UnreadableEntryException extends IllegalStateException {
        private final long index;

        UnreadableEntryException(Path journal, long index, String problem) {
            super("journal " + journal + ", entry " + Long.toHexString(index) + ": " + problem);
            this.index = index;
        }

        public long index() {
            return index;
        }
    }

    /** Reads entries in order; one thread only. */
    public static final class Reader implements AutoCloseable {
        private final ExcerptTailer tailer;
        private final Path directory;
        private long lastIndex = -1;

        Reader(ExcerptTailer tailer, Path directory) {
            this.tailer = tailer;
            this.directory = directory;
        }

        /** The journal directory, for messages that name an entry ({@link #describe}). */
        public Path directory() {
            return directory;
        }

        /** "journal DIR, entry HEX": how messages name the entry last returned. */
        public String describe() {
            return "journal " + directory + ", entry " + Long.toHexString(lastIndex);
        }

        /** Positions the reader so the next entry read is the one after {@code index}; false if it is not found. */
        public boolean seekAfter(long index) {
            if (!tailer.moveToIndex(index)) {
                return false;
            }
            try (DocumentContext dc = tailer.readingDocument()) {
                return dc.isPresent();
            }
        }

        public void toStart() {
            tailer.toStart();
        }

        /**
         * The next entry, or null when the reader has caught up with the writers.
         *
         * @throws UnreadableEntryException for an entry of a type this build does not know, after moving past it
         */
        public JournalEntry next() {
            byte unknownType;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                lastIndex = dc.index();
                Bytes<?> b = dc.wire().bytes();
                byte version = b.readByte();
                if (version != FORMAT_VERSION) {
                    throw new IllegalStateException(describe() + " has format version " + version
                            + ", this build reads " + FORMAT_VERSION);
                }
                byte typeCode = b.readByte();
                EntryType type = EntryType.fromCode(typeCode);
                if (type != null) {
                    return readRest(b, type);
                }
                unknownType = typeCode;
            }
            // thrown once the document is closed, so that the reader has moved past the entry
            throw new UnreadableEntryException(directory, lastIndex, "unknown entry type " + unknownType
                    + " (written by a newer build?); passed over");
        }

        private static JournalEntry readRest(Bytes<?> b, EntryType type) {
            StreamKind kind = StreamKind.fromCode(b.readByte());
            int flags = b.readInt();
            long sequence = b.readLong();
            int sampleCount = b.readInt();
            double lastTimestamp = b.readDouble();
            double clockOffset = b.readDouble();
            String streamId = b.readUtf8();
            String session = b.readUtf8();
            int len = b.readInt();
            byte[] payload = new byte[len];
            b.read(payload);
            return new JournalEntry(type, kind, flags, session, streamId, sequence, sampleCount, lastTimestamp,
                    clockOffset, payload);
        }

        /** Index of the entry last returned by {@link #next()}. */
        public long lastIndex() {
            return lastIndex;
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
