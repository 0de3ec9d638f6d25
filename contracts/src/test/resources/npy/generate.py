# Generates the .npy test vectors used by NpyTest (run from this directory with /usr/bin/python3, numpy 1.24):
#   /usr/bin/python3 generate.py
# The float32 files are what numpy itself writes, so reading them proves compatibility; the others are the
# dtypes/layouts Npy must reject with a clear error.
import numpy as np

m = np.arange(12, dtype='<f4').reshape(3, 4) / np.float32(4)
m[0, 1] = np.nan
m[1, 2] = np.inf
m[2, 3] = -0.0
np.save('matrix_3x4_f4.npy', m)                        # 2-D float32 C order
np.save('vector_5_f4.npy', np.array([1.5, -2.25, 3e-39, 1e38, 0], dtype='<f4'))  # 1-D, incl. a subnormal
np.save('empty_0x8_f4.npy', np.zeros((0, 8), dtype='<f4'))
np.save('matrix_f8.npy', m.astype('<f8'))               # float64: rejected
np.save('matrix_be.npy', m.astype('>f4'))               # big-endian: rejected
np.save('matrix_fortran.npy', np.asfortranarray(m))     # Fortran order: rejected
np.save('cube_f4.npy', np.zeros((2, 2, 2), dtype='<f4'))  # 3-D: rejected
np.save('scalar_f4.npy', np.float32(1))                 # 0-D: rejected
