"""FIF benchmark partner for FifReadComparison.
  make OUT.fif CHANNELS SECONDS RATE FMT : writes a Neuromag-like raw file with MNE (mag/grad/eeg + STI101)
  read FILE.fif REPEATS                  : times mne.io.read_raw_fif(FILE, preload=True) REPEATS times in this
                                           process; prints 'mne_read_seconds t1 t2 ...'"""
import sys
import time

import numpy as np
import mne

mne.set_log_level('ERROR')
if sys.argv[1] == 'make':
    out, nch, secs, rate, fmt = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
    n = int(secs * rate)
    names = [f'MEG{i:04d}' for i in range(nch - 1)] + ['STI101']
    types = [('mag' if i % 3 == 0 else 'grad') for i in range(nch - 1)] + ['stim']
    info = mne.create_info(names, rate, types)
    rng = np.random.default_rng(1)
    data = rng.standard_normal((nch, n), dtype=np.float32).astype(np.float64) * 1e-12
    data[-1] = 0
    data[-1, ::1000] = 1
    raw = mne.io.RawArray(data, info, first_samp=0)
    raw.save(out, fmt=fmt, overwrite=True)
    print('ok')
else:
    fname, repeats = sys.argv[2], int(sys.argv[3])
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        raw = mne.io.read_raw_fif(fname, preload=True)
        times.append(time.perf_counter() - t)
        del raw
    print('mne_read_seconds ' + ' '.join(f'{x:.6f}' for x in times))
