#!/usr/bin/python3
"""Train the MEG brain module on a mindstream dataset, evaluate retrieval on the test images, export ONNX.

Run with Debian's torch (deps.md §7):  /usr/bin/python3 train_brain_module.py --dataset DIR --out DIR [options]
The demo model in decoder-gpu/src/main/resources/models/ was produced with the command recorded in its
brain-module.json (also in docs/decoding-results.md).

Outputs in --out:
  brain-module.onnx         epochs (B, C, T) float32 -> embedding (B, F) float32, dynamic batch axis, opset 13;
                            metadata: channels, times, outDim, preprocessingId, bankModel, config
  brain-module.json         config, training command, per-epoch validation curve, test retrieval metrics
  brain-module.pt           checkpoint: best weights, config, curve, training command (--from-checkpoint re-exports
                            it, e.g. weights trained on a GPU machine exported and tested with the CPU torch here)
  parity-inputs.npy, parity-outputs.npy   a few test epochs and torch's outputs, for the DJL parity test
"""
import argparse
import inspect
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
                   help="demo: reduced (0.28 M parameters), CPU-sized; paper: decoding.md §3.1 (7.8 M, for a GPU)")
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
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                   help="where to train: auto = cuda when torch sees a GPU, else cpu (export always runs on the CPU)")
    p.add_argument("--from-checkpoint", metavar="PT",
                   help="skip training: load this brain-module.pt, then test, export and report as usual")
    return p.parse_args(argv)


def pick_device(name):
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: this torch (" + torch.__version__ + ") sees no CUDA GPU; use --device cpu")
    return torch.device(name)


class Epochs:
    """Row access to the dataset's epochs on the training device. On a GPU the whole array is copied to device memory
    once (a few GB at most), so batches are gathered there instead of crossing PCIe each step; on the CPU the
    memory-mapped file is read per batch."""

    def __init__(self, X, device):
        self.X, self.device = X, device
        self.resident = torch.from_numpy(np.ascontiguousarray(X)).to(device) if device.type == "cuda" else None

    def __getitem__(self, rows):
        if self.resident is not None:
            return self.resident[torch.as_tensor(np.asarray(rows), device=self.device)]
        return torch.from_numpy(np.ascontiguousarray(self.X[rows]))

    def mean(self, rows):
        return self[rows].mean(dim=0, keepdim=True)


def predict(model, epochs, rows, subject, batch=128):
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(rows), batch):
            x = epochs[rows[s:s + batch]]
            subj = torch.from_numpy(subject[s:s + batch]).to(x.device)
            out.append(model.clip_head(model.features(x, subj)).cpu().numpy())
    return np.concatenate(out) if out else np.zeros((0, model.cfg.out_dim), np.float32)


def evaluate_test(model, ds, epochs):
    """Top-k among the test images: single trial, and with the epochs of each image's repeats averaged."""
    rows = ds.indices("test")
    if not rows:
        return None
    images = sorted({ds.trials[k]["imageId"] for k in rows})
    cands = ds.bank[[ds.bank_index[i] for i in images]]
    pos = {i: k for k, i in enumerate(images)}
    single = retrieval_metrics(predict(model, epochs, rows, ds.subject_index(rows)), cands,
                               np.asarray([pos[ds.trials[k]["imageId"]] for k in rows]))
    # average the epochs of each (subject, image) over its repeats, then decode once
    groups = {}
    for k in rows:
        groups.setdefault((ds.trials[k].get("subject", "sub-01"), ds.trials[k]["imageId"]), []).append(k)
    model.eval()
    preds, truth = [], []
    with torch.no_grad():
        for (subj, iid), ks in sorted(groups.items()):
            x = epochs.mean(ks)
            s = torch.tensor([ds.subjects.index(subj)], device=x.device)
            preds.append(model.clip_head(model.features(x, s)).cpu().numpy()[0])
            truth.append(pos[iid])
    averaged = retrieval_metrics(np.stack(preds), cands, np.asarray(truth))
    averaged["repeats"] = float(np.mean([len(v) for v in groups.values()]))
    return {"singleTrial": single, "averaged": averaged}


def main(argv):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = pick_device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    rng = np.random.default_rng(args.seed)
    ds = Dataset(args.dataset)
    if ds.kind != "epochs":
        raise SystemExit(f"{args.dataset} holds {ds.kind}, not marker-locked epochs (windows: train_window_model.py)")
    n, c, t = ds.X.shape
    dim = ds.bank.shape[1]
    make = BrainModuleConfig.demo if args.config == "demo" else BrainModuleConfig.paper
    cfg = make(out_dim=dim, subjects=len(ds.subjects), channels=c, times=t)
    model = BrainModule(cfg, ds.positions).to(device)
    epochs = Epochs(ds.X, device)
    print(f"dataset {args.dataset}: {n} epochs of {c}x{t}, bank {ds.bank.shape}, subjects {ds.subjects}", flush=True)
    print(f"config {args.config}: {sum(p.numel() for p in model.parameters()):,} parameters, training on {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""), flush=True)

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

    command = " ".join(shlex.quote(a) for a in [sys.executable, os.path.relpath(__file__)] + list(argv))
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    started = time.time()
    best, best_state, since_best, curve = -1.0, None, 0, []
    trained = {"command": command, "device": str(device), "torch": str(torch.__version__),  # str: weights-only loadable
               "dataset": ds.meta.get("source", args.dataset)}
    if args.from_checkpoint:
        # our own file of tensors and plain values; torch ≥ 2.6 would otherwise refuse older checkpoints' extra types
        trusted = {"weights_only": False} if "weights_only" in inspect.signature(torch.load).parameters else {}
        checkpoint = torch.load(args.from_checkpoint, map_location="cpu", **trusted)
        if checkpoint["model"] != config_dict(cfg):
            raise SystemExit(f"{args.from_checkpoint} holds a {checkpoint['model']} model, not this dataset's "
                             f"--config {args.config}: {config_dict(cfg)}")
        best_state, best, curve, trained = (checkpoint["state"], checkpoint["bestValidationTop5"],
                                            checkpoint["curve"], checkpoint["trained"])
        print(f"loaded {args.from_checkpoint}: trained with {trained}", flush=True)
    for epoch in range(0 if args.from_checkpoint else args.epochs):
        model.train()
        perm = rng.permutation(fit_rows)
        total, batches = 0.0, 0
        for s in range(0, len(perm) - 1, args.batch):
            r = np.sort(perm[s:s + args.batch])
            if len(r) < 2:
                continue
            x = epochs[r]
            y = torch.from_numpy(ds.targets(r)).to(device)
            clip_out, mse_out = model(x, torch.from_numpy(ds.subject_index(r)).to(device))
            loss = args.lambda_clip * clip_loss(clip_out, y) + (1 - args.lambda_clip) * torch.nn.functional.mse_loss(mse_out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        val = retrieval_metrics(predict(model, epochs, val_rows, val_subject), val_cands, val_truth)
        elapsed = time.time() - started
        curve.append({"epoch": epoch + 1, "loss": total / max(1, batches), "valTop1": val["top1"], "valTop5": val["top5"],
                      "valMedianRelativeRank": val["medianRelativeRank"], "seconds": round(elapsed, 1)})
        print(f"epoch {epoch + 1}: loss {total / max(1, batches):.4f}  val top-5 {val['top5']:.3f} "
              f"(chance {val['chanceTop5']:.3f})  median rank {val['medianRelativeRank']:.3f}  {elapsed:.0f}s", flush=True)
        if val["top5"] > best:
            best, since_best = val["top5"], 0
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        else:
            since_best += 1
        if since_best >= args.patience or elapsed > args.max_minutes * 60:
            print(f"stopping after epoch {epoch + 1} ({'patience' if since_best >= args.patience else 'time budget'})")
            break
    training_seconds = round(time.time() - started, 1)
    model.load_state_dict(best_state)
    model.eval()
    test = evaluate_test(model, ds, epochs)
    if test:
        for k, m in test.items():
            print(f"test {k}: top-1 {m['top1']:.3f} top-5 {m['top5']:.3f} (chance {m['chanceTop5']:.3f}) "
                  f"median relative rank {m['medianRelativeRank']:.3f} over {m['n']} queries, {m['candidates']} candidates")

    os.makedirs(args.out, exist_ok=True)
    if not args.from_checkpoint:
        trained["trainingSeconds"] = training_seconds
        torch.save({"model": config_dict(cfg), "state": best_state, "bestValidationTop5": best, "curve": curve,
                    "trained": trained}, os.path.join(args.out, "brain-module.pt"))
    model.cpu()
    exported = ExportedBrainModule(model, args.subject).eval()
    onnx_path = os.path.join(args.out, "brain-module.onnx")
    example = torch.from_numpy(np.array(ds.X[:2]))
    # torch ≥ 2.9 exports through dynamo by default; the TorchScript exporter keeps the graph (and opset 13) the
    # same as with Debian's torch 1.13, which the DJL parity test was written against
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(exported, example, onnx_path, input_names=["epochs"], output_names=["embedding"],
                      dynamic_axes={"epochs": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=13,
                      do_constant_folding=True, **legacy)
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
    report = {"command": trained["command"], "trainedOnDataset": trained.get("dataset"), "config": args.config, "model": config_dict(cfg),
              "parameters": sum(p.numel() for p in model.parameters()),
              "exportedSubject": ds.subjects[args.subject], "dataset": ds.meta.get("source", args.dataset),
              "preprocessingId": ds.meta.get("preprocessingId"), "trainEpochs": int(len(fit_rows)),
              "validationEpochs": len(val_rows), "bestValidationTop5": best, "curve": curve, "test": test,
              "trainingSeconds": trained.get("trainingSeconds", training_seconds), "trainedOn": trained["device"],
              "torch": trained["torch"], "exportTorch": str(torch.__version__)}
    if args.from_checkpoint:
        report["exportCommand"] = command
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
