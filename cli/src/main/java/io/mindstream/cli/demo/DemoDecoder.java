package io.mindstream.cli.demo;

import io.mindstream.contracts.Topics;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.DecodeService;
import io.mindstream.decoder.EpochDecoder;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.output.KafkaResultSink;
import io.mindstream.decoder.retrieval.CosineIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo's decoder stage: the bundled demo brain module ({@code --model demo}) on the CPU, retrieving among the
 * bank's test images (as docs/decoding-results.md reports it; the whole bank when it has no test split), epochs →
 * results through the decoder's own {@link DecodeService}, on a thread of its own.
 */
final class DemoDecoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoDecoder.class);

    private final AtomicBoolean stop = new AtomicBoolean();
    private final EmbeddingModel model;
    private final EpochDecoder decoder;
    private final KafkaResultSink sink;
    private final Thread thread;

    private DemoDecoder(String bootstrapServers, EmbeddingBank bank, String session, String groupId)
            throws Exception {
        model = Models.load(Path.of(Models.DEMO), EngineOptions.cpu());
        try {
            CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
            EngineOptions engine = EngineOptions.cpu();
            int[] candidates = bank.testIds().isEmpty() ? null : index.rows(bank.testIds());
            decoder = new EpochDecoder(model, index, candidates, 5, new RetrievalTracker(50), engine.maxBatch(),
                    engine.maxWaitMicros());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        sink = new KafkaResultSink(bootstrapServers);
        DecodeService service = new DecodeService(bootstrapServers, List.of(Topics.EPOCHS), groupId, null, true,
                session::equals, decoder, List.of(sink));
        log.info("demo: decoding with {} ({} × {} → {}) among {} of the {} bank images", model.signature().modelId(),
                model.signature().channels(), model.signature().times(), model.signature().outDim(),
                decoder.candidateCount(), bank.count());
        thread = new Thread(() -> {
            try {
                service.run(stop, 0, 0);
            } catch (RuntimeException e) {
                log.error("demo: decoder stopped: {}", e.toString(), e);
            }
        }, "demo-decoder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts decoding {@code session}'s epochs (from the start of the topic: the demo's topics are its own). */
    static DemoDecoder start(String bootstrapServers, EmbeddingBank bank, String session, String groupId)
            throws Exception {
        return new DemoDecoder(bootstrapServers, bank, session, groupId);
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        thread.join(10_000);
        sink.close();
        decoder.close();
        model.close();
    }
}
