package io.mindstream.display;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the display server can be told, in one typed place.
 *
 * @param host              address to bind; loopback by default so a lab machine does not expose the page
 * @param port              TCP port, 0 = any free port
 * @param allowedOrigins    extra WebSocket origins allowed besides the page's own (exact {@code scheme://host:port},
 *                          or {@code *} for any)
 * @param bankDir           embedding bank directory whose thumbnails are served under {@code /bank/}, or null
 * @param ioThreads         Netty worker event loops
 * @param clientQueueFrames frames a client may have waiting beyond the socket's write buffer before the oldest are
 *                          dropped
 * @param snapshotResults   recent results replayed to a page that connects late
 * @param maxFrameBytes     largest WebSocket message a page may send (acks are tiny)
 * @param maxRequestBytes   largest HTTP request body accepted (the server only serves GETs)
 * @param accuracyWindow    results in the rolling top-1/top-5 window
 * @param plotRateHz        sample rate of the MEG butterfly plot after downsampling
 * @param healthPeriodMs    how often stream health is pushed
 * @param idleTimeoutSeconds a connection that sends nothing for this long is closed (the page pings every 5 s; a hidden tab's timers may be throttled)
 * @param fmriHrfDelaySeconds an fMRI volume is shown beside the stimulus this long before it (the haemodynamic
 *                          delay: the canonical HRF peaks about 5 s after the stimulus)
 */
public record DisplayConfig(
        String host,
        int port,
        List<String> allowedOrigins,
        Path bankDir,
        int ioThreads,
        int clientQueueFrames,
        int snapshotResults,
        int maxFrameBytes,
        int maxRequestBytes,
        int accuracyWindow,
        double plotRateHz,
        int healthPeriodMs,
        int idleTimeoutSeconds,
        double fmriHrfDelaySeconds) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;

    public DisplayConfig {
        Objects.requireNonNull(host, "host");
        allowedOrigins = List.copyOf(allowedOrigins);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        requirePositive("ioThreads", ioThreads);
        requirePositive("clientQueueFrames", clientQueueFrames);
        requirePositive("snapshotResults", snapshotResults);
        requirePositive("maxFrameBytes", maxFrameBytes);
        requirePositive("maxRequestBytes", maxRequestBytes);
        requirePositive("accuracyWindow", accuracyWindow);
        requirePositive("healthPeriodMs", healthPeriodMs);
        requirePositive("idleTimeoutSeconds", idleTimeoutSeconds);
        if (!(fmriHrfDelaySeconds >= 0) || fmriHrfDelaySeconds > 60) {
            throw new IllegalArgumentException("fmriHrfDelaySeconds must be 0 … 60 s, got " + fmriHrfDelaySeconds);
        }
        if (!(plotRateHz > 0)) {
            throw new IllegalArgumentException("plotRateHz must be > 0, got " + plotRateHz);
        }
    }

    private static void requirePositive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** Loopback, port 8090, no bank, same-origin only. */
    public static DisplayConfig defaults() {
        return new DisplayConfig(DEFAULT_HOST, DEFAULT_PORT, List.of(), null, 2, 64, 50, 16 * 1024, 16 * 1024, 50,
                100.0, 1000, 120, 5.0);
    }

    public DisplayConfig withPort(int p) {
        return new DisplayConfig(host, p, allowedOrigins, bankDir, ioThreads, clientQueueFrames, snapshotResults,
                maxFrameBytes, maxRequestBytes, accuracyWindow, plotRateHz, healthPeriodMs, idleTimeoutSeconds,
                fmriHrfDelaySeconds);
    }

    public DisplayConfig withHost(String h) {
        return new DisplayConfig(h, port, allowedOrigins, bankDir, ioThreads, clientQueueFrames, snapshotResults,
                maxFrameBytes, maxRequestBytes, accuracyWindow, plotRateHz, healthPeriodMs, idleTimeoutSeconds,
                fmriHrfDelaySeconds);
    }

    public DisplayConfig withBankDir(Path dir) {
        return new DisplayConfig(host, port, allowedOrigins, dir, ioThreads, clientQueueFrames, snapshotResults,
                maxFrameBytes, maxRequestBytes, accuracyWindow, plotRateHz, healthPeriodMs, idleTimeoutSeconds,
                fmriHrfDelaySeconds);
    }

    public DisplayConfig withAllowedOrigins(List<String> origins) {
        return new DisplayConfig(host, port, origins, bankDir, ioThreads, clientQueueFrames, snapshotResults,
                maxFrameBytes, maxRequestBytes, accuracyWindow, plotRateHz, healthPeriodMs, idleTimeoutSeconds,
                fmriHrfDelaySeconds);
    }

    public DisplayConfig withClientQueueFrames(int frames) {
        return new DisplayConfig(host, port, allowedOrigins, bankDir, ioThreads, frames, snapshotResults,
                maxFrameBytes, maxRequestBytes, accuracyWindow, plotRateHz, healthPeriodMs, idleTimeoutSeconds,
                fmriHrfDelaySeconds);
    }

    public DisplayConfig withHealthPeriodMs(int ms) {
        return new DisplayConfig(host, port, allowedOrigins, bankDir, ioThreads, clientQueueFrames, snapshotResults,
                maxFrameBytes, maxRequestBytes, accuracyWindow, plotRateHz, ms, idleTimeoutSeconds,
                fmriHrfDelaySeconds);
    }
}
