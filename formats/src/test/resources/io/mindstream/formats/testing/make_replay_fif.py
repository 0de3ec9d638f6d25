"""A small MEG recording written by MNE for the FIF replay test: 4 MEG + 1 EEG + STI101 at 500 Hz, 2 s, first_samp
500, events 1, 2, 3 on the stim channel and two annotations. With "neuromag", the channels carry a Neuromag
acquisition's names and types (MEG 0113 grad, MEG 0112 grad, MEG 0111 mag, MEG 0122 grad, EEG 001, STI 014).
Usage: /usr/bin/python3 make_replay_fif.py OUT.fif [neuromag]"""
import sys
from datetime import datetime, timezone

import numpy as np
import mne

mne.set_log_level('ERROR')
n = 1000
if len(sys.argv) > 2 and sys.argv[2] == 'neuromag':
    names = ['MEG 0113', 'MEG 0112', 'MEG 0111', 'MEG 0122', 'EEG 001', 'STI 014']
    types = ['grad', 'grad', 'mag', 'grad', 'eeg', 'stim']
else:
    names = ['MEG0111', 'MEG0112', 'MEG0113', 'MEG0121', 'EEG001', 'STI101']
    types = ['mag', 'grad', 'grad', 'mag', 'eeg', 'stim']
info = mne.create_info(names, 500.0, types)
rng = np.random.default_rng(5)
data = rng.standard_normal((len(names), n)) * 1e-12
data[4] *= 1e7
stim = np.zeros(n)
stim[100:110] = 1
stim[400:410] = 2
stim[700:710] = 3
data[5] = stim
raw = mne.io.RawArray(data, info, first_samp=500)
raw.set_meas_date(datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
raw.set_annotations(mne.Annotations([raw.first_time + 0.5, raw.first_time + 1.5], [0.1, 0.2],
                                    ['stim/face', 'BAD_blink'], orig_time=raw.info['meas_date']))
raw.save(sys.argv[1], fmt='single', overwrite=True)
print('ok')
