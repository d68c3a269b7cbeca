"""Worker processes for the photo checks, sealing and writing the sealed file.

Decoding, measuring and encrypting a photo is ~5 ms of CPU. In threads it shares the GIL with
the event loop, and under load both slow down several times over (bench/README.md); in its own
processes it runs beside the loop on the other cores. A worker that dies (a decoder crash on a
hostile file, the kernel's OOM killer) breaks the pool: the documents in flight fail and are
retried by the pipeline like any other failure (a file a worker had already written is deleted
by the pipeline, which chose its name), and the next submission starts a fresh pool
(which blocks the event loop for the few milliseconds a fork from the running fork server
takes).

Workers start from a fork server that has imported only the photo checks, the crypto and the
blob store (intake/documents/_sealing.py), never the bot's database connections, threads or
keys, and without the HOSO_* environment (the token, the keys): see `start`.

Workers die with the bot, however it dies: each watches the bot's process (a pidfd, which
becomes readable when the process ends) and exits at once. A SIGKILLed bot left them waiting for
work for ever, and with them the fork server and the resource tracker (each lives while a worker
holds its pipe open): three processes per crash, beside the restarted bot's own.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

__all__ = ["PhotoProcesses", "default_process_count"]

P = ParamSpec("P")
T = TypeVar("T")

_PRELOAD = ["intake.documents._sealing"]


def _watch(parent: int) -> None:
    """Exit this worker as soon as the bot process `parent` has ended."""
    try:
        pidfd = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except OSError:  # no pidfd (an old kernel): look every half second
        # imported here: each worker imports this module to run `_start_worker`, and
        # intake.processes brings in storage and SQLAlchemy, 0.8 s per worker (10 ms without)
        from intake.processes import pid_alive  # noqa: PLC0415

        while os.getppid() != 1 and pid_alive(parent):
            time.sleep(0.5)
        os._exit(1)
    select.select([pidfd], [], [])  # readable once the process has ended
    os._exit(1)


def _start_worker(parent: int) -> None:
    """Each worker's initializer: die with the bot, and ignore Ctrl-C (it reaches the whole
    process group: the bot drains its photos, the workers must not die under it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch, args=(parent,), name="hoso-watch-bot", daemon=True).start()


def default_process_count() -> int:
    """One per core but the event loop's, at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


@contextlib.contextmanager
def _without_hoso_environment() -> Iterator[None]:
    kept = {name: value for name, value in os.environ.items() if name.startswith("HOSO_")}
    for name in kept:
        del os.environ[name]
    try:
        yield
    finally:
        os.environ.update(kept)


class PhotoProcesses(Executor):
    """A process pool that replaces itself when broken."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return ProcessPoolExecutor(
            self._processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    def start(self) -> None:
        """Start the fork server and the workers now, blocking: call it from a thread at
        start-up. Otherwise the first photo would start them on the event loop's thread, and
        every chat would wait the half second that takes. The fork server (and so every worker)
        starts without the HOSO_* variables: the token and the keys stay in this process."""
        with _without_hoso_environment():
            for future in [self.submit(os.getpid) for _ in range(self._processes)]:
                future.result()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._lock:
            try:
                return self._pool.submit(fn, *args, **kwargs)
            except BrokenProcessPool:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __repr__(self) -> str:
        return f"PhotoProcesses({self._processes})"
