package io.mindstream.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.contracts.bank.Npy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes what a simulated session really was, so decoders can be scored against it:
 * <pre>
 *   &lt;out&gt;/bank/            embedding bank (embeddings.npy, bank.json, thumbs/&lt;id&gt;.png), test split included
 *   &lt;out&gt;/events.tsv       one row per trial: onset (true), marker_onset (with trigger lag), duration, trial,
 *                          image_id, split, catch (BIDS events.tsv style)
 *   &lt;out&gt;/markers.tsv      every marker string with its time (seconds on the MEG sample clock)
 *   &lt;out&gt;/channels.tsv     channel labels, type, unit, 3-D position (m), 2-D layout position
 *   &lt;out&gt;/latents.npy      generative latents, rows in the order of simulation.json "latent_ids"
 *   &lt;out&gt;/simulation.json  the full configuration and the derived generative parameters
 * </pre>
 */
public final class GroundTruthWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroundTruthWriter.class);
    public static final String BANK_DIR = "bank";

    private GroundTruthWriter() {
    }

    /** Writes everything under {@code out} (created if needed; existing files are replaced). */
    public static void write(SimulatedSubject subject, Path out) throws IOException {
        Files.createDirectories(out);
        Path bankDir = out.resolve(BANK_DIR);
        EmbeddingBank bank = subject.bank();
        bank.write(bankDir);
        Path thumbs = bankDir.resolve("thumbs");
        Files.createDirectories(thumbs);
        for (int i = 0; i < bank.count(); i++) {
            Path file = bankDir.resolve(bank.thumbnails().get(i));
            if (!ImageIO.write(subject.thumbnail(bank.id(i)), "png", file.toFile())) {
                throw new IOException("no PNG writer available for " + file);
            }
        }
        writeEvents(subject, out.resolve("events.tsv"));
        writeMarkers(subject, out.resolve("markers.tsv"));
        writeChannels(subject, out.resolve("channels.tsv"));
        List<String> latentIds = new ArrayList<>(subject.imageIds());
        for (StimulusEvent ev : subject.schedule()) {
            if (ev.catchTrial()) {
                latentIds.add(ev.imageId());
            }
        }
        float[] latents = new float[latentIds.size() * subject.latentDim()];
        for (int i = 0; i < latentIds.size(); i++) {
            System.arraycopy(subject.latent(latentIds.get(i)), 0, latents, i * subject.latentDim(),
                    subject.latentDim());
        }
        Npy.writeMatrix(out.resolve("latents.npy"), latentIds.size(), subject.latentDim(), latents);
        writeParameters(subject, latentIds, out.resolve("simulation.json"));
        LOG.info("ground truth written to {}: bank of {} images ({} test, {}-d) with thumbnails, {} trials, {} markers",
                out, bank.count(), bank.testIds().size(), bank.dim(), subject.schedule().size(),
                subject.markers().size());
    }

    private static void writeEvents(SimulatedSubject s, Path file) throws IOException {
        double lag = s.config().triggerLagSeconds();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("onset\tmarker_onset\tduration\ttrial\timage_id\tsplit\tcatch\n");
            for (StimulusEvent e : s.schedule()) {
                w.write(String.format(Locale.ROOT, "%.6f\t%.6f\t%.3f\t%d\t%s\t%s\t%b%n", e.onsetSeconds(),
                        e.onsetSeconds() + lag, s.config().imageSeconds(), e.trial(), e.imageId(), e.split(),
                        e.catchTrial()));
            }
        }
    }

    private static void writeMarkers(SimulatedSubject s, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("time\ttrial\tlabel\n");
            for (MarkerEvent m : s.markers()) {
                w.write(String.format(Locale.ROOT, "%.6f\t%d\t%s%n", m.seconds(), m.trial(), m.label()));
            }
        }
    }

    private static void writeChannels(SimulatedSubject s, Path file) throws IOException {
        SensorLayout l = s.sensorLayout();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("name\ttype\tunits\tx\ty\tz\tlayout_x\tlayout_y\n");
            for (int c = 0; c < l.channelCount(); c++) {
                double[] p = l.position(c), q = l.position2d(c);
                w.write(String.format(Locale.ROOT, "%s\tMEGGRADAXIAL\tfT\t%.5f\t%.5f\t%.5f\t%.4f\t%.4f%n",
                        l.label(c), p[0], p[1], p[2], q[0], q[1]));
            }
        }
    }

    private static void writeParameters(SimulatedSubject s, List<String> latentIds, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("format", "mindstream-simulation");
        root.put("version", 1);
        root.set("config", json.valueToTree(s.config()));
        ObjectNode derived = root.putObject("derived");
        derived.put("channels", s.channelCount());
        derived.put("sample_rate", s.sampleRate());
        derived.put("units", "fT");
        derived.put("duration_seconds", s.durationSeconds());
        derived.put("samples", s.sampleCount());
        derived.put("trials", s.schedule().size());
        derived.put("catch_trials", s.schedule().stream().filter(StimulusEvent::catchTrial).count());
        derived.put("bank_images", s.imageIds().size());
        derived.put("test_images", s.testImageIds().size());
        derived.put("background_rms_fT", s.backgroundRms());
        derived.put("evoked_gain_fT", s.evokedGain());
        derived.put("snr_definition", "RMS over channels and 0-1 s of one trial's noise-free evoked field / RMS per"
                + " channel of the 1/f background plus sensor noise");
        derived.put("fmri_voxels", s.fmriVoxels());
        derived.put("fmri_tr", s.fmriTr());
        derived.put("fmri_volumes", s.fmriVolumeCount());
        derived.put("bank_dir", BANK_DIR);
        derived.put("bank_model", s.bankModel());
        ArrayNode sources = derived.putArray("evoked_sources");
        EvokedModel ev = s.evokedModel();
        for (int k = 0; k < ev.k; k++) {
            ObjectNode o = sources.addObject();
            o.put("index", k);
            o.put("group", EvokedModel.GROUPS[ev.group[k]]);
            o.put("peak_seconds", ev.peakSeconds[k]);
            ArrayNode pos = o.putArray("dipole");
            for (double v : ev.dipoles[k]) {
                pos.add(v);
            }
        }
        ArrayNode ids = root.putArray("latent_ids");
        latentIds.forEach(ids::add);
        json.writeValue(file.toFile(), root);
    }
}
