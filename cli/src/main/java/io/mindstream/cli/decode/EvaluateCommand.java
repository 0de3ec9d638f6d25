package io.mindstream.cli.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.metrics.OfflineEvaluation;
import io.mindstream.decoder.metrics.RetrievalSummary;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.retrieval.CosineIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mindstream evaluate}: offline retrieval accuracy of a model (ONNX brain module or ridge) on a dataset's
 * labelled epochs — top-1, top-5 and median relative rank among the split's images, single trial and averaged over
 * repeats, with chance levels.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Offline retrieval accuracy of a decoding model on a dataset (single trial and averaged over "
                + "repeats, with chance levels).")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "brain module (.onnx), ridge model (.ridge), 'demo' "
            + "(the bundled demo brain module) or 'fmri-demo' (the bundled fMRI voxel model)")
    Path model;

    @Mixin
    LabelledEpochOptions source;

    @Option(names = "--candidates", defaultValue = "test", description = "with --session: test (the bank's test "
            + "split) or all")
    String candidates;

    @Mixin
    io.mindstream.cli.options.BrokerOptions kafka;

    @Option(names = "--split", defaultValue = "test", description = "which epochs to evaluate; their images are the "
            + "retrieval candidates")
    String split;

    @Option(names = "--out", description = "also write the numbers (and each epoch's rank) as JSON here")
    Path out;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() throws IOException {
        String problem = source.problem();
        if (problem != null) {
            System.err.println("error: " + problem);
            return 2;
        }
        if (source.session != null) {
            return fromKafka();
        }
        try (DatasetFormat.Dataset ds = DatasetFormat.open(source.dataset);
             EmbeddingModel m = Models.load(model, engine.options())) {
            if (m.signature().channels() != ds.channels() || m.signature().times() != ds.times()) {
                System.err.printf("error: model %s takes %d × %d epochs, dataset %s holds %d × %d%n",
                        m.signature().modelId(), m.signature().channels(), m.signature().times(), source.dataset,
                        ds.channels(), ds.times());
                return 1;
            }
            if (m.signature().outDim() != ds.bank().dim()) {
                System.err.printf("error: model %s outputs %d dimensions, the dataset's bank holds %d%n",
                        m.signature().modelId(), m.signature().outDim(), ds.bank().dim());
                return 1;
            }
            CosineIndex index = new CosineIndex(ds.bank().ids(), ds.bank().vectors(), ds.bank().dim());
            long t0 = System.nanoTime();
            OfflineEvaluation.Result r = OfflineEvaluation.run(m, ds, index, split, Math.max(1, engine.maxBatch),
                    s -> { });
            System.out.printf("model %s on %s (%s split, %d candidates), %.1f s%n", m.signature().modelId(),
                    source.dataset, split, r.candidates(), (System.nanoTime() - t0) / 1e9);
            report(m, r, Map.of("dataset", source.dataset.toString(), "split", split));
            return summaryOk(r.singleTrial()) ? 0 : 1;
        } catch (InvalidModelException | EngineUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private int fromKafka() throws IOException {
        io.mindstream.contracts.bank.EmbeddingBank bank = io.mindstream.contracts.bank.EmbeddingBank.read(
                source.bankDir);
        CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
        int[] cand = candidates.equals("all") ? index.allRows() : index.rows(bank.testIds());
        java.util.List<io.mindstream.contracts.Epoch> epochs = source.readSession(kafka);
        try (EmbeddingModel m = Models.load(model, engine.options())) {
            OfflineEvaluation.Result r = OfflineEvaluation.runEpochs(m, epochs, index, cand,
                    Math.max(1, engine.maxBatch));
            System.out.printf("model %s on session %s (%d epochs on %s, %d candidates)%n", m.signature().modelId(),
                    source.session, epochs.size(), source.topic, r.candidates());
            report(m, r, Map.of("session", source.session));
            return 0;
        } catch (InvalidModelException | EngineUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Prints the figures and, with --out, writes them (and each epoch's rank) as JSON with {@code where}. */
    private void report(EmbeddingModel m, OfflineEvaluation.Result r, Map<String, String> where) throws IOException {
        System.out.println("  single trial:                " + r.singleTrial());
        System.out.printf("  averaged (%.1f repeats):      %s%n", r.meanRepeats(), r.averaged());
        if (out == null) {
            return;
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = json.createObjectNode();
        o.put("model", m.signature().modelId());
        where.forEach(o::put);
        o.put("candidates", r.candidates());
        o.set("singleTrial", json.valueToTree(r.singleTrial()));
        o.set("averaged", json.valueToTree(r.averaged()));
        o.put("meanRepeats", r.meanRepeats());
        o.set("ranksByEpoch", json.valueToTree(r.ranksByEpoch()));
        json.writeValue(out.toFile(), o);
        System.out.println("wrote " + out);
    }

    private static boolean summaryOk(RetrievalSummary s) {
        return s.count() > 0;
    }
}
