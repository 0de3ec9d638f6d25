package io.mindstream.benchmarks.formats;

import io.mindstream.formats.fif.FifEvents;
import io.mindstream.formats.fif.FifRaw;
import io.mindstream.formats.fif.FifRawWriter;
import io.mindstream.formats.xdf.XdfReader;
import io.mindstream.formats.xdf.XdfWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How fast the recording formats go, against MNE on the same file in the same run (docs/benchmarks.md, "formats"):
 * a raw FIF written by MNE (Debian python3-mne) is read by {@link FifRaw#readAll()} and by MNE's
 * {@code read_raw_fif(preload=True)} (timed inside one Python process, interpreter start excluded), alternately,
 * {@code --repeats} times each; then the same data is written as FIF ({@link FifRawWriter}) and XDF
 * ({@link XdfWriter}, 10 ms chunks as a recorder writes them) and the XDF read back ({@link XdfReader}).
 * Prints each median, the best, the ratio MNE/Java and the speed in multiples of real time.
 *
 * <pre>
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar io.mindstream.benchmarks.formats.FifReadComparison \
 *     [--channels 306] [--seconds 120] [--rate 1000] [--fmt single] [--repeats 5] [--dir target/fif-bench]
 * </pre>
 */
public final class FifReadComparison {

    private FifReadComparison() {
    }

    public static void main(String[] args) throws Exception {
        int channels = 306;
        double seconds = 120;
        double rate = 1000;
        String fmt = "single";
        int repeats = 5;
        Path dir = Path.of("target", "fif-bench");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--channels" -> channels = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--fmt" -> fmt = args[i + 1];
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path script = dir.resolve("mne_fif_bench.py");
        try (InputStream in = FifReadComparison.class.getResourceAsStream("mne_fif_bench.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path fif = dir.resolve(String.format(Locale.ROOT, "bench_%dch_%.0fs_%s_raw.fif", channels, seconds, fmt));
        if (!Files.exists(fif)) {
            System.out.println("writing " + fif + " with MNE ...");
            run(List.of("/usr/bin/python3", script.toString(), "make", fif.toString(), Integer.toString(channels),
                    Double.toString(seconds), Double.toString(rate), fmt));
        }
        double recSeconds;
        try (FifRaw raw = FifRaw.open(fif)) {
            recSeconds = raw.sampleCount() / raw.info().samplingRate();
        }
        System.out.printf(Locale.ROOT, "file: %s, %.1f MB, %d channels, %.0f s at %.0f Hz (%s)%n", fif,
                Files.size(fif) / 1e6, channels, recSeconds, rate, fmt);
        System.out.printf(Locale.ROOT, "load average: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());

        try (FifRaw warm = FifRaw.open(fif)) {       // one unmeasured read: class loading and JIT, as Python's import
            warm.readAll();
        }
        double[] java = new double[repeats];
        double[] mne = new double[repeats];
        long checksum = 0;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            try (FifRaw raw = FifRaw.open(fif)) {
                double[][] d = raw.readAll();
                checksum += Double.doubleToLongBits(d[0][d[0].length - 1]);
            }
            java[r] = (System.nanoTime() - t) / 1e9;
            String out = run(List.of("/usr/bin/python3", script.toString(), "read", fif.toString(), "1"));
            mne[r] = Double.parseDouble(out.substring(out.indexOf("mne_read_seconds ") + 17).trim().split("\\s+")[0]);
        }
        report("FIF read, FifRaw.readAll()", java, recSeconds);
        report("FIF read, MNE read_raw_fif(preload=True)", mne, recSeconds);
        System.out.printf(Locale.ROOT, "ratio MNE / Java (medians): %.2f%n", median(mne) / median(java));

        // events, then writing and reading back the same data
        double[] events = new double[repeats];
        double[] fifWrite = new double[repeats];
        double[] xdfWrite = new double[repeats];
        double[] xdfRead = new double[repeats];
        try (FifRaw raw = FifRaw.open(fif)) {
            int nch = raw.info().channelCount();
            int chunk = (int) Math.round(raw.info().samplingRate() / 100);
            for (int r = 0; r < repeats; r++) {
                long t = System.nanoTime();
                checksum += raw.findEvents(FifEvents.Options.defaults()).size();
                events[r] = (System.nanoTime() - t) / 1e9;

                Path outFif = dir.resolve("bench_out_raw.fif");
                t = System.nanoTime();
                double[] buf = new double[0];
                try (FifRawWriter w = FifRawWriter.create(outFif, raw.info(), raw.firstSample(), List.of())) {
                    for (FifRaw.Segment s : raw.segments()) {
                        if (buf.length < s.sampleCount() * nch) {
                            buf = new double[s.sampleCount() * nch];
                        }
                        raw.read(s, buf);
                        w.write(buf, s.sampleCount());
                    }
                }
                fifWrite[r] = (System.nanoTime() - t) / 1e9;

                Path outXdf = dir.resolve("bench_out.xdf");
                t = System.nanoTime();
                try (XdfWriter w = XdfWriter.create(outXdf)) {
                    w.streamHeader(1, "<?xml version=\"1.0\"?><info><name>bench</name><type>MEG</type><channel_count>"
                            + nch + "</channel_count><nominal_srate>" + raw.info().samplingRate()
                            + "</nominal_srate><channel_format>float32</channel_format><source_id>bench</source_id>"
                            + "</info>");
                    long sample = 0;
                    float[] v = new float[chunk * nch];
                    double[] ts = new double[chunk];
                    for (FifRaw.Segment s : raw.segments()) {
                        raw.read(s, buf);
                        for (int at = 0; at + chunk <= s.sampleCount(); at += chunk) {
                            for (int k = 0; k < chunk * nch; k++) {
                                v[k] = (float) buf[at * nch + k];
                            }
                            for (int k = 0; k < chunk; k++) {
                                ts[k] = (sample + at + k) / raw.info().samplingRate();
                            }
                            w.samples(1, ts, v);
                        }
                        sample += s.sampleCount();
                    }
                }
                xdfWrite[r] = (System.nanoTime() - t) / 1e9;

                t = System.nanoTime();
                checksum += XdfReader.read(outXdf).streams().get(0).sampleCount();
                xdfRead[r] = (System.nanoTime() - t) / 1e9;
            }
        }
        report("find_events (STI101)", events, recSeconds);
        report("FIF write, FifRawWriter (float)", fifWrite, recSeconds);
        report("XDF write, XdfWriter (10 ms chunks)", xdfWrite, recSeconds);
        report("XDF read, XdfReader", xdfRead, recSeconds);
        System.out.println("(checksum " + checksum + ")");
    }

    private static void report(String what, double[] s, double recSeconds) {
        System.out.printf(Locale.ROOT, "%-45s median %8.3f s  best %8.3f s  = %7.0f × real time  (runs: %s)%n", what,
                median(s), Arrays.stream(s).min().orElse(0), recSeconds / median(s), fmt(s));
    }

    private static String fmt(double[] s) {
        List<String> out = new ArrayList<>();
        for (double x : s) {
            out.add(String.format(Locale.ROOT, "%.3f", x));
        }
        return String.join(" ", out);
    }

    private static double median(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed:\n" + out);
        }
        return out;
    }
}
