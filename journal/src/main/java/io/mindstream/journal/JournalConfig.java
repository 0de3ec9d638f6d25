package io.mindstream.journal;

import io.mindstream.runtime.DataDirs;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the journal lives and how long it is kept.
 *
 * @param directory  journal directory: holds {@code queue/} (Chronicle cycle files), {@code journal.id} and the
 *                   forwarder's checkpoint
 * @param rollCycle  how often Chronicle starts a new cycle file
 * @param keepCycles how many of the newest cycle files retention keeps (0 = keep everything). A cycle is only ever
 *                   deleted once every entry in it has been acknowledged by Kafka, whatever this says.
 */
public record JournalConfig(Path directory, RollCycle rollCycle, int keepCycles) {

    public JournalConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(rollCycle, "rollCycle");
        if (keepCycles < 0) {
            throw new IllegalArgumentException("keepCycles must be >= 0, got " + keepCycles);
        }
    }

    /** Where ingest journals unless told otherwise ({@code --journal-dir}): {@code <data dir>/journal}. */
    public static Path defaultDirectory() {
        return DataDirs.root().resolve("journal");
    }

    /** Hourly cycles, the last 48 kept. */
    public static JournalConfig defaults(Path directory) {
        return new JournalConfig(directory, RollCycles.FAST_HOURLY, 48);
    }

    /** Parses a roll-cycle name as Chronicle spells it ({@code FAST_HOURLY}, {@code TEN_MINUTELY}, …). */
    public static RollCycle parseRollCycle(String name) {
        try {
            return RollCycles.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown roll cycle '" + name + "'; one of "
                    + java.util.Arrays.toString(RollCycles.values()));
        }
    }

    public Path queueDirectory() {
        return directory.resolve("queue");
    }
}
