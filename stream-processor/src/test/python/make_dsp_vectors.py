#!/usr/bin/python3
"""Reference vectors for stream-processor's filter chain, computed with scipy.signal (Debian python3-scipy).

Run from the repository root:  /usr/bin/python3 stream-processor/src/test/python/make_dsp_vectors.py
Writes stream-processor/src/test/resources/dsp/:
  input.f32        T x C float32 little-endian, sample-major (C = 4 channels, fs = 1200 Hz, T = 7200)
  chain.f32        T x C  sosfilt(butter(4,[0.1,40],'bandpass') + iirnotch(60k, Q=30) k=1..9 + cheby1(8,0.05,48 Hz)),
                   zi = sosfilt_zi(sos) * x[0]  (steady state for the first sample), float64 math, cast to float32
  decimated.f32    chain[::10]  -> 720 x C at 120 Hz (scipy.signal.decimate's IIR anti-alias filter, causal)
  bandpass.f32     T x C  the Butterworth band-pass alone (same zi rule)
  response.json    |H(f)| of each designed cascade on a frequency grid (sosfreqz), to check the designs
"""
import json
import os

import numpy as np
import scipy
import scipy.signal as sig

FS = 1200.0
T = 7200
C = 4
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "dsp")


def chain_sos(fs=FS, q=10):
    parts = [sig.butter(4, [0.1, 40.0], btype="bandpass", fs=fs, output="sos")]
    for h in range(1, 10):
        f = 60.0 * h
        if f < fs / 2:
            b, a = sig.iirnotch(f, 30.0, fs=fs)
            parts.append(sig.tf2sos(b, a))
    # scipy.signal.decimate's anti-alias filter: cheby1(8, 0.05, 0.8 / q) (normalised to Nyquist)
    parts.append(sig.cheby1(8, 0.05, 0.8 / q, output="sos"))
    return np.vstack(parts)


def run(sos, x):
    zi = sig.sosfilt_zi(sos)[:, :, None] * x[0][None, None, :]
    y, _ = sig.sosfilt(sos, x.astype(np.float64), axis=0, zi=zi)
    return y


def main():
    rng = np.random.default_rng(20261126)
    t = np.arange(T) / FS
    x = np.zeros((T, C))
    for c in range(C):
        x[:, c] = (50.0 * (c + 1)                                   # DC offset
                   + 3.0 * np.sin(2 * np.pi * 5.0 * t + c)          # in band
                   + 2.0 * np.sin(2 * np.pi * 21.0 * t + 0.3 * c)   # in band
                   + 8.0 * np.sin(2 * np.pi * 60.0 * t)             # line
                   + 4.0 * np.sin(2 * np.pi * 120.0 * t)            # harmonic
                   + 3.0 * np.sin(2 * np.pi * 300.0 * t)            # aliases to 60 Hz if not filtered
                   + 0.5 * t                                        # slow drift
                   + rng.normal(0, 1.0, T))
    x = x.astype(np.float32)
    sos = chain_sos()
    y = run(sos, x)
    bp = run(sig.butter(4, [0.1, 40.0], btype="bandpass", fs=FS, output="sos"), x)
    dec = y[::10]
    # cross-check: scipy's own decimate (causal, zero initial state) agrees once its start-up transient is over
    ref_in = run(np.vstack([sig.butter(4, [0.1, 40.0], btype="bandpass", fs=FS, output="sos")]
                           + [sig.tf2sos(*sig.iirnotch(60.0 * h, 30.0, fs=FS)) for h in range(1, 10)]), x)
    d2 = sig.decimate(ref_in, 10, ftype="iir", zero_phase=False, axis=0)
    tail = slice(240, None)
    err = np.max(np.abs(d2[tail] - dec[tail])) / np.max(np.abs(dec[tail]))
    assert err < 1e-3, f"scipy.signal.decimate disagrees with sosfilt(cheby1)[::10]: {err}"

    os.makedirs(OUT, exist_ok=True)
    x.astype("<f4").tofile(os.path.join(OUT, "input.f32"))
    y.astype("<f4").tofile(os.path.join(OUT, "chain.f32"))
    dec.astype("<f4").tofile(os.path.join(OUT, "decimated.f32"))
    bp.astype("<f4").tofile(os.path.join(OUT, "bandpass.f32"))
    freqs = [0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 21.0, 30.0, 40.0, 45.0, 48.0, 55.0, 59.0, 60.0, 61.0, 90.0, 120.0,
             180.0, 300.0, 540.0]
    resp = {}
    for name, s in [("chain", sos),
                    ("bandpass", sig.butter(4, [0.1, 40.0], btype="bandpass", fs=FS, output="sos")),
                    ("antialias", sig.cheby1(8, 0.05, 0.8 / 10, output="sos")),
                    ("notch60", sig.tf2sos(*sig.iirnotch(60.0, 30.0, fs=FS)))]:
        _, h = sig.sosfreqz(s, worN=freqs, fs=FS)
        resp[name] = [float(v) for v in np.abs(h)]
    with open(os.path.join(OUT, "response.json"), "w") as f:
        json.dump({"generator": "scipy.signal " + scipy.__version__, "fs": FS, "samples": T, "channels": C,
                   "freqs": freqs, "magnitude": resp,
                   "decimateCrossCheckRelErr": float(err)}, f, indent=1)
    print("wrote", OUT, "decimate cross-check rel err", err)


if __name__ == "__main__":
    main()
