package io.mindstream.ingest.forward;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the forwarder knows for certain about Kafka, persisted after acknowledgements.
 *
 * @param journalId      the journal this checkpoint belongs to (a checkpoint of another journal is ignored)
 * @param lastAckedIndex every journal entry up to and including this index is in Kafka; -1 = none yet
 * @param scanFrom       per partition written to, the offset from which records of entries after
 *                       {@code lastAckedIndex} can appear (the offset after the last acknowledged record, or the
 *                       partition's end offset measured before our first send to it). On restart the forwarder
 *                       reads each partition from here to its end to find what was delivered after the checkpoint.
 */
public record Checkpoint(UUID journalId, long lastAckedIndex, Map<TopicPartition, Long> scanFrom) {

    public Checkpoint {
        Objects.requireNonNull(journalId, "journalId");
        scanFrom = Map.copyOf(scanFrom);
    }

    public static Checkpoint empty(UUID journalId) {
        return new Checkpoint(journalId, -1, Map.of());
    }

    public Checkpoint with(long lastAcked, Map<TopicPartition, Long> offsets) {
        return new Checkpoint(journalId, lastAcked, offsets);
    }

    /**
     * A small text file, replaced atomically (write a temporary file, fsync, rename, fsync the directory), so a
     * crash at any instant leaves either the old or the new checkpoint, never a torn one.
     */
    public static final class Store {
        private final Path file;

        public Store(Path file) {
            this.file = file;
        }

        public Path file() {
            return file;
        }

        /** The stored checkpoint, or an empty one when there is none or it belongs to another journal. */
        public Checkpoint load(UUID journalId) {
            if (!Files.exists(file)) {
                return empty(journalId);
            }
            try {
                UUID id = null;
                long index = -1;
                Map<TopicPartition, Long> offsets = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalStateException("bad checkpoint line '" + line + "' in " + file);
                    }
                    String k = line.substring(0, eq);
                    String v = line.substring(eq + 1);
                    if (k.equals("journal")) {
                        id = UUID.fromString(v);
                    } else if (k.equals("lastAckedIndex")) {
                        index = Long.parseLong(v);
                    } else if (k.startsWith("scanFrom.")) {
                        String tp = k.substring("scanFrom.".length());
                        int dash = tp.lastIndexOf('-');
                        offsets.put(new TopicPartition(tp.substring(0, dash), Integer.parseInt(tp.substring(dash + 1))),
                                Long.parseLong(v));
                    }
                }
                if (!journalId.equals(id)) {
                    org.slf4j.LoggerFactory.getLogger(Checkpoint.class).warn(
                            "checkpoint {} belongs to journal {}, not {}: ignored", file, id, journalId);
                    return empty(journalId);
                }
                return new Checkpoint(id, index, offsets);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint " + file, e);
            }
        }

        public void save(Checkpoint c) {
            StringBuilder sb = new StringBuilder("# mindstream forwarder checkpoint: written after Kafka acknowledgements\n");
            sb.append("journal=").append(c.journalId()).append('\n');
            sb.append("lastAckedIndex=").append(c.lastAckedIndex()).append('\n');
            c.scanFrom().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(TopicPartition::toString)))
                    .forEach(e -> sb.append("scanFrom.").append(e.getKey().topic()).append('-')
                            .append(e.getKey().partition()).append('=').append(e.getValue()).append('\n'));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                } catch (IOException ignored) {
                    // some file systems cannot fsync a directory; the rename is still atomic
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + file, e);
            }
        }
    }
}
