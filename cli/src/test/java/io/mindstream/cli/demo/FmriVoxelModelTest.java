package io.mindstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.metrics.OfflineEvaluation;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.simulator.SimulatedSubject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled fMRI voxel model ({@code fmri-demo}: trained by train_voxel_model.py on the demo subject's fMRI, exported
 * to ONNX), served by DJL/ONNX Runtime, on the demo subject's test epochs cut by the processor's own offline core:
 * far above chance, and the same retrieval accuracy PyTorch reported at export (voxel-model-demo.json), so what Java
 * serves is what was trained. Slow (the whole 85-minute simulated session's fMRI is generated and cut).
 */
@Tag("slow")
class FmriVoxelModelTest {

    @Test
    void theBundledVoxelModelDecodesTheDemoSubjectAsPyTorchDid() throws Exception {
        JsonNode trained = new ObjectMapper().readTree(Path.of("../decoder-gpu/src/main/resources/models/"
                + "voxel-model-demo.json").toFile()).path("test");
        SimulatedSubject subject = new SimulatedSubject(Demo.subjectConfig(1));
        // the dataset's test epochs: cut after the z-score statistics froze, of the test split
        List<Epoch> test = SimulatedFmriRidge.stimulusEpochs(subject, "sim", ProcessorConfig.defaults()).stream()
                .filter(e -> (e.qualityFlags() & QualityFlags.UNCALIBRATED) == 0)
                .filter(e -> e.trigger().label() != null && e.trigger().label().contains("split=test")).toList();
        EmbeddingBank bank = subject.bank();
        CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
        int[] candidates = index.rows(subject.testImageIds());
        try (EmbeddingModel model = Models.load(Path.of(Models.FMRI_DEMO), EngineOptions.cpu())) {
            assertEquals(Demo.FMRI_VOXELS, model.signature().channels());
            assertEquals(1, model.signature().times());
            OfflineEvaluation.Result r = OfflineEvaluation.runEpochs(model, test, index, candidates, 64);
            System.out.println("fmri-demo voxel model (DJL): single trial " + r.singleTrial() + "; averaged "
                    + r.averaged());
            JsonNode single = trained.path("singleTrial");
            JsonNode averaged = trained.path("averaged");
            assertEquals(single.path("n").asInt(), r.singleTrial().count(), "the same test epochs as the dataset");
            assertEquals(averaged.path("n").asInt(), r.averaged().count());
            // one rank may flip between torch and ONNX Runtime on a near tie: at most one query's worth
            double one = 1.0 / r.singleTrial().count();
            assertEquals(single.path("top1").asDouble(), r.singleTrial().top1(), one + 1e-12);
            assertEquals(single.path("top5").asDouble(), r.singleTrial().top5(), one + 1e-12);
            assertEquals(averaged.path("top1").asDouble(), r.averaged().top1(), 1.0 / r.averaged().count() + 1e-12);
            assertEquals(averaged.path("top5").asDouble(), r.averaged().top5(), 1.0 / r.averaged().count() + 1e-12);
            assertTrue(r.singleTrial().top5() > 5 * r.singleTrial().chanceTop5(), r.singleTrial().toString());
        }
    }
}
