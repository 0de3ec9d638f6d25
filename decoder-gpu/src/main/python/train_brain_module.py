#!/usr/bin/python3
"""Train the MEG brain module on a mindstream dataset, evaluate retrieval on the test images, export ONNX.

Run with Debian's torch (deps.md §7):  /usr/bin/python3 train_brain_module.py --dataset DIR --out DIR [options]
The demo model in decoder-gpu/src/main/resources/models/ was produced with the command recorded in its
brain-module.json (also in docs/decoding-results.md).

Outputs in --out:
  brain-module.onnx         epochs (B, C, T) float32 -> embedding (B, F) float32, dynamic batch axis, opset 13;
                            metadata: channels, times, outDim, preprocessingId, bankModel, config
  brain-module.json         config, training command, per-epoch validation curve, test retrieval metrics
  parity-inputs.npy, parity-outputs.npy   a few test epochs and torch's outputs, for the DJL parity test
"""
import argparse
import json
import os
import shlex
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brain_module import BrainModule, BrainModuleConfig, ExportedBrainModule, clip_loss, config_dict  # noqa: E402
from mindstream_dataset import Dataset, retrieval_metrics  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", required=True, help="directory written by `./mindstream dataset export`")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--config", choices=["demo", "paper"], default="demo",
                   help="demo: reduced, trains on 2 CPU cores in minutes; paper: decoding.md §3.1 (GPU)")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--max-minutes", type=float, default=4.0, help="stop training after this wall time")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--lambda-clip", type=float, default=0.75, help="loss = λ·CLIP + (1-λ)·MSE")
    p.add_argument("--val-fraction", type=float, default=0.1, help="share of training images held out")
    p.add_argument("--patience", type=int, default=10, help="early stopping on validation top-5")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--subject", type=int, default=0, help="whose subject layer the exported graph bakes in")
    p.add_argument("--parity-count", type=int, default=3)
    return p.parse_args(argv)


def predict(model, ds, rows, subject, batch=128):
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(rows), batch):
            r = rows[s:s + batch]
            x = torch.from_numpy(np.ascontiguousarray(ds.X[r]))
            out.append(model.clip_head(model.features(x, torch.from_numpy(subject[s:s + batch]))).numpy())
    return np.concatenate(out) if out else np.zeros((0, model.cfg.out_dim), np.float32)


def evaluate_test(model, ds):
    """Top-k among the test images: single trial, and with the epochs of each image's repeats averaged."""
    rows = ds.indices("test")
    if not rows:
        return None
    images = sorted({ds.trials[k]["imageId"] for k in rows})
    cands = ds.bank[[ds.bank_index[i] for i in images]]
    pos = {i: k for k, i in enumerate(images)}
    single = retrieval_metrics(predict(model, ds, rows, ds.subject_index(rows)), cands,
                               np.asarray([pos[ds.trials[k]["imageId"]] for k in rows]))
    # average the epochs of each (subject, image) over its repeats, then decode once
    groups = {}
    for k in rows:
        groups.setdefault((ds.trials[k].get("subject", "sub-01"), ds.trials[k]["imageId"]), []).append(k)
    model.eval()
    preds, truth = [], []
    with torch.no_grad():
        for (subj, iid), ks in sorted(groups.items()):
            x = torch.from_numpy(np.asarray(ds.X[ks]).mean(axis=0, keepdims=True))
            s = torch.tensor([ds.subjects.index(subj)])
            preds.append(model.clip_head(model.features(x, s)).numpy()[0])
            truth.append(pos[iid])
    averaged = retrieval_metrics(np.stack(preds), cands, np.asarray(truth))
    averaged["repeats"] = float(np.mean([len(v) for v in groups.values()]))
    return {"singleTrial": single, "averaged": averaged}


def main(argv):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    ds = Dataset(args.dataset)
    n, c, t = ds.X.shape
    dim = ds.bank.shape[1]
    make = BrainModuleConfig.demo if args.config == "demo" else BrainModuleConfig.paper
    cfg = make(out_dim=dim, subjects=len(ds.subjects), channels=c, times=t)
    model = BrainModule(cfg, ds.positions)
    print(f"dataset {args.dataset}: {n} epochs of {c}x{t}, bank {ds.bank.shape}, subjects {ds.subjects}", flush=True)
    print(f"config {args.config}: {sum(p.numel() for p in model.parameters()):,} parameters", flush=True)

    train_rows = ds.indices("train")
    train_images = sorted({ds.trials[k]["imageId"] for k in train_rows})
    val_images = set(rng.choice(train_images, size=max(1, int(len(train_images) * args.val_fraction)), replace=False))
    val_rows = [k for k in train_rows if ds.trials[k]["imageId"] in val_images]
    fit_rows = np.asarray([k for k in train_rows if ds.trials[k]["imageId"] not in val_images])
    print(f"train {len(fit_rows)} epochs, validation {len(val_rows)} epochs ({len(val_images)} held-out images)",
          flush=True)
    val_images_sorted = sorted(val_images)
    val_cands = ds.bank[[ds.bank_index[i] for i in val_images_sorted]]
    val_pos = {i: k for k, i in enumerate(val_images_sorted)}
    val_truth = np.asarray([val_pos[ds.trials[k]["imageId"]] for k in val_rows])
    val_subject = ds.subject_index(val_rows)

    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
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
            x = torch.from_numpy(np.ascontiguousarray(ds.X[r]))
            y = torch.from_numpy(ds.targets(r))
            clip_out, mse_out = model(x, torch.from_numpy(ds.subject_index(r)))
            loss = args.lambda_clip * clip_loss(clip_out, y) + (1 - args.lambda_clip) * torch.nn.functional.mse_loss(mse_out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        val = retrieval_metrics(predict(model, ds, val_rows, val_subject), val_cands, val_truth)
        elapsed = time.time() - started
        curve.append({"epoch": epoch + 1, "loss": total / max(1, batches), "valTop1": val["top1"], "valTop5": val["top5"],
                      "valMedianRelativeRank": val["medianRelativeRank"], "seconds": round(elapsed, 1)})
        print(f"epoch {epoch + 1}: loss {total / max(1, batches):.4f}  val top-5 {val['top5']:.3f} "
              f"(chance {val['chanceTop5']:.3f})  median rank {val['medianRelativeRank']:.3f}  {elapsed:.0f}s", flush=True)
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
    test = evaluate_test(model, ds)
    if test:
        for k, m in test.items():
            print(f"test {k}: top-1 {m['top1']:.3f} top-5 {m['top5']:.3f} (chance {m['chanceTop5']:.3f}) "
                  f"median relative rank {m['medianRelativeRank']:.3f} over {m['n']} queries, {m['candidates']} candidates")

    os.makedirs(args.out, exist_ok=True)
    exported = ExportedBrainModule(model, args.subject).eval()
    onnx_path = os.path.join(args.out, "brain-module.onnx")
    example = torch.from_numpy(np.array(ds.X[:2]))
    torch.onnx.export(exported, example, onnx_path, input_names=["epochs"], output_names=["embedding"],
                      dynamic_axes={"epochs": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=13,
                      do_constant_folding=True)
    command = "/usr/bin/python3 " + " ".join(shlex.quote(a) for a in [os.path.relpath(__file__)] + list(argv))
    add_metadata(onnx_path, {"mindstream.channels": str(c), "mindstream.times": str(t), "mindstream.outDim": str(dim),
                             "mindstream.preprocessingId": ds.meta.get("preprocessingId", ""),
                             "mindstream.bankModel": ds.bank_meta.get("model", ""),
                             "mindstream.subject": ds.subjects[args.subject],
                             "mindstream.config": json.dumps(config_dict(cfg))})
    rows = ds.indices("test")[:args.parity_count] or list(range(args.parity_count))
    px = np.ascontiguousarray(ds.X[rows])
    with torch.no_grad():
        py = exported(torch.from_numpy(px)).numpy()
    np.save(os.path.join(args.out, "parity-inputs.npy"), px)
    np.save(os.path.join(args.out, "parity-outputs.npy"), py.astype(np.float32))
    report = {"command": command, "config": args.config, "model": config_dict(cfg),
              "parameters": sum(p.numel() for p in model.parameters()),
              "exportedSubject": ds.subjects[args.subject], "dataset": ds.meta.get("source", args.dataset),
              "preprocessingId": ds.meta.get("preprocessingId"), "trainEpochs": int(len(fit_rows)),
              "validationEpochs": len(val_rows), "bestValidationTop5": best, "curve": curve, "test": test,
              "trainingSeconds": round(time.time() - started, 1), "torch": torch.__version__}
    with open(os.path.join(args.out, "brain-module.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB) and brain-module.json")


def add_metadata(path, props):
    import onnx
    m = onnx.load(path)
    for k, v in props.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.save(m, path)


if __name__ == "__main__":
    main(sys.argv[1:])
