#!/usr/bin/python3
"""Train the small contrastive fMRI voxel model on a mindstream fMRI dataset, evaluate retrieval, export ONNX.

Run with Debian's torch:  /usr/bin/python3 train_voxel_model.py --dataset DIR --out DIR [options]
The dataset is what `./mindstream dataset export --fmri` writes: stimulus epochs of voxels x 1 (the volumes of the
4 ... 8 s haemodynamic window averaged, z-scored as the live processor does). The model is MindEye's idea cut to a
CPU-sized core: an MLP from voxels to the image-embedding space, trained with the symmetric CLIP (InfoNCE) loss
against the bank's embeddings plus an MSE term (the brain module's mix, brain_module.clip_loss), early-stopped on
the validation images' top-5.

Outputs in --out:
  voxel-model.onnx   epochs (B, voxels, 1) float32 -> embedding (B, F) float32, dynamic batch axis, opset 13;
                     metadata: channels, times, outDim, preprocessingId, bankModel, config
  voxel-model.json   config, training command, per-epoch validation curve, test retrieval metrics (single trial and
                     averaged over repeats; MindEye's protocol: among all test images when there are fewer than 300)
"""
import argparse
import json
import os
import shlex
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brain_module import clip_loss  # noqa: E402
from mindstream_dataset import Dataset, retrieval_metrics  # noqa: E402
from train_brain_module import add_metadata  # noqa: E402


class VoxelModel(nn.Module):
    """voxels -> one hidden layer (dropout, Linear, GELU, dropout) -> two heads (CLIP, MSE) of the bank dimension."""

    def __init__(self, voxels, out_dim, hidden, dropout):
        super().__init__()
        self.body = nn.Sequential(nn.Dropout(dropout), nn.Linear(voxels, hidden), nn.GELU(), nn.Dropout(dropout))
        self.clip_head = nn.Linear(hidden, out_dim)
        self.mse_head = nn.Linear(hidden, out_dim)

    def forward(self, x):  # x (B, voxels, 1)
        h = self.body(x.flatten(1))
        return self.clip_head(h), self.mse_head(h)


class Exported(nn.Module):
    """What the decoder serves: the CLIP head only (retrieval is by cosine)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, epochs):
        return self.model(epochs)[0]


def evaluate(model, X, ds, rows):
    images = sorted({ds.trials[k]["imageId"] for k in rows})
    cands = ds.bank[[ds.bank_index[i] for i in images]]
    pos = {i: k for k, i in enumerate(images)}
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(X[rows]))[0].numpy()
    single = retrieval_metrics(pred, cands, np.asarray([pos[ds.trials[k]["imageId"]] for k in rows]))
    groups = {}
    for k in rows:
        groups.setdefault(ds.trials[k]["imageId"], []).append(k)
    keys = sorted(groups)
    with torch.no_grad():
        mean = torch.from_numpy(np.stack([X[groups[i]].mean(axis=0) for i in keys]))
        pred = model(mean)[0].numpy()
    averaged = retrieval_metrics(pred, cands, np.asarray([pos[i] for i in keys]))
    averaged["repeats"] = float(np.mean([len(v) for v in groups.values()]))
    return {"singleTrial": single, "averaged": averaged}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", required=True, help="directory written by `./mindstream dataset export --fmri`")
    p.add_argument("--out", required=True)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--max-minutes", type=float, default=5.0)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=1e-2)
    p.add_argument("--lambda-clip", type=float, default=0.75, help="loss = λ·CLIP + (1-λ)·MSE")
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--patience", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    ds = Dataset(args.dataset)
    n, c, t = ds.X.shape
    if t != 1:
        raise SystemExit(f"{args.dataset} holds {c} x {t} epochs: the voxel model takes fMRI stimulus epochs "
                         f"(voxels x 1, ./mindstream dataset export --fmri)")
    X = np.ascontiguousarray(ds.X, dtype=np.float32)
    dim = ds.bank.shape[1]
    model = VoxelModel(c, dim, args.hidden, args.dropout)
    params = sum(q.numel() for q in model.parameters())
    print(f"dataset {args.dataset}: {n} epochs of {c} voxels, bank {ds.bank.shape}; model {params:,} parameters",
          flush=True)
    train_rows = ds.indices("train")
    train_images = sorted({ds.trials[k]["imageId"] for k in train_rows})
    val_images = set(rng.choice(train_images, size=max(1, int(len(train_images) * args.val_fraction)), replace=False))
    val_rows = [k for k in train_rows if ds.trials[k]["imageId"] in val_images]
    fit_rows = np.asarray([k for k in train_rows if ds.trials[k]["imageId"] not in val_images])
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    command = " ".join(shlex.quote(a) for a in [sys.executable, os.path.relpath(__file__)] + list(argv))
    started = time.time()
    best, best_state, since_best, curve = -1.0, None, 0, []
    for epoch in range(args.epochs):
        model.train()
        perm = rng.permutation(fit_rows)
        total, batches = 0.0, 0
        for s in range(0, len(perm) - 1, args.batch):
            r = np.sort(perm[s:s + args.batch])
            if len(r) < 2:
                continue
            y = torch.from_numpy(ds.targets(r))
            clip_out, mse_out = model(torch.from_numpy(X[r]))
            loss = (args.lambda_clip * clip_loss(clip_out, y)
                    + (1 - args.lambda_clip) * nn.functional.mse_loss(mse_out, y))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        val = evaluate(model, X, ds, val_rows)["singleTrial"]
        elapsed = time.time() - started
        curve.append({"epoch": epoch + 1, "loss": total / max(1, batches), "valTop1": val["top1"],
                      "valTop5": val["top5"], "seconds": round(elapsed, 1)})
        print(f"epoch {epoch + 1}: loss {total / max(1, batches):.4f}  val top-5 {val['top5']:.3f} "
              f"(chance {val['chanceTop5']:.3f})  {elapsed:.0f}s", flush=True)
        if val["top5"] > best:
            best, since_best = val["top5"], 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            since_best += 1
        if since_best >= args.patience or elapsed > args.max_minutes * 60:
            print(f"stopping after epoch {epoch + 1} ({'patience' if since_best >= args.patience else 'time budget'})")
            break
    model.load_state_dict(best_state)
    model.eval()
    test = evaluate(model, X, ds, ds.indices("test")) if ds.indices("test") else None
    if test:
        for k, m in test.items():
            print(f"test {k}: top-1 {m['top1']:.3f} top-5 {m['top5']:.3f} (chance {m['chanceTop1']:.3f} / "
                  f"{m['chanceTop5']:.3f}) over {m['n']} queries, {m['candidates']} candidates")
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "voxel-model.onnx")
    config = {"voxels": c, "outDim": dim, "hidden": args.hidden, "dropout": args.dropout}
    torch.onnx.export(Exported(model).eval(), torch.from_numpy(X[:2]), onnx_path, input_names=["epochs"],
                      output_names=["embedding"], dynamic_axes={"epochs": {0: "batch"}, "embedding": {0: "batch"}},
                      opset_version=13, do_constant_folding=True)
    add_metadata(onnx_path, {"mindstream.channels": str(c), "mindstream.times": str(t), "mindstream.outDim": str(dim),
                             "mindstream.preprocessingId": ds.meta.get("preprocessingId", ""),
                             "mindstream.bankModel": ds.bank_meta.get("model", ""),
                             "mindstream.config": json.dumps(config)})
    report = {"command": command, "dataset": ds.meta.get("source", args.dataset), "model": config,
              "parameters": params, "preprocessingId": ds.meta.get("preprocessingId"),
              "trainEpochs": int(len(fit_rows)), "validationEpochs": len(val_rows), "bestValidationTop5": best,
              "curve": curve, "test": test, "trainingSeconds": round(time.time() - started, 1),
              "torch": str(torch.__version__)}
    with open(os.path.join(args.out, "voxel-model.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB) and voxel-model.json")


if __name__ == "__main__":
    main(sys.argv[1:])
