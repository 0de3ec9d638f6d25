package io.mindstream.decoder.metrics;

import io.mindstream.contracts.Epoch;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.dataset.DatasetTrial;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.retrieval.CosineIndex;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Retrieval accuracy of a model on a dataset's labelled epochs: single trial (each epoch decoded on its own), and
 * averaged over repeats (the epochs of each subject × image averaged first, then decoded once — how the paper
 * reports "averaged" MEG). Candidates are the images of the evaluated split (e.g. the 200 test images).
 */
public final class OfflineEvaluation {

    /** Outcome: the two summaries and each epoch's rank (by epoch id), to compare with a live run. */
    public record Result(RetrievalSummary singleTrial, RetrievalSummary averaged, double meanRepeats, int candidates,
                         Map<String, Integer> ranksByEpoch) {
    }

    private OfflineEvaluation() {
    }

    public static Result run(EmbeddingModel model, DatasetFormat.Dataset ds, CosineIndex index, String split,
                             int batch, Consumer<String> progress) throws IOException {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < ds.trials().size(); i++) {
            if (ds.trials().get(i).split().equals(split)) {
                rows.add(i);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("dataset " + ds.dir() + " has no '" + split + "' epochs");
        }
        List<String> images = rows.stream().map(r -> ds.trials().get(r).imageId()).distinct().sorted().toList();
        int[] cand = index.rows(images);
        int n = rows.size();
        int[] ranks = new int[n];
        int[] counts = new int[n];
        Map<String, Integer> byEpoch = new LinkedHashMap<>();
        int inSize = ds.channels() * ds.times();
        Map<String, float[]> sums = new TreeMap<>();
        Map<String, Integer> reps = new TreeMap<>();
        for (int s = 0; s < n; s += batch) {
            List<float[]> x = new ArrayList<>();
            for (int i = s; i < Math.min(n, s + batch); i++) {
                float[] e = ds.epoch(rows.get(i), new float[inSize]);
                x.add(e);
                DatasetTrial t = ds.trials().get(rows.get(i));
                String key = t.subject() + "\u0000" + t.imageId();
                float[] acc = sums.computeIfAbsent(key, k -> new float[inSize]);
                for (int j = 0; j < inSize; j++) {
                    acc[j] += e[j];
                }
                reps.merge(key, 1, Integer::sum);
            }
            float[][] y = model.embed(x);
            for (int i = s; i < Math.min(n, s + batch); i++) {
                DatasetTrial t = ds.trials().get(rows.get(i));
                ranks[i] = index.rank(index.normalisedQuery(y[i - s]), index.row(t.imageId()), cand);
                counts[i] = cand.length;
                byEpoch.put(t.epochId(), ranks[i]);
            }
            progress.accept("decoded " + Math.min(n, s + batch) + " / " + n + " epochs");
        }
        RetrievalSummary single = RetrievalSummary.of(ranks, counts, 0, n);
        List<String> keys = new ArrayList<>(sums.keySet());
        int[] aRanks = new int[keys.size()];
        int[] aCounts = new int[keys.size()];
        for (int s = 0; s < keys.size(); s += batch) {
            List<float[]> x = new ArrayList<>();
            for (int i = s; i < Math.min(keys.size(), s + batch); i++) {
                float[] acc = sums.get(keys.get(i));
                float inv = 1f / reps.get(keys.get(i));
                float[] mean = new float[inSize];
                for (int j = 0; j < inSize; j++) {
                    mean[j] = acc[j] * inv;
                }
                x.add(mean);
            }
            float[][] y = model.embed(x);
            for (int i = s; i < Math.min(keys.size(), s + batch); i++) {
                String image = keys.get(i).substring(keys.get(i).indexOf('\u0000') + 1);
                aRanks[i] = index.rank(index.normalisedQuery(y[i - s]), index.row(image), cand);
                aCounts[i] = cand.length;
            }
        }
        double meanReps = reps.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        return new Result(single, RetrievalSummary.of(aRanks, aCounts, 0, keys.size()), meanReps, cand.length, byEpoch);
    }

    /**
     * The same evaluation over epochs held in memory (e.g. read back from the {@code epochs} topic): every epoch whose
     * image is among the candidate rows counts, exactly the epochs the live decoder's tracker counts.
     */
    public static Result runEpochs(EmbeddingModel model, List<Epoch> epochs, CosineIndex index, int[] cand,
                                   int batch) {
        java.util.Set<String> candIds = new java.util.HashSet<>();
        for (int r : cand) {
            candIds.add(index.id(r));
        }
        List<Epoch> used = epochs.stream().filter(e -> e.trigger().imageId() != null
                && candIds.contains(e.trigger().imageId())).toList();
        int n = used.size();
        int[] ranks = new int[n];
        int[] counts = new int[n];
        Map<String, Integer> byEpoch = new LinkedHashMap<>();
        Map<String, float[]> sums = new TreeMap<>();
        Map<String, Integer> reps = new TreeMap<>();
        for (int s = 0; s < n; s += batch) {
            List<float[]> x = new ArrayList<>();
            for (int i = s; i < Math.min(n, s + batch); i++) {
                Epoch e = used.get(i);
                x.add(e.data());
                String key = e.session() + "\u0000" + e.trigger().imageId();
                float[] acc = sums.computeIfAbsent(key, k -> new float[e.data().length]);
                for (int j = 0; j < acc.length; j++) {
                    acc[j] += e.data()[j];
                }
                reps.merge(key, 1, Integer::sum);
            }
            float[][] y = model.embed(x);
            for (int i = s; i < Math.min(n, s + batch); i++) {
                Epoch e = used.get(i);
                ranks[i] = index.rank(index.normalisedQuery(y[i - s]), index.row(e.trigger().imageId()), cand);
                counts[i] = cand.length;
                byEpoch.put(e.epochId(), ranks[i]);
            }
        }
        List<String> keys = new ArrayList<>(sums.keySet());
        int[] aRanks = new int[keys.size()];
        int[] aCounts = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            float[] acc = sums.get(keys.get(i));
            float inv = 1f / reps.get(keys.get(i));
            float[] mean = new float[acc.length];
            for (int j = 0; j < acc.length; j++) {
                mean[j] = acc[j] * inv;
            }
            float[] y = model.embed(List.of(mean))[0];
            String image = keys.get(i).substring(keys.get(i).indexOf('\u0000') + 1);
            aRanks[i] = index.rank(index.normalisedQuery(y), index.row(image), cand);
            aCounts[i] = cand.length;
        }
        double meanReps = reps.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        return new Result(RetrievalSummary.of(ranks, counts, 0, n), RetrievalSummary.of(aRanks, aCounts, 0,
                keys.size()), meanReps, cand.length, byEpoch);
    }
}
