#!/usr/bin/python3
"""MNE-Python reference for the stream processor's preprocessing benchmark (PreprocessingBenchmark.epoch).

Same data (the formula of PreprocessingBenchmark.value: 272 channels, 1812 samples at 1200 Hz, float32) and the
same steps, timed per epoch on one core:
  IIR band-pass 0.1-40 Hz (Butterworth order 4, sos), IIR notches at 60..540 Hz,
  the anti-alias filter of scipy.signal.decimate (cheby1(8, 0.05, 0.08), causal), every 10th sample from the onset
  (-0.5 .. +1.0 s -> 181 samples), baseline (None, 0) with mne.baseline.rescale, robust scaling with frozen
  statistics, clamp to +-20.
Two variants: "mne" calls mne.filter.filter_data / notch_filter as a user would (filters designed on every call;
MNE 1.3, Debian's, offers IIR filtering only as zero-phase sosfiltfilt, i.e. two passes and non-causal: MNE >= 1.6
has phase='forward'), "scipy-sos" applies the precomputed causal cascade with scipy.signal.sosfilt (the
like-for-like with the Java code, which designs once per stream).

Run:  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/src/main/python/processor_mne_reference.py
"""
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import mne  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.signal as sig  # noqa: E402

FS = 1200.0
C = 272
N = 1812
ONSET = 600


def data():
    s = np.arange(N, dtype=np.int64)[:, None]
    c = np.arange(C, dtype=np.int64)[None, :]
    t = s / FS
    x = (100 * np.sin(2 * np.pi * (7 + c % 13) * t + c) + 50 * np.sin(2 * np.pi * 60 * t)
         + 20 * ((s * 7919 + c * 104729) % 1000) / 1000.0)
    return x.astype(np.float32).T.copy()  # channels x times, as MNE wants


def finish(y, center, scale):
    ep = y[:, ONSET - 600:ONSET + 1201:10]  # 181 samples, onset at index 60
    times = (np.arange(ep.shape[1]) - 60) / 120.0
    ep = mne.baseline.rescale(ep, times, (None, 0), mode="mean", copy=False, verbose=False)
    ep = (ep - center[:, None]) / scale[:, None]
    return np.clip(ep, -20, 20).astype(np.float32)


def via_mne(x, center, scale):
    y = mne.filter.filter_data(x.astype(np.float64), FS, 0.1, 40.0, method="iir",
                               iir_params=dict(order=4, ftype="butter", output="sos"), phase="zero",
                               verbose=False)
    for f in range(60, 600, 60):  # MNE 1.3: one stop-band per IIR notch call
        y = mne.filter.notch_filter(y, FS, f, method="iir", phase="zero", verbose=False)
    y = sig.sosfilt(sig.cheby1(8, 0.05, 0.08, output="sos"), y, axis=1)
    return finish(y, center, scale)


SOS = np.vstack([sig.butter(4, [0.1, 40.0], btype="bandpass", fs=FS, output="sos")]
                + [sig.tf2sos(*sig.iirnotch(f, 30.0, fs=FS)) for f in range(60, 600, 60)]
                + [sig.cheby1(8, 0.05, 0.08, output="sos")])


def via_sos(x, center, scale):
    zi = sig.sosfilt_zi(SOS)[:, :, None] * x[:, 0][None, None, :]
    y, _ = sig.sosfilt(SOS, x.astype(np.float64), axis=1, zi=np.moveaxis(zi, 2, 1))
    return finish(y, center, scale)


def bench(fn, x, reps):
    center = np.zeros(C)
    scale = np.full(C, 100.0)
    fn(x, center, scale)  # warm-up
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn(x, center, scale)
        t.append(time.perf_counter() - t0)
    return np.median(t) * 1e3, np.min(t) * 1e3


def main():
    x = data()
    print(f"mne {mne.__version__}, scipy {scipy.__version__}, numpy {np.__version__}; {C} ch x {N} samples")
    for name, fn, reps in [("mne", via_mne, 10), ("scipy-sos", via_sos, 20)]:
        med, best = bench(fn, x, reps)
        print(f"{name}: median {med:.1f} ms per epoch, best {best:.1f} ms "
              f"({C * N / (med / 1e3) / 1e6:.2f} M channel-samples/s)")


if __name__ == "__main__":
    main()
