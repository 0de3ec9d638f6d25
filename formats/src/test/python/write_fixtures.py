#!/usr/bin/python3
"""Writes the scanner-file fixtures with the field's own tools (nibabel, pydicom, numpy) into OUTDIR.

Every layout the Java reader claims: NIfTI-1 and NIfTI-2, .nii and .nii.gz, int16/uint16/float32, scaled, big endian,
3D and 4D; DICOM single-frame in implicit VR LE, explicit VR LE and explicit VR BE, signed and unsigned, rescaled, and
a Siemens mosaic with its CSA header; and the files that must fail: RLE-compressed DICOM, a truncated one, a foreign
file. Prints one line per file: NAME KIND (ok|error).
"""
import gzip
import struct
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import (ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian, RLELossless,
                         generate_uid)

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(12)
MR = "1.2.840.10008.5.1.4.1.1.4"


def rotated_affine(voxel, offset):
    # a rotation about z by 10 degrees and about x by 5: no axis-aligned shortcut can pass
    a, b = np.deg2rad(10), np.deg2rad(5)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    aff = np.eye(4)
    aff[:3, :3] = rz @ rx @ np.diag(voxel)
    aff[:3, 3] = offset
    return aff


def nifti(name, cls, dtype, shape, gz, big=False, tr=None, qform_only=False):
    # float data stored as the given type: for int16/uint16 nibabel chooses scl_slope/scl_inter itself (a slope it
    # would reset on save if we set it on integer data), so the integer files are scaled
    data = rng.normal(100, 40, size=shape)
    aff = rotated_affine([3.0, 2.5, 3.5], [-90.0, -110.0, -40.0])
    hdr = cls.header_class(endianness='>' if big else '<')
    img = cls(data, aff, hdr)
    img.set_data_dtype(dtype)
    if qform_only:
        img.set_sform(None, code=0)
        img.set_qform(aff, code=1)
    else:
        img.set_sform(aff, code=1)
        img.set_qform(aff, code=1)
    if tr is not None:
        img.header.set_xyzt_units('mm', 'sec')
        zooms = list(img.header.get_zooms())
        zooms[3] = tr
        img.header.set_zooms(zooms)
    path = out / (name + ('.nii.gz' if gz else '.nii'))
    nib.save(img, str(path))
    print(path.name, "nifti ok")
    proxy = nib.load(str(path)).dataobj  # nibabel moves scl_slope/scl_inter from the header to the proxy
    slope, inter = proxy.slope, proxy.inter
    print("#", path.name, "on disk:", np.dtype(dtype).name, "scl_slope", slope, "scl_inter", inter)


for version, cls in ((1, nib.Nifti1Image), (2, nib.Nifti2Image)):
    for dtype, tag in ((np.int16, 'i16'), (np.uint16, 'u16'), (np.float32, 'f32')):
        for gz in (False, True):
            nifti(f"n{version}_{tag}{'_gz' if gz else ''}", cls, dtype, (7, 5, 4), gz)
nifti("n1_i16_be", nib.Nifti1Image, np.int16, (7, 5, 4), False, big=True)
nifti("n1_f32_qform", nib.Nifti1Image, np.float32, (6, 5, 3), False, qform_only=True)
nifti("n1_f32_4d", nib.Nifti1Image, np.float32, (6, 5, 3, 4), False, tr=2.0)
nifti("n2_i16_4d_gz", nib.Nifti2Image, np.int16, (6, 5, 3, 3), True, tr=1.5)


def dicom_base(rows, cols, instance, signed):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MR
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.ImplementationClassUID = generate_uid()
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = MR
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "MR"
    ds.PatientName = "Fixture^Subject"
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.SeriesNumber = 3
    ds.InstanceNumber = instance
    ds.AcquisitionNumber = instance
    ds.AcquisitionTime = "101530.250000"
    ds.RepetitionTime = "2000"
    ds.SliceThickness = "3.5"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    ds.PixelSpacing = ["2.5", "3.0"]
    # rotated in-plane and tilted: row and column cosines orthonormal, no axis-aligned shortcut
    a, b = np.deg2rad(12), np.deg2rad(7)
    r = np.array([np.cos(a), np.sin(a), 0.0])
    c = np.array([-np.sin(a) * np.cos(b), np.cos(a) * np.cos(b), np.sin(b)])
    ds.ImageOrientationPatient = [f"{v:.8f}" for v in np.concatenate([r, c])]
    ds.ImagePositionPatient = ["-100.5", "-80.25", "30.0"]
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1 if signed else 0
    return ds


def save(ds, name, syntax, kind="dicom ok"):
    ds.file_meta.TransferSyntaxUID = syntax
    ds.is_little_endian = syntax != ExplicitVRBigEndian
    ds.is_implicit_VR = syntax == ImplicitVRLittleEndian
    path = out / name
    ds.save_as(str(path), write_like_original=False)
    print(path.name, kind)
    return path


for syntax, tag in ((ImplicitVRLittleEndian, "ivrle"), (ExplicitVRLittleEndian, "evrle"),
                    (ExplicitVRBigEndian, "evrbe")):
    for signed in (True, False):
        ds = dicom_base(6, 9, 7, signed)
        dt = np.int16 if signed else np.uint16
        px = rng.integers(-2000 if signed else 0, 4000, size=(6, 9)).astype(dt)
        ds.RescaleSlope = "0.5"
        ds.RescaleIntercept = "-12"
        ds.PixelData = px.astype(dt).tobytes() if syntax != ExplicitVRBigEndian \
            else px.astype(dt).byteswap().tobytes()
        save(ds, f"single_{tag}_{'s16' if signed else 'u16'}.dcm", syntax)


def csa(tags):
    """A CSA2 (SV10) header, laid out as nibabel's csareader reads it."""
    b = b"SV10" + bytes([4, 3, 2, 1]) + struct.pack("<2I", len(tags), 77)
    for name, vr, values in tags:
        b += struct.pack("<64si4s3i", name.encode(), len(values), vr.encode(), 0, len(values), 77)
        for v in values:
            vb = v.encode() + b"\0"
            b += struct.pack("<4i", len(vb), len(vb), 77, len(vb)) + vb + b"\0" * ((4 - len(vb) % 4) % 4)
    return b


# a Siemens mosaic: 5 slices of 4 rows x 6 columns in a 3 x 3 tile grid (12 x 18 pixels)
n, tr_, tc_ = 5, 4, 6
ds = dicom_base(3 * tr_, 3 * tc_, 12, True)
ds.Manufacturer = "SIEMENS"
ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND", "MOSAIC"]
ds.SpacingBetweenSlices = "3.5"
iop = np.array([float(v) for v in ds.ImageOrientationPatient])
normal = np.cross(iop[:3], iop[3:])
ds.add_new((0x0029, 0x0010), "LO", "SIEMENS CSA HEADER")
ds.add_new((0x0029, 0x1010), "OB", csa([("NumberOfImagesInMosaic", "US", [str(n)]),
                                        ("SliceNormalVector", "FD", [f"{v:.8f}" for v in normal]),
                                        ("AcquisitionMatrixText", "SH", [f"{tr_}p*{tc_}"])]))
slab = np.zeros((3 * tr_, 3 * tc_), np.int16)
for k in range(n):
    slab[(k // 3) * tr_:(k // 3 + 1) * tr_, (k % 3) * tc_:(k % 3 + 1) * tc_] = \
        rng.integers(-1000, 3000, size=(tr_, tc_))
ds.PixelData = slab.tobytes()
save(ds, "mosaic_evrle.dcm", ExplicitVRLittleEndian)

# files that must fail, each with one clear reason
ds = dicom_base(8, 8, 1, False)
ds.PixelData = rng.integers(0, 4000, size=(8, 8)).astype(np.uint16).tobytes()
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.compress(RLELossless)
ds.save_as(str(out / "rle.dcm"), write_like_original=False)
print("rle.dcm dicom error")
whole = (out / "single_evrle_s16.dcm").read_bytes()
(out / "truncated.dcm").write_bytes(whole[:len(whole) - 40])
print("truncated.dcm dicom error")
(out / "notes.txt").write_bytes(b"this is not an image\n" * 20)
print("notes.txt foreign error")
whole = (out / "n1_f32_gz.nii.gz").read_bytes()
(out / "truncated.nii.gz").write_bytes(whole[:len(whole) // 2])
print("truncated.nii.gz nifti error")
