"""gunicorn's settings for twintrack: `gunicorn -c python:twintrack.gunicorn_config twintrack.wsgi:application`.

Measured on 2 cores with 10^6 projects (benchmarks/RESULTS.md, seventh session; 50 keep-alive
clients asking for cached pages, 15 s each):
- gthread workers, because a request waits on PostgreSQL and Redis for much of its time and a
  thread's wait lets another thread of the process run; one worker per core plus one keeps both
  cores busy while a worker waits for its interpreter lock.
- worker_connections, a worker's limit on the clients it holds, is 4 per thread. Without it one
  worker took all 50 keep-alive connections in 2 of 3 runs (gunicorn's workers race to accept,
  and a client stays with the worker that accepted it): one interpreter lock for every client,
  340-400 requests/s against 790 when they were spread. With the limit the next worker takes the
  clients the full one refuses: 3 x 6 threads gave 840-854 requests/s with a p99 of 145 ms.
gunicorn's command line overrides any of them (-w, --threads; with --threads, give
--worker-connections as 4 times it too).
"""
import os

worker_class = "gthread"
workers = (os.cpu_count() or 1) + 1
threads = 6
worker_connections = 4 * threads
timeout = 120  # README, "Production deployment": a web request must end within it
