"""What MNE reads from a raw FIF file: OUT.json (channels, rate, first sample, events found on STI101 with MNE's
defaults, annotations with onsets from the first sample) and OUT.f64 (get_data(), float64 little-endian,
channel-major). Usage: /usr/bin/python3 read_with_mne.py FILE.fif OUT"""
import json
import sys

import mne

mne.set_log_level('ERROR')
raw = mne.io.read_raw_fif(sys.argv[1], preload=True)
raw.get_data().astype('<f8').tofile(sys.argv[2] + '.f64')
a = raw.annotations
rel = a.onset - (raw.first_time if a.orig_time is not None else 0.0)
stim = [n for n, t in zip(raw.ch_names, raw.get_channel_types()) if t == 'stim']
events = mne.find_events(raw, stim_channel=stim, shortest_event=1).tolist() if stim else []
with open(sys.argv[2] + '.json', 'w') as f:
    json.dump({'ch_names': raw.ch_names, 'types': raw.get_channel_types(), 'sfreq': raw.info['sfreq'],
               'first_samp': int(raw.first_samp), 'n_times': int(raw.n_times), 'events': events,
               'meas_date': None if raw.info['meas_date'] is None else raw.info['meas_date'].isoformat(),
               'annotations': [[float(rel[i]), float(a.duration[i]), a.description[i]] for i in range(len(a))]}, f)
print('ok')
