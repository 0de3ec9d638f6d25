#!/usr/bin/python3
"""Compares what the Java reader decoded (OURS/<name>.f32 + OURS/<name>.txt) with nibabel's reading of FIXTURES/<name>.

Geometry is compared in world space: each of our voxels (i, j, k) is mapped through our RAS affine, then back through
nibabel's affine (LPS for DICOM, converted to RAS) into nibabel's voxel grid; the index must land on a voxel (within
1e-3) and the values must agree. A wrong affine, a transposition or a flipped axis fails. Prints one line per file and
exits 1 on any mismatch.
"""
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
from nibabel.nicom import dicomwrappers

fixtures, ours = Path(sys.argv[1]), Path(sys.argv[2])
names = sys.argv[3:]
bad = 0
LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])

for name in names:
    meta = dict(line.split("=", 1) for line in (ours / (name + ".txt")).read_text().splitlines())
    nx, ny, nz, nt = (int(v) for v in meta["dims"].split(","))
    aff = np.array([float(v) for v in meta["affine"].split(",")]).reshape(4, 4)
    vals = np.fromfile(ours / (name + ".f32"), dtype="<f4").reshape(nt, nz, ny, nx)
    path = fixtures / name
    if name.endswith(".dcm"):
        w = dicomwrappers.wrapper_from_file(str(path))
        ref = w.get_data()
        if ref.ndim == 2:  # a single-frame slice
            ref = ref[..., None]
        ref = ref[..., None]
        ref_aff = LPS_TO_RAS @ w.affine
    else:
        img = nib.load(str(path))
        ref = img.get_fdata()
        if ref.ndim == 3:
            ref = ref[..., None]
        ref_aff = img.affine
    problems = []
    if ref.shape[3] != nt:
        problems.append(f"{nt} volumes, nibabel {ref.shape[3]}")
    k, j, i = np.meshgrid(np.arange(nz), np.arange(ny), np.arange(nx), indexing="ij")
    ijk = np.stack([i.ravel(), j.ravel(), k.ravel(), np.ones(i.size)])
    theirs = np.linalg.inv(ref_aff) @ aff @ ijk
    idx = np.rint(theirs[:3]).astype(int)
    if np.abs(theirs[:3] - idx).max() > 1e-3:
        problems.append(f"geometry: our voxels land {np.abs(theirs[:3] - idx).max():.4f} off nibabel's grid")
    elif (idx < 0).any() or (idx[0] >= ref.shape[0]).any() or (idx[1] >= ref.shape[1]).any() \
            or (idx[2] >= ref.shape[2]).any():
        problems.append("geometry: our voxels map outside nibabel's grid")
    else:
        for t in range(min(nt, ref.shape[3])):
            mine = vals[t].ravel().astype(np.float64)
            their = ref[idx[0], idx[1], idx[2], t]
            err = np.abs(mine - their)
            tol = 1e-6 * np.maximum(1.0, np.abs(their))
            if (err > tol).any():
                worst = int(err.argmax())
                problems.append(f"volume {t}: {int((err > tol).sum())} voxels differ, e.g. ours {mine[worst]} "
                                f"nibabel {their[worst]}")
    if "tr" in meta and meta["tr"] != "NaN" and name.endswith((".nii", ".nii.gz")) and nt > 1:
        tr = img.header.get_zooms()[3]
        if abs(float(meta["tr"]) - tr) > 1e-6:
            problems.append(f"TR {meta['tr']} vs nibabel {tr}")
    if problems:
        bad += 1
        print(f"MISMATCH {name}: " + "; ".join(problems))
    else:
        print(f"SAME {name}: {nx}x{ny}x{nz}x{nt}")
sys.exit(1 if bad else 0)
