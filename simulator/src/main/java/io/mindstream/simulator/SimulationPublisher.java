package io.mindstream.simulator;

import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import io.mindstream.lsl4j.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a {@link SimulatedSubject} on LSL: an MEG outlet (type {@code MEG}, float32, channel labels, types,
 * units and sensor locations in the desc), a string marker outlet (type {@code Markers}) and optionally an fMRI outlet
 * (type {@code fMRI}, one float32 sample per TR).
 *
 * <p>Timestamps are explicit and come from the session schedule, not from when a push happens: sample i is stamped
 * {@code t0 + i / rate}, a marker at schedule time s is stamped {@code t0 + s}, volume j {@code t0 + j × TR}, where
 * {@code t0} is {@link LslClock#localClock()} when publishing starts. Pushes are paced to wall time divided by
 * {@code speed}; with speed &gt; 1 the stamps therefore run ahead of the clock, exactly as a recording replayed fast.
 * MEG goes out in chunks of {@code chunkSamples} (12 = 10 ms at 1,200 Hz); markers and volumes are pushed as soon as
 * the MEG data up to their time has been pushed.
 */
public final class SimulationPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SimulationPublisher.class);

    /**
     * @param streamName   base name: outlets are {@code <name>-meg}, {@code <name>-markers}, {@code <name>-fmri}
     * @param sourceId     base source_id, suffixed the same way
     * @param speed        pacing factor (1 = real time); {@code Double.POSITIVE_INFINITY} = as fast as possible
     * @param endSeconds   stop after this much session time
     * @param fmri         also publish the fMRI stream
     * @param chunkSamples MEG samples per push
     * @param progressSeconds session seconds between progress log lines (0 = none)
     */
    public record Options(String streamName, String sourceId, double speed, double endSeconds, boolean fmri,
                          int chunkSamples, double progressSeconds) {
        public Options {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be > 0, got " + speed);
            }
            if (!(endSeconds > 0)) {
                throw new IllegalArgumentException("end must be > 0 s, got " + endSeconds);
            }
            if (chunkSamples < 1) {
                throw new IllegalArgumentException("chunk must be >= 1 sample, got " + chunkSamples);
            }
        }
    }

    /** What was sent. */
    public record Summary(long megSamples, long markers, long fmriVolumes, double sessionSeconds,
                          double wallSeconds) {
    }

    private final SimulatedSubject subject;
    private final Options options;
    private final StreamOutlet meg;
    private final StreamOutlet markers;
    private final StreamOutlet fmri;

    /** Creates the outlets with the default LSL configuration (they are visible on the network from here on). */
    public SimulationPublisher(SimulatedSubject subject, Options options) {
        this(subject, options, LslConfig.load());
    }

    /** Creates the outlets with the given LSL configuration (ports, discovery scope). */
    public SimulationPublisher(SimulatedSubject subject, Options options, LslConfig lsl) {
        this.subject = subject;
        this.options = options;
        this.meg = new StreamOutlet(megInfo(subject, options), options.chunkSamples(), 60, lsl);
        this.markers = new StreamOutlet(markerInfo(subject, options), 0, 360, lsl);
        this.fmri = options.fmri() ? new StreamOutlet(fmriInfo(subject, options), 0, 360, lsl) : null;
    }

    /** The MEG stream's info: channel labels/types/units/locations and the simulation parameters in the desc. */
    public static StreamInfo megInfo(SimulatedSubject s, Options o) {
        SensorLayout layout = s.sensorLayout();
        StreamInfo info = new StreamInfo(o.streamName() + "-meg", "MEG", layout.channelCount(), s.sampleRate(),
                ChannelFormat.FLOAT32, o.sourceId() + "-meg");
        XmlElement desc = info.desc();
        XmlElement acq = desc.appendChild("acquisition");
        acq.appendChildValue("manufacturer", "mindstream");
        acq.appendChildValue("model", "simulated CTF-275-like axial gradiometer system");
        acq.appendChildValue("compensation", "none (simulated)");
        XmlElement channels = desc.appendChild("channels");
        for (int c = 0; c < layout.channelCount(); c++) {
            XmlElement ch = channels.appendChild("channel");
            ch.appendChildValue("label", layout.label(c));
            ch.appendChildValue("type", "MEG");
            ch.appendChildValue("unit", "fT");
            ch.appendChildValue("sensor", "axial gradiometer");
            double[] p = layout.position(c);
            XmlElement loc = ch.appendChild("location");
            loc.appendChildValue("X", fmt(p[0]));
            loc.appendChildValue("Y", fmt(p[1]));
            loc.appendChildValue("Z", fmt(p[2]));
            double[] n = layout.normal(c);
            XmlElement ori = ch.appendChild("orientation");
            ori.appendChildValue("X", fmt(n[0]));
            ori.appendChildValue("Y", fmt(n[1]));
            ori.appendChildValue("Z", fmt(n[2]));
            double[] q = layout.position2d(c);
            XmlElement lay = ch.appendChild("layout");
            lay.appendChildValue("X", fmt(q[0]));
            lay.appendChildValue("Y", fmt(q[1]));
        }
        desc.appendChildValue("coordinate_system", "head: x nose, y left ear, z up; metres");
        simulationDesc(desc, s);
        return info;
    }

    public static StreamInfo markerInfo(SimulatedSubject s, Options o) {
        StreamInfo info = new StreamInfo(o.streamName() + "-markers", "Markers", 1, StreamInfo.IRREGULAR_RATE,
                ChannelFormat.STRING, o.sourceId() + "-markers");
        XmlElement desc = info.desc();
        desc.appendChildValue("conventions", "onset image=<id> trial=<n> split=<train|test> | offset trial=<n> |"
                + " catch trial=<n> | block start=<k>");
        desc.appendChildValue("meg_stream", o.streamName() + "-meg");
        simulationDesc(desc, s);
        return info;
    }

    public static StreamInfo fmriInfo(SimulatedSubject s, Options o) {
        StreamInfo info = new StreamInfo(o.streamName() + "-fmri", "fMRI", s.fmriVoxels(), 1.0 / s.fmriTr(),
                ChannelFormat.FLOAT32, o.sourceId() + "-fmri");
        XmlElement desc = info.desc();
        desc.appendChildValue("tr", fmt(s.fmriTr()));
        desc.appendChildValue("voxels", Integer.toString(s.fmriVoxels()));
        desc.appendChildValue("unit", "a.u.");
        // the grid the simulator's scanner export writes these voxels on, as ingest's scanner-folder source
        // describes a folder's volumes: the page draws the volume's own slices
        io.mindstream.simulator.export.ScannerExport.gridFor(s.fmriVoxels())
                .describeTo(desc.appendChild("geometry")::appendChildValue);
        simulationDesc(desc, s);
        return info;
    }

    private static void simulationDesc(XmlElement desc, SimulatedSubject s) {
        XmlElement sim = desc.appendChild("simulation");
        SimulationConfig c = s.config();
        sim.appendChildValue("seed", Long.toString(c.seed()));
        sim.appendChildValue("snr", fmt(c.snr()));
        sim.appendChildValue("line_frequency", fmt(c.lineFrequency()));
        sim.appendChildValue("trigger_lag", fmt(c.triggerLagSeconds()));
        sim.appendChildValue("bank_model", s.bankModel());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public StreamOutlet megOutlet() {
        return meg;
    }

    /**
     * Streams until {@code endSeconds} of session time or until {@code stop} is set, then closes the outlets.
     *
     * @param waitForConsumersSeconds wait up to this long for an MEG consumer before starting (0 = do not wait)
     */
    public Summary run(AtomicBoolean stop, double waitForConsumersSeconds) throws InterruptedException {
        try {
            if (waitForConsumersSeconds > 0) {
                LOG.info("waiting up to {} s for a consumer of {}", waitForConsumersSeconds, meg.info().name());
                if (!meg.waitForConsumers(waitForConsumersSeconds)) {
                    LOG.warn("no consumer after {} s; publishing anyway", waitForConsumersSeconds);
                }
            }
            return stream(stop);
        } finally {
            close();
        }
    }

    private Summary stream(AtomicBoolean stop) {
        int ch = subject.channelCount();
        double fs = subject.sampleRate();
        int chunk = options.chunkSamples();
        long total = (long) Math.ceil(options.endSeconds() * fs);
        float[] buf = new float[chunk * ch];
        double[] stamps = new double[chunk];
        float[] volume = fmri != null ? new float[subject.fmriVoxels()] : null;
        List<MarkerEvent> marks = subject.markers();
        String[] one = new String[1];
        int nextMarker = 0;
        long nextVolume = 0;
        long sent = 0, markersSent = 0, volumesSent = 0;
        double t0 = LslClock.localClock();
        long wall0 = System.nanoTime();
        double nextProgress = options.progressSeconds() > 0 ? options.progressSeconds() : Double.POSITIVE_INFINITY;
        int trials = subject.schedule().size();
        LOG.info("publishing {} s of session time {}: {} ({} ch @ {} Hz), {}{}; t0 = {}",
                f2(options.endSeconds()), options.speed() == Double.POSITIVE_INFINITY ? "as fast as possible"
                        : "at " + f2(options.speed()) + "× real time",
                meg.info().name(), ch, f2(fs), markers.info().name(),
                fmri != null ? ", " + fmri.info().name() + " (" + subject.fmriVoxels() + " voxels, TR "
                        + f2(subject.fmriTr()) + " s)" : "", f2(t0));
        while (sent < total && !stop.get()) {
            int n = (int) Math.min(chunk, total - sent);
            // pace: the chunk is pushed when wall time reaches its last sample's session time / speed, as a device
            // sends a chunk once its last sample is acquired (pacing on the chunk's end instead held every chunk one
            // sample period, 0.83 ms at 1200 Hz, after its last sample's time stamp)
            double chunkEnd = (sent + n) / fs;
            double lastSample = (sent + n - 1) / fs;
            if (options.speed() != Double.POSITIVE_INFINITY) {
                long due = wall0 + (long) (lastSample / options.speed() * 1e9);
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && !stop.get()) {
                    LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
                }
            }
            float[] out = n == chunk ? buf : new float[n * ch];
            double[] ts = n == chunk ? stamps : new double[n];
            subject.generateMeg(sent, n, out);
            for (int i = 0; i < n; i++) {
                ts[i] = t0 + (sent + i) / fs;
            }
            meg.pushChunk(out, ts);
            sent += n;
            while (nextMarker < marks.size() && marks.get(nextMarker).seconds() < chunkEnd) {
                MarkerEvent m = marks.get(nextMarker++);
                one[0] = m.label();
                markers.pushSample(one, t0 + m.seconds());
                markersSent++;
            }
            if (fmri != null) {
                while (nextVolume * subject.fmriTr() < chunkEnd) {
                    subject.generateFmri(nextVolume, volume);
                    fmri.pushSample(volume, t0 + nextVolume * subject.fmriTr());
                    nextVolume++;
                    volumesSent++;
                }
            }
            if (chunkEnd >= nextProgress) {
                nextProgress += options.progressSeconds();
                double wall = (System.nanoTime() - wall0) / 1e9;
                LOG.info("t = {} s: {} samples, {} markers{} sent, trial {}/{}, {}× real time, consumers: {}",
                        f2(chunkEnd), sent, markersSent, fmri != null ? ", " + volumesSent + " volumes" : "",
                        trialAt(chunkEnd), trials, f2(chunkEnd / Math.max(1e-9, wall)),
                        meg.haveConsumers() ? "yes" : "none");
            }
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        Summary sum = new Summary(sent, markersSent, volumesSent, sent / fs, wall);
        LOG.info("{}: sent {} MEG samples ({} s), {} markers, {} fMRI volumes in {} s wall time",
                stop.get() ? "stopped" : "finished", sent, f2(sent / fs), markersSent, volumesSent, f2(wall));
        return sum;
    }

    private int trialAt(double seconds) {
        List<StimulusEvent> ev = subject.schedule();
        int lo = 0, hi = ev.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ev.get(mid).onsetSeconds() <= seconds) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void close() {
        meg.close();
        markers.close();
        if (fmri != null) {
            fmri.close();
        }
    }
}
