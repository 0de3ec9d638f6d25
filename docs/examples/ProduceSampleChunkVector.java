import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.contracts.codec.SampleChunkCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Manual interop check (docs/kafka.md): produces the committed sample-chunk test vector to Kafka through our own
 * serde, then prints the kcat command that reads it back byte for byte. Run from the repository root:
 *
 * <pre>java -cp "cli/target/lib/*" docs/examples/ProduceSampleChunkVector.java [bootstrap] [vector.bin]</pre>
 */
public class ProduceSampleChunkVector {
    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:19092";
        Path vector = Path.of(args.length > 1 ? args[1] : "contracts/src/test/resources/vectors/sample-chunk.bin");
        // The record the vector holds, then encoded again by the serde the pipeline uses.
        SampleChunk chunk = new SampleChunkCodec().decode(Files.readAllBytes(vector));
        try (KafkaProducer<String, SampleChunk> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                ContractSerdes.sessionKey().serializer(), ContractSerdes.sampleChunk().serializer())) {
            RecordMetadata m = producer.send(new ProducerRecord<>("raw.meg", chunk.session(), chunk)).get();
            System.out.println("produced " + vector + " (session " + chunk.session() + ") to " + m.topic()
                    + " partition " + m.partition() + " offset " + m.offset());
            System.out.println("read it back with:");
            System.out.println("  kcat -b " + bootstrap + " -C -t raw.meg -p " + m.partition() + " -o " + m.offset()
                    + " -c 1 -e -q -f '%s' > /tmp/sample-chunk.kcat.bin && cmp /tmp/sample-chunk.kcat.bin " + vector
                    + " && echo byte-identical");
        }
    }
}
