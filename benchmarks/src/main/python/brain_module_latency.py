#!/usr/bin/python3
"""Decode latency of trained brain modules outside the JVM, as a reference for the DJL engines' numbers: PyTorch eager
on each device torch sees (CUDA included), and the exported ONNX graph under the Python onnxruntime's execution
providers. One forward pass of a (B, 272, 181) batch, B = 1 and 8; p50/p99/max over --runs after --warmup.

  python3 brain_module_latency.py --model DIR [--model DIR ...] [--runs 300] > latency.json

Each DIR is a train_brain_module.py output (brain-module.pt, and brain-module.onnx when it was exported there).
"""
import argparse
import inspect
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                                "decoder-gpu", "src", "main", "python"))
from brain_module import BrainModule, BrainModuleConfig, ExportedBrainModule  # noqa: E402


def percentiles(samples_ms):
    a = np.sort(np.asarray(samples_ms))
    return {"p50": float(np.percentile(a, 50)), "p99": float(np.percentile(a, 99)), "max": float(a[-1]),
            "runs": int(len(a))}


def time_calls(call, sync, warmup, runs):
    for _ in range(warmup):
        call()
    sync()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        sync()
        out.append((time.perf_counter() - t0) * 1e3)
    return percentiles(out)


def torch_latency(model_dir, device, batches, warmup, runs):
    path = os.path.join(model_dir, "brain-module.pt")
    ck = torch.load(path, map_location="cpu", **({"weights_only": False} if "weights_only" in inspect.signature(torch.load).parameters else {}))
    cfg = BrainModuleConfig(**ck["model"])
    positions = torch.zeros(cfg.channels, 2)  # replaced by the checkpoint's buffer
    module = BrainModule(cfg, positions)
    module.load_state_dict(ck["state"])
    model = ExportedBrainModule(module, 0).eval().to(device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    result = {}
    with torch.no_grad():
        for b in batches:
            x = torch.randn(b, cfg.channels, cfg.times, device=device)
            result[f"batch{b}"] = time_calls(lambda: model(x), sync, warmup, runs)
    return result


def ort_latency(model_dir, providers, batches, warmup, runs):
    import onnxruntime as ort
    path = os.path.join(model_dir, "brain-module.onnx")
    if not os.path.exists(path):
        return {"skipped": f"no {path}"}
    out = {}
    for p in providers:
        sess = ort.InferenceSession(path, providers=[p])
        name = sess.get_inputs()[0].name
        shape = sess.get_inputs()[0].shape
        res = {"threads": os.cpu_count()} if p == "CPUExecutionProvider" else {}
        for b in batches:
            x = np.random.default_rng(0).standard_normal((b, shape[1], shape[2])).astype(np.float32)
            res[f"batch{b}"] = time_calls(lambda: sess.run(None, {name: x}), lambda: None, warmup, runs)
        out[p] = res
    return out


def guarded(measure, *args):
    """One measurement failing (a provider that cannot load, say) is reported in its place, not fatal to the rest."""
    try:
        return measure(*args)
    except Exception as e:  # noqa: BLE001 - the report names what failed
        return {"error": f"{type(e).__name__}: {e}"}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", action="append", required=True, help="a train_brain_module.py output directory")
    p.add_argument("--batch", type=int, action="append", help="batch sizes (default 1 and 8)")
    p.add_argument("--runs", type=int, default=300)
    p.add_argument("--cpu-runs", type=int, default=100, help="at most this many runs on the CPU (slow for big models)")
    p.add_argument("--warmup", type=int, default=30)
    args = p.parse_args(argv)
    batches = args.batch or [1, 8]
    report = {"torch": torch.__version__, "cuda": torch.version.cuda, "models": {}}
    devices = [torch.device("cpu")]
    if torch.cuda.is_available():
        devices.insert(0, torch.device("cuda"))
        report["gpu"] = torch.cuda.get_device_name(0)
        torch.backends.cudnn.benchmark = True
    try:
        import onnxruntime as ort
        report["onnxruntime"] = ort.__version__
        report["onnxruntimeProviders"] = ort.get_available_providers()
        providers = [q for q in ("CUDAExecutionProvider", "CPUExecutionProvider") if q in ort.get_available_providers()]
    except ImportError:
        providers = []
    for d in args.model:
        name = os.path.basename(os.path.normpath(d))
        entry = {}
        for dev in devices:
            runs = args.runs if dev.type == "cuda" else min(args.runs, args.cpu_runs)
            entry[f"torch-{dev.type}"] = guarded(torch_latency, d, dev, batches, args.warmup, runs)
        if providers:
            entry["onnxruntime"] = guarded(ort_latency, d, providers, batches, args.warmup, min(args.runs, args.cpu_runs))
        report["models"][name] = entry
        print(f"{name}: {json.dumps(entry)}", file=sys.stderr, flush=True)
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
