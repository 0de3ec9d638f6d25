#!/usr/bin/python3
"""NIfTI-1 mask fixtures written by nibabel (Debian python3-nibabel), for Nifti1MaskTest.

Run from the repository root:  /usr/bin/python3 stream-processor/src/test/python/make_nifti_masks.py
Writes stream-processor/src/test/resources/fmri/:
  mask_u8.nii.gz     uint8 6x5x4 mask, little-endian, single file (n+1), gzipped
  mask_f32_be.nii    float32 big-endian single file (values 0.5 where set)
  mask_i16.hdr/.img  int16 two-file pair (ni1)
  mask_indices.txt   the expected linear indices (x + nx*(y + ny*z)), one line, space separated
"""
import os

import nibabel as nib
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fmri")


def main():
    os.makedirs(OUT, exist_ok=True)
    shape = (6, 5, 4)
    rng = np.random.default_rng(5)
    m = (rng.random(shape) < 0.3)
    m[0, 0, 0] = True
    m[5, 4, 3] = True
    affine = np.eye(4)
    nib.save(nib.Nifti1Image(m.astype(np.uint8), affine), os.path.join(OUT, "mask_u8.nii.gz"))
    hdr = nib.Nifti1Header(endianness=">")
    hdr.set_data_dtype(">f4")
    img = nib.Nifti1Image((m * 0.5).astype(">f4"), affine, hdr)
    nib.save(img, os.path.join(OUT, "mask_f32_be.nii"))
    pair = nib.Nifti1Pair(m.astype(np.int16) * 7, affine)
    nib.save(pair, os.path.join(OUT, "mask_i16.hdr"))
    # NIfTI stores x fastest: the linear index of (x, y, z) is x + nx*(y + ny*z) = Fortran-order ravel
    idx = np.flatnonzero(m.ravel(order="F"))
    with open(os.path.join(OUT, "mask_indices.txt"), "w") as f:
        f.write(" ".join(str(i) for i in idx) + "\n")
    print("wrote", OUT, len(idx), "voxels")


if __name__ == "__main__":
    main()
