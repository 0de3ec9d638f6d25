package io.mindstream.benchmarks.decoder;

import io.mindstream.decoder.retrieval.CosineIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.AbstractList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exact cosine top-5 over a bank of {@code n} × 768 vectors: {@link CosineIndex#topK} (8-way unrolled dot products)
 * against the straightforward loop (one serial sum per row, same top-k selection). 22,448 = THINGS' image count;
 * 10⁶ needs about 3.2 GB of heap ({@code -Xmx5g}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RetrievalBenchmark {

    @Param({"22448", "1000000"})
    public int n;

    @Param({"768"})
    public int dim;

    CosineIndex index;
    float[] query;
    float[] vectors; // the index's own normalised rows (wrapped, not copied), for the naive loop
    final int[] rows = new int[5];
    final float[] scores = new float[5];

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(42);
        vectors = new float[Math.multiplyExact(n, dim)];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) (r.nextDouble() * 2 - 1);
        }
        List<String> ids = new AbstractList<>() { // no million-string list: ids are made on demand
            @Override
            public String get(int i) {
                return "img" + i;
            }

            @Override
            public int size() {
                return n;
            }
        };
        index = CosineIndex.wrapNormalisingInPlace(ids, vectors, dim);
        float[] q = new float[dim];
        for (int i = 0; i < dim; i++) {
            q[i] = (float) (r.nextDouble() * 2 - 1);
        }
        query = index.normalisedQuery(q);
    }

    @Benchmark
    public int unrolled() {
        return index.topK(query, 5, null, rows, scores) + rows[0];
    }

    @Benchmark
    public int naiveLoop() {
        int count = 0;
        for (int r = 0; r < n; r++) {
            float s = CosineIndex.naiveDot(query, vectors, r * dim, dim);
            if (count < 5) {
                int j = count++;
                while (j > 0 && scores[j - 1] < s) {
                    scores[j] = scores[j - 1];
                    rows[j] = rows[j - 1];
                    j--;
                }
                scores[j] = s;
                rows[j] = r;
            } else if (s > scores[4]) {
                int j = 4;
                while (j > 0 && scores[j - 1] < s) {
                    scores[j] = scores[j - 1];
                    rows[j] = rows[j - 1];
                    j--;
                }
                scores[j] = s;
                rows[j] = r;
            }
        }
        return rows[0];
    }
}
