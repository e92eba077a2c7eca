"""The counting engine and Pabulib files: pure, exact, importable without the web app or a database.

`pb tally`, the benchmarks and the app's results all count with `pb.counting.engine.count`.
"""

import os

# One BLAS thread per count: pb counts in worker threads (and several workers share the machine),
# where OpenBLAS's own threads only compete (measured 2.4x slower on two cores). Set before numpy
# is first imported, which only the engine does, lazily.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
