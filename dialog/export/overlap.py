"""Overlapping the export's stages on several cores: reading, formatting, compressing.

Reading (ADBC, its SQLite child process or PostgreSQL's COPY), formatting (pyarrow) and
compressing and hashing (zlib, hashlib) all release the GIL, so two threads keep two cores
busy: `prefetch` reads the next batches while the caller formats this one, and `Handoff`
compresses and hashes what was formatted while the formatter goes on.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_POLL = 0.1  # seconds: how often a blocked thread checks whether it should give up


def prefetch(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`items`, produced in a thread up to `depth` ahead of the consumer.

    An error while producing is raised in the consumer; a consumer that stops early makes the
    producer stop too (and close `items`).
    """
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:  # handed to the consumer, which raises it
            put(error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="export-prefetch", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


class Handoff:
    """Calls `write` with each chunk in a thread of its own, in order.

    `send` copies the chunk (the caller may reuse its buffer) and returns at once unless
    `depth` chunks are waiting; `close` waits for the last one and raises what `write` raised.
    """

    def __init__(self, write: Callable[[bytes], object], depth: int = 8) -> None:
        self._write = write
        self._chunks: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export-handoff", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._chunks.get()) is not _DONE:
            if self._error is None:
                try:
                    self._write(chunk)
                except BaseException as error:  # raised again by send or close
                    self._error = error

    def send(self, chunk) -> None:
        if self._error is not None:
            self.close()
        self._chunks.put(bytes(chunk))

    def close(self) -> None:
        if self._thread.is_alive():
            self._chunks.put(_DONE)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
