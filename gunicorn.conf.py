"""gunicorn settings for `make run`: loopback, $PORT (default 8050), a worker per core."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
preload_app = True  # load the dataset once, before the workers fork
timeout = 60
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
