"""Writes FIF raw files with MNE (every data type, a stim channel, annotations, projectors, a skip, a long channel
name, a split recording) and, beside each, what MNE reads back from it: <name>.json (info, annotations, events with
several find_events options) and <name>.f64 (raw.get_data(), float64 little-endian, channel-major).

Usage: /usr/bin/python3 make_fif_fixtures.py OUTDIR
"""
import json
import os
import sys
from datetime import datetime, timezone

import numpy as np
import mne

mne.set_log_level('ERROR')
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(13)
SFREQ = 1000.0
FIRST_SAMP = 1234
MEAS_DATE = datetime(2024, 5, 17, 9, 30, 12, 345678, tzinfo=timezone.utc)


def stim_signal(n):
    s = np.zeros(n)
    s[:10] = 5                  # non-zero initial value (initial_event)
    s[100:150] = 1              # ordinary event
    s[300:301] = 2              # one sample long (min_duration drops it)
    s[500:520] = 4              # 4 then 6: two 'increasing' onsets, one 'consecutive=False' onset
    s[520:560] = 6
    s[800:850] = 256 + 3        # high bits: mask 0xFF gives 3
    s[1500:1502] = 7            # two samples
    s[1503:1540] = 9            # close behind it (merged with min_duration 0.005)
    s[n - 5:] = 11              # still high at the end (orphaned onset: dropped)
    return s


def build(n, long_name=False):
    names = ['MEG0111', 'MEG0112', 'MEG0113', 'MEG0121', 'MEG0122', 'EEG001',
             'EEG-long-name-channel' if long_name else 'EEG002', 'EOG061', 'STI101']
    types = ['mag', 'grad', 'grad', 'mag', 'grad', 'eeg', 'eeg', 'eog', 'stim']
    info = mne.create_info(names, SFREQ, types)
    scale = {'mag': 1e-12, 'grad': 1e-11, 'eeg': 1e-5, 'eog': 1e-4}
    data = np.empty((len(names), n))
    for i, t in enumerate(types):
        data[i] = stim_signal(n) if t == 'stim' else rng.standard_normal(n) * scale[t]
    raw = mne.io.RawArray(data, info, first_samp=FIRST_SAMP)
    with raw.info._unlock():
        raw.info['highpass'] = 0.1
        raw.info['lowpass'] = 330.0
        raw.info['line_freq'] = 50.0
        raw.info['description'] = 'mindstream fixture'
        raw.info['experimenter'] = 'mne'
    for ch in raw.info['chs']:
        if ch['kind'] == mne.io.constants.FIFF.FIFFV_MEG_CH:
            ch['loc'][:] = rng.standard_normal(12).astype(np.float32)
    raw.set_meas_date(MEAS_DATE)
    raw.info['bads'] = ['MEG0113']
    # a projector over the magnetometers, kept as metadata
    mags = ['MEG0111', 'MEG0121']
    vec = rng.standard_normal((1, len(mags)))
    vec /= np.linalg.norm(vec)
    proj = mne.Projection(data=dict(nrow=1, ncol=len(mags), row_names=None, col_names=mags, data=vec),
                          kind=1, desc='PCA-v1', active=False)
    raw.add_proj([proj])
    ft = raw.first_time
    raw.set_annotations(mne.Annotations(
        onset=[ft + 0.25, ft + 0.9, ft + 1.75],
        duration=[0.1, 0.0, 0.5],
        description=['stim/face', 'note: with colon', 'BAD_blink'],
        ch_names=[[], [], ['EOG061']],
        orig_time=raw.info['meas_date']))
    return raw


def dump(raw_path, name):
    raw = mne.io.read_raw_fif(raw_path, preload=True)
    data = raw.get_data()
    data.astype('<f8').tofile(os.path.join(out, name + '.f64'))
    sf = raw.info['sfreq']

    def ev(**kw):
        return mne.find_events(raw, stim_channel='STI101', shortest_event=1, **kw).tolist()

    md = raw.info['meas_date']
    a = raw.annotations
    rel = a.onset - (raw.first_time if a.orig_time is not None else 0.0)
    info = {
        'mne_version': mne.__version__,
        'files': [os.path.basename(f) for f in raw.filenames],
        'nchan': raw.info['nchan'], 'sfreq': sf, 'first_samp': int(raw.first_samp), 'n_times': int(raw.n_times),
        'orig_format': raw.orig_format,
        'ch_names': raw.ch_names,
        'chs': [{'kind': int(c['kind']), 'coil_type': int(c['coil_type']), 'unit': int(c['unit']),
                 'unit_mul': int(c['unit_mul']), 'range': float(c['range']), 'cal': float(c['cal']),
                 'scanno': int(c['scanno']), 'logno': int(c['logno']), 'loc': [float(x) for x in c['loc']]}
                for c in raw.info['chs']],
        'meas_date': None if md is None else [int(md.timestamp() // 1), md.microsecond],
        'highpass': raw.info['highpass'], 'lowpass': raw.info['lowpass'], 'line_freq': raw.info['line_freq'],
        'description': raw.info['description'], 'experimenter': raw.info['experimenter'], 'bads': raw.info['bads'],
        'projs': [{'desc': p['desc'], 'kind': int(p['kind']), 'active': bool(p['active']),
                   'col_names': list(p['data']['col_names']), 'data': p['data']['data'].tolist()}
                  for p in raw.info['projs']],
        'annotations': [{'onset': float(rel[i]), 'duration': float(a.duration[i]), 'description': a.description[i],
                         'ch_names': list(a.ch_names[i])} for i in range(len(a))],
        'events': {
            'default': ev(),
            'min_duration_5ms': ev(min_duration=0.005),
            'mask_ff': ev(mask=0xFF, mask_type='and'),
            'mask_not_and_100': ev(mask=0x100, mask_type='not_and'),
            'consecutive_true': ev(consecutive=True),
            'consecutive_false': ev(consecutive=False),
            'initial_event': ev(initial_event=True),
        },
    }
    with open(os.path.join(out, name + '.json'), 'w') as f:
        json.dump(info, f)


for fmt in ('short', 'int', 'single', 'double'):
    raw = build(5000, long_name=(fmt == 'double'))
    if fmt in ('short', 'int'):
        # integer formats store data / cal: choose each channel's cal so the values keep their precision
        lim = 30000 if fmt == 'short' else 2 ** 30
        with raw.info._unlock():
            for i, ch in enumerate(raw.info['chs']):
                if ch['kind'] != mne.io.constants.FIFF.FIFFV_STIM_CH:
                    ch['cal'] = float(np.float32(np.abs(raw._data[i]).max() / lim))
    if fmt == 'single':
        # an acquisition skip: whole 1 s buffers under a BAD_ACQ_SKIP annotation become FIFF_DATA_SKIP
        raw.annotations.append(raw.first_time + 2.0, 1.0, 'BAD_ACQ_SKIP')
    path = os.path.join(out, f'{fmt}_raw.fif')
    raw.save(path, fmt=fmt, overwrite=True, buffer_size_sec=1.0)
    dump(path, f'{fmt}_raw')

# a recording split across files (split_raw.fif, split_raw-1.fif, ...)
raw = build(90000)
raw.save(os.path.join(out, 'split_raw.fif'), fmt='single', overwrite=True, split_size=2_000_000)
dump(os.path.join(out, 'split_raw.fif'), 'split_raw')
print('ok', mne.__version__)
