"""Reads what `./mindstream dataset export` writes (format documented in docs/decoding.md, "Dataset export").

  DIR/X.npy          float32 N x C x T epochs, preprocessed exactly as the live pipeline does
  DIR/dataset.json   {"format": "mindstream-dataset", "version": 1, "channels", "times", "sampleRate", "tmin",
                      "preprocessingId", "sensorPositions": [[x, y], ...], "trials": [{"imageId", "split",
                      "subject", "session", "trial"}, ...]}
  DIR/bank/          the embedding bank (embeddings.npy + bank.json, TEAM.md format)

A window export (`dataset export --windows`) is the same with "kind": "windows", "offsets": {"from", "to", "step",
...} and, per row, "onset" (the trial's marker time) and "offset" (window end time - onset, seconds); epoch exports
say "kind": "epochs" (older ones nothing).
"""
import json
import os

import numpy as np


class Dataset:
    def __init__(self, root):
        self.root = root
        with open(os.path.join(root, "dataset.json")) as f:
            self.meta = json.load(f)
        if self.meta.get("format") != "mindstream-dataset":
            raise ValueError(f"{root}/dataset.json is not a mindstream dataset (format={self.meta.get('format')!r})")
        self.X = np.load(os.path.join(root, "X.npy"), mmap_mode="r")
        n, c, t = self.X.shape
        if (c, t) != (self.meta["channels"], self.meta["times"]) or n != len(self.meta["trials"]):
            raise ValueError(f"X.npy is {self.X.shape} but dataset.json says {len(self.meta['trials'])} trials of "
                             f"{self.meta['channels']} x {self.meta['times']}")
        self.trials = self.meta["trials"]
        self.positions = np.asarray(self.meta["sensorPositions"], dtype=np.float32)
        bank_dir = os.path.join(root, "bank")
        with open(os.path.join(bank_dir, "bank.json")) as f:
            self.bank_meta = json.load(f)
        self.bank = np.load(os.path.join(bank_dir, "embeddings.npy")).astype(np.float32)
        self.bank_ids = list(self.bank_meta["ids"])
        self.bank_index = {iid: k for k, iid in enumerate(self.bank_ids)}
        self.subjects = sorted({t.get("subject", "sub-01") for t in self.trials})
        self.kind = self.meta.get("kind", "epochs")
        # window end - onset per row (seconds); NaN for epochs
        self.offsets = np.asarray([t.get("offset", np.nan) for t in self.trials], dtype=np.float64)

    def indices(self, split):
        return [k for k, t in enumerate(self.trials) if t["split"] == split]

    def targets(self, rows):
        return self.bank[[self.bank_index[self.trials[k]["imageId"]] for k in rows]]

    def subject_index(self, rows):
        return np.asarray([self.subjects.index(self.trials[k].get("subject", "sub-01")) for k in rows], dtype=np.int64)


def retrieval_metrics(predicted, candidates, true_index):
    """Cosine retrieval: top-1, top-5 and median relative rank (rank / N, 0 = best; chance 0.5)."""
    p = predicted / np.linalg.norm(predicted, axis=1, keepdims=True).clip(1e-12)
    c = candidates / np.linalg.norm(candidates, axis=1, keepdims=True).clip(1e-12)
    scores = p @ c.T
    true_scores = scores[np.arange(len(p)), true_index]
    ranks = (scores > true_scores[:, None]).sum(axis=1)  # 0 = best
    n = candidates.shape[0]
    return {"n": int(len(p)), "candidates": int(n), "top1": float((ranks < 1).mean()), "top5": float((ranks < 5).mean()),
            "medianRelativeRank": float(np.median(ranks / n)), "chanceTop1": 1.0 / n, "chanceTop5": min(5, n) / n,
            "chanceMedianRelativeRank": 0.5}
