package io.mindstream.ingest.source;

/**
 * How inlets are opened and read.
 *
 * @param maxBufferedSeconds   data an inlet buffers while ingest is busy (liblsl's max_buflen)
 * @param openTimeoutSeconds   how long to wait for an outlet's handshake
 * @param resolveIntervalMs    how often the continuous resolver's results are checked for new streams
 * @param forgetAfterSeconds   a stream silent on the resolver this long counts as gone
 * @param silenceWarnSeconds   a regular stream with no data this long is reported (with the samples missing so far)
 * @param clockSyncIntervalSec how often the time correction is read for the accounting
 */
public record InletConfig(int maxBufferedSeconds, double openTimeoutSeconds, long resolveIntervalMs,
                          double forgetAfterSeconds, double silenceWarnSeconds, double clockSyncIntervalSec) {

    public static InletConfig defaults() {
        return new InletConfig(360, 5.0, 500, 5.0, 2.0, 5.0);
    }
}
