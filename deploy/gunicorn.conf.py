"""gunicorn's settings for xiaoneng's production app servers (docs/operations.md).

    gunicorn -c deploy/gunicorn.conf.py xiaoneng.wsgi

Everything comes from the environment, so one file serves every machine:

- ``XIAONENG_BIND`` (default ``127.0.0.1:8000``): where the reverse proxy reaches the workers;
- ``WEB_CONCURRENCY`` (default: 2 × cores + 1, at most 8): worker processes — each handles one
  request at a time, so a slow report does not hold up the others' pages;
- ``XIAONENG_WORKER_TIMEOUT`` (default 120 s): a request longer than this is a stuck worker
  (the period report of a province is the longest, well under it), restarted by gunicorn.

Nothing is kept in a worker's memory between requests that another worker must see: sessions
and the log-in throttle counts are in the database, the cache and the job queue in Redis
(``REDIS_URL``) — docs/operations.md, "The production stack".
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "xiaoneng.wsgi:application"
bind = os.environ.get("XIAONENG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("XIAONENG_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, so not all at once): a slow leak
# in a long-lived process never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy on the same machine is the only one whose X-Forwarded-* gunicorn believes; Django
# reads the client's address through XIAONENG_TRUSTED_PROXIES itself.
forwarded_allow_ips = os.environ.get("XIAONENG_TRUSTED_PROXIES", "127.0.0.1")
accesslog = "-"
errorlog = "-"
