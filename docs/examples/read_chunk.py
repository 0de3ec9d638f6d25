#!/usr/bin/env python3
"""Decode a mindstream SampleChunk record (wire format MSC2, or the older MSC1; see docs/contracts.md) with numpy alone.

Usage:  python3 read_chunk.py FILE.bin          # e.g. contracts/src/test/resources/vectors/sample-chunk.bin
        kafka consumers: pass msg.value() (bytes) to read_chunk()

Prints the decoded chunk as JSON. Works on numpy >= 1.20.
"""
import json
import sys

import numpy as np

# The fixed header, packed little-endian (numpy structured dtypes are unaligned unless align=True): 46 bytes in
# MSC2; MSC1 had no lost_before (38 bytes).
HEADER = np.dtype([
    ('magic', 'S4'),           # b'MSC2'
    ('kind', 'u1'),            # 0 MEG, 1 EEG, 2 FMRI, 3 MARKER, 4 OTHER
    ('format', 'u1'),          # LSL channel format code
    ('total_channels', '<u4'),
    ('channel_offset', '<u4'),
    ('channel_count', '<u4'),
    ('sample_count', '<u4'),
    ('nominal_rate', '<f8'),
    ('first_sequence', '<i8'),
    ('lost_before', '<i8'),    # samples lost at the source just before this chunk (MSC2 only)
])
HEADER_V1 = np.dtype(HEADER.descr[:-1])
KINDS = ['MEG', 'EEG', 'FMRI', 'MARKER', 'OTHER']
DTYPES = {1: '<f4', 2: '<f8', 4: '<i4', 5: '<i2', 6: 'i1', 7: '<i8'}   # LSL codes; 3 (string) never occurs
STAGES = ['ACQUIRED', 'INGESTED', 'JOURNALED', 'PRODUCED', 'CONSUMED', 'EPOCHED', 'DECODED', 'PUSHED', 'RENDERED']


def _string(buf, pos):
    """u16 length (0xFFFF = None) + UTF-8 bytes; returns (value, next position)."""
    n = int(np.frombuffer(buf, '<u2', 1, pos)[0])
    pos += 2
    if n == 0xFFFF:
        return None, pos
    return bytes(buf[pos:pos + n]).decode('utf-8'), pos + n


def read_chunk(buf):
    buf = memoryview(buf)
    magic = bytes(buf[:4])
    if magic not in (b'MSC1', b'MSC2'):
        raise ValueError('not a SampleChunk record of version 1 or 2: magic %r' % magic)
    header = HEADER if magic == b'MSC2' else HEADER_V1
    h = np.frombuffer(buf, header, 1, 0)[0]
    lost_before = int(h['lost_before']) if magic == b'MSC2' else 0
    pos = header.itemsize
    session, pos = _string(buf, pos)
    stream_id, pos = _string(buf, pos)
    n, c = int(h['sample_count']), int(h['channel_count'])
    timestamps = np.frombuffer(buf, '<f8', n, pos)
    pos += 8 * n
    dtype = np.dtype(DTYPES[int(h['format'])])
    values = np.frombuffer(buf, dtype, n * c, pos).reshape(n, c)     # samples × channels
    pos += dtype.itemsize * n * c
    stages = int(buf[pos])
    stamps = np.frombuffer(buf, '<i8', stages, pos + 1)
    pos += 1 + 8 * stages
    if pos != len(buf):
        raise ValueError('%d trailing bytes' % (len(buf) - pos))
    return {
        'session': session, 'streamId': stream_id, 'kind': KINDS[int(h['kind'])], 'format': dtype.name,
        'totalChannels': int(h['total_channels']), 'channelOffset': int(h['channel_offset']),
        'nominalRate': float(h['nominal_rate']), 'firstSequence': int(h['first_sequence']),
        'lostBefore': lost_before,
        'timestamps': timestamps, 'values': values,
        'trace': {STAGES[i] if i < len(STAGES) else 'stage%d' % i: int(stamps[i]) for i in range(stages)},
    }


if __name__ == '__main__':
    with open(sys.argv[1], 'rb') as f:
        chunk = read_chunk(f.read())
    chunk['timestamps'] = chunk['timestamps'].tolist()
    chunk['shape'] = list(chunk['values'].shape)
    chunk['values'] = chunk['values'].ravel().tolist()
    print(json.dumps(chunk))
