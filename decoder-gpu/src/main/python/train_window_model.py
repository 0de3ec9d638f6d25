#!/usr/bin/python3
"""Train the sliding-window brain module on a window export, report its accuracy over time, export ONNX.

Run with Debian's torch:  /usr/bin/python3 train_window_model.py --dataset DIR --out DIR [options]
DIR is written by `./mindstream dataset export --windows` (windows of 272 x 30: 250 ms at 120 Hz, one every 50 ms,
cut by the processor's own code, each labelled with its trial's image and its offset = window end - onset).
The bundled window-model-demo.onnx was produced with the command recorded in its window-model.json (also in
docs/decoding-results.md, "Sliding windows").

The model is brain_module.py's module (the `demo` configuration) with T = 30: the same layers, loss and export as the
epoch model (train_brain_module.py), only the temporal aggregation is over the window's 30 samples.

Which windows it learns from (--train-from/--train-to, offsets of the window's END after onset): by default those
ending 0.1 ... 1.1 s after onset. The simulated response starts 75-90 ms after onset and its sustained part ends by
about 1.0 s (docs/simulator.md), so a window ending before +0.1 s or after +1.1 s holds no (or a sliver of)
stimulus-related signal: training on it would ask the model to map noise to the image (a CLIP target it cannot
reach), which only blurs what it learns from the informative windows, and would cost 1/3 more CPU time. The model
still decodes every window live; the accuracy-over-time table shows what it gives at each offset, before onset
included (chance, as it should be).

Outputs in --out:
  window-model.onnx         windows (B, 272, 30) float32 -> embedding (B, F) float32, dynamic batch axis, opset 13;
                            metadata as the epoch model: channels, times, outDim, preprocessingId, bankModel, subject,
                            config
  window-model.json         command, dataset (and the command that made it), config, validation curve, test metrics
                            over the training offsets, and accuracyOverTime: per offset bin (every 50 ms from
                            --eval-from to --eval-to), top-1, top-5 and median relative rank among the test images,
                            with chance
  window-model.pt           checkpoint (--from-checkpoint re-tests and re-exports it)
  parity-inputs.npy, parity-outputs.npy   a few test windows and torch's outputs, for the DJL parity test
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


def add_metadata(path, props):
    """ONNX metadata_props, as train_brain_module.add_metadata writes them; without the onnx package (Debian's
    python3-onnx), appended to the serialized ModelProto as protobuf fields 14 (StringStringEntryProto key = 1,
    value = 2) — a parser merges fields appended to a message, so the file is the one onnx.save would write, but for
    field order."""
    try:
        import onnx  # noqa: F401
    except ImportError:
        def varint(n):
            out = bytearray()
            while True:
                b, n = n & 0x7F, n >> 7
                out.append(b | (0x80 if n else 0))
                if not n:
                    return bytes(out)

        def field(number, payload):
            return bytes([(number << 3) | 2]) + varint(len(payload)) + payload

        with open(path, "ab") as f:
            for k, v in props.items():
                f.write(field(14, field(1, k.encode()) + field(2, v.encode())))
        return
    from train_brain_module import add_metadata as with_onnx
    with_onnx(path, props)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", required=True, help="directory written by `./mindstream dataset export --windows`")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--train-from", type=float, default=0.1, help="first offset (s, window end - onset) trained on")
    p.add_argument("--train-to", type=float, default=1.1, help="last offset trained on")
    p.add_argument("--eval-from", type=float, default=-0.2, help="first offset bin of the accuracy over time")
    p.add_argument("--eval-to", type=float, default=1.3, help="last offset bin of the accuracy over time")
    p.add_argument("--epochs", type=int, default=100, help="passes of --windows-per-epoch windows")
    p.add_argument("--windows-per-epoch", type=int, default=8192,
                   help="training windows drawn (without replacement, cycling) per pass; validation after each")
    p.add_argument("--max-minutes", type=float, default=8.0, help="stop training after this wall time")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--lambda-clip", type=float, default=0.75, help="loss = λ·CLIP + (1-λ)·MSE")
    p.add_argument("--val-fraction", type=float, default=0.1, help="share of training images held out")
    p.add_argument("--patience", type=int, default=8, help="early stopping on validation top-5")
    p.add_argument("--seed", type=int, default=0)
    # one thread: on this shared 2-core machine two torch threads ran at 71 windows/s against 2,260 with one (their
    # OpenMP workers spin waiting for each other while other processes hold the cores)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--parity-count", type=int, default=3)
    p.add_argument("--from-checkpoint", metavar="PT",
                   help="skip training: load this window-model.pt, then test, export and report as usual")
    return p.parse_args(argv)


def bins_of(offsets, step):
    """Offset bin index: bin k holds offsets in [k·step - step/2, k·step + step/2) (the exporter's bins)."""
    return np.round(offsets / step + 1e-6).astype(np.int64)


def predict(model, X, subject=0, batch=256):
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(X), batch):
            x = torch.from_numpy(np.ascontiguousarray(X[s:s + batch]))
            out.append(model.clip_head(model.features(x, torch.full((len(x),), subject, dtype=torch.long))).numpy())
    return np.concatenate(out) if out else np.zeros((0, model.cfg.out_dim), np.float32)


def main(argv):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    ds = Dataset(args.dataset)
    if ds.kind != "windows":
        raise SystemExit(f"{args.dataset} holds {ds.kind}, not windows: write one with "
                         "`./mindstream dataset export --windows`")
    n, c, t = ds.X.shape
    dim = ds.bank.shape[1]
    step = float(ds.meta["offsets"]["step"])
    cfg = BrainModuleConfig.demo(out_dim=dim, subjects=len(ds.subjects), channels=c, times=t)
    model = BrainModule(cfg, ds.positions)
    print(f"dataset {args.dataset}: {n} windows of {c}x{t}, bank {ds.bank.shape}, subjects {ds.subjects}", flush=True)
    print(f"config demo (T = {t}): {sum(p.numel() for p in model.parameters()):,} parameters, training on the CPU "
          f"({args.threads} threads)", flush=True)

    bins = bins_of(ds.offsets, step)
    lo, hi = int(round(args.train_from / step)), int(round(args.train_to / step))
    split = np.asarray([tr["split"] for tr in ds.trials])
    image = np.asarray([tr["imageId"] for tr in ds.trials])
    in_range = (bins >= lo) & (bins <= hi)
    train_images = sorted(set(image[split == "train"]))
    val_images = set(rng.choice(train_images, size=max(1, int(len(train_images) * args.val_fraction)), replace=False))
    is_val = np.asarray([i in val_images for i in image])
    fit_rows = np.flatnonzero((split == "train") & in_range & ~is_val)
    val_rows = np.flatnonzero((split == "train") & in_range & is_val)
    print(f"train on offsets {lo * step:+.2f} ... {hi * step:+.2f} s: {len(fit_rows)} windows, validation "
          f"{len(val_rows)} windows of {len(val_images)} held-out images", flush=True)
    val_sorted = sorted(val_images)
    val_cands = ds.bank[[ds.bank_index[i] for i in val_sorted]]
    val_pos = {i: k for k, i in enumerate(val_sorted)}
    val_truth = np.asarray([val_pos[i] for i in image[val_rows]])

    command = " ".join(shlex.quote(a) for a in [sys.executable, os.path.relpath(__file__)] + list(argv))
    started = time.time()
    best, best_state, since_best, curve = -1.0, None, 0, []
    trained = {"command": command, "device": "cpu", "torch": str(torch.__version__),
               "dataset": ds.meta.get("source", args.dataset)}
    if args.from_checkpoint:
        trusted = {"weights_only": False} if "weights_only" in inspect.signature(torch.load).parameters else {}
        checkpoint = torch.load(args.from_checkpoint, map_location="cpu", **trusted)
        if checkpoint["model"] != config_dict(cfg):
            raise SystemExit(f"{args.from_checkpoint} holds a {checkpoint['model']} model, not {config_dict(cfg)}")
        best_state, best, curve, trained = (checkpoint["state"], checkpoint["bestValidationTop5"],
                                            checkpoint["curve"], checkpoint["trained"])
        print(f"loaded {args.from_checkpoint}: trained with {trained}", flush=True)
    else:
        # the training windows in memory once (≈ 1.4 GB for the default export): batches are then random rows of RAM,
        # not random reads of the 3 GB memory-mapped file
        t0 = time.time()
        X_fit = torch.from_numpy(np.ascontiguousarray(ds.X[fit_rows]))
        X_val = np.ascontiguousarray(ds.X[val_rows])
        Y_fit = torch.from_numpy(ds.bank[[ds.bank_index[i] for i in image[fit_rows]]])
        print(f"loaded the training windows in {time.time() - t0:.0f} s", flush=True)
        started = time.time()
        opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        order, cursor = rng.permutation(len(fit_rows)), 0
        subj = ds.subject_index(fit_rows)
        for epoch in range(args.epochs):
            model.train()
            total, batches = 0.0, 0
            for _ in range(max(1, args.windows_per_epoch // args.batch)):
                if cursor + args.batch > len(order):
                    order, cursor = rng.permutation(len(fit_rows)), 0
                r = torch.from_numpy(order[cursor:cursor + args.batch])
                cursor += args.batch
                clip_out, mse_out = model(X_fit[r], torch.from_numpy(subj[r.numpy()]))
                y = Y_fit[r]
                loss = (args.lambda_clip * clip_loss(clip_out, y)
                        + (1 - args.lambda_clip) * torch.nn.functional.mse_loss(mse_out, y))
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item()
                batches += 1
            val = retrieval_metrics(predict(model, X_val), val_cands, val_truth)
            elapsed = time.time() - started
            curve.append({"epoch": epoch + 1, "windows": (epoch + 1) * batches * args.batch,
                          "loss": total / max(1, batches), "valTop1": val["top1"], "valTop5": val["top5"],
                          "valMedianRelativeRank": val["medianRelativeRank"], "seconds": round(elapsed, 1)})
            print(f"epoch {epoch + 1}: loss {total / max(1, batches):.4f}  val top-5 {val['top5']:.3f} "
                  f"(chance {val['chanceTop5']:.3f})  median rank {val['medianRelativeRank']:.3f}  {elapsed:.0f}s",
                  flush=True)
            if val["top5"] > best:
                best, since_best = val["top5"], 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                since_best += 1
            if since_best >= args.patience or elapsed > args.max_minutes * 60:
                print(f"stopping after epoch {epoch + 1} "
                      f"({'patience' if since_best >= args.patience else 'time budget'})", flush=True)
                break
        del X_fit, X_val
        trained["trainingSeconds"] = round(time.time() - started, 1)
    model.load_state_dict(best_state)
    model.eval()
    exported = ExportedBrainModule(model, 0).eval()

    # accuracy over time: the exported graph (what the ONNX file holds) on the held-out test windows, per offset bin,
    # retrieving among all test images (the candidates the live decoder uses with --candidates test)
    test_rows = np.flatnonzero(split == "test")
    test_images = sorted(set(image[test_rows]))
    cands = ds.bank[[ds.bank_index[i] for i in test_images]]
    pos = {i: k for k, i in enumerate(test_images)}
    over_time = []
    pooled_pred, pooled_truth = [], []
    for k in range(int(round(args.eval_from / step)), int(round(args.eval_to / step)) + 1):
        rows = test_rows[bins[test_rows] == k]
        if len(rows) == 0:
            continue
        with torch.no_grad():
            pred = np.concatenate([exported(torch.from_numpy(np.ascontiguousarray(ds.X[rows[s:s + 512]]))).numpy()
                                   for s in range(0, len(rows), 512)])
        truth = np.asarray([pos[i] for i in image[rows]])
        m = retrieval_metrics(pred, cands, truth)
        m["offset"] = round(k * step, 4)
        over_time.append(m)
        if lo <= k <= hi:
            pooled_pred.append(pred)
            pooled_truth.append(truth)
        print(f"offset {k * step:+.2f} s: n {m['n']}  top-1 {m['top1']:.3f}  top-5 {m['top5']:.3f}  median rank "
              f"{m['medianRelativeRank']:.3f}  (chance {m['chanceTop1']:.3f} / {m['chanceTop5']:.3f} / 0.5)", flush=True)
    test = (retrieval_metrics(np.concatenate(pooled_pred), cands, np.concatenate(pooled_truth))
            if pooled_pred else None)
    if test:
        test["offsets"] = [lo * step, hi * step]
        print(f"test, offsets {lo * step:+.2f} ... {hi * step:+.2f} s pooled: top-1 {test['top1']:.3f} top-5 "
              f"{test['top5']:.3f} median rank {test['medianRelativeRank']:.3f} over {test['n']} windows", flush=True)

    os.makedirs(args.out, exist_ok=True)
    if not args.from_checkpoint:
        torch.save({"model": config_dict(cfg), "state": best_state, "bestValidationTop5": best, "curve": curve,
                    "trained": trained}, os.path.join(args.out, "window-model.pt"))
    onnx_path = os.path.join(args.out, "window-model.onnx")
    example = torch.from_numpy(np.array(ds.X[:2]))
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(exported, example, onnx_path, input_names=["epochs"], output_names=["embedding"],
                      dynamic_axes={"epochs": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=13,
                      do_constant_folding=True, **legacy)
    add_metadata(onnx_path, {"mindstream.channels": str(c), "mindstream.times": str(t), "mindstream.outDim": str(dim),
                             "mindstream.preprocessingId": ds.meta.get("preprocessingId", ""),
                             "mindstream.bankModel": ds.bank_meta.get("model", ""),
                             "mindstream.subject": ds.subjects[0],
                             "mindstream.config": json.dumps(config_dict(cfg))})
    # parity: test windows before, at and after the response (offsets -0.1, +0.2, +0.5 s)
    parity_rows = [int(test_rows[bins[test_rows] == k][0]) for k in (-2, 4, 10)
                   if np.any(bins[test_rows] == k)][:args.parity_count]
    px = np.ascontiguousarray(ds.X[parity_rows])
    with torch.no_grad():
        py = exported(torch.from_numpy(px)).numpy()
    np.save(os.path.join(args.out, "parity-inputs.npy"), px)
    np.save(os.path.join(args.out, "parity-outputs.npy"), py.astype(np.float32))
    source = ds.meta.get("source", {})
    report = {"command": trained["command"], "dataset": source, "datasetCommand": source.get("command"),
              "config": "demo", "model": config_dict(cfg), "parameters": sum(p.numel() for p in model.parameters()),
              "exportedSubject": ds.subjects[0], "preprocessingId": ds.meta.get("preprocessingId"),
              "window": {"samples": t, "sampleRate": ds.meta.get("sampleRate"), "tmin": ds.meta.get("tmin"),
                         "stepSeconds": step},
              "trainOffsets": [lo * step, hi * step], "trainWindows": int(len(fit_rows)),
              "validationWindows": int(len(val_rows)), "bestValidationTop5": best, "curve": curve,
              "test": test, "accuracyOverTime": over_time,
              "parityWindows": [ds.trials[k]["epochId"] + " @ " + f"{ds.offsets[k]:+.3f} s" for k in parity_rows],
              "trainingSeconds": trained.get("trainingSeconds"), "trainedOn": trained["device"],
              "torch": trained["torch"], "exportTorch": str(torch.__version__)}
    if args.from_checkpoint:
        report["exportCommand"] = command
    with open(os.path.join(args.out, "window-model.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB) and window-model.json", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
