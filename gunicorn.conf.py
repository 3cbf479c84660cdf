"""gunicorn settings for `make run`: loopback, $PORT (default 8050), a worker per core."""

import multiprocessing
import os

# One thread per worker for numpy's BLAS and OpenMP: the workers already take a core each, and a worker's pool of
# threads waiting for a busy core slows its own request (set before the app, and numpy, are imported).
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
preload_app = True  # load the dataset once, before the workers fork
timeout = 60
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
