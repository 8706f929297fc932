import threading

import pytest

from dialog.export.overlap import Handoff, prefetch


def test_prefetch_keeps_order_and_runs_in_another_thread():
    threads = set()

    def produce():
        for number in range(50):
            threads.add(threading.current_thread().name)
            yield number

    assert list(prefetch(produce(), depth=3)) == list(range(50))
    assert threads == {"export-prefetch"}


def test_prefetch_raises_the_producers_error_in_the_consumer():
    def produce():
        yield 1
        raise ValueError("kaputt")

    items = prefetch(produce())
    assert next(items) == 1
    with pytest.raises(ValueError, match="kaputt"):
        next(items)


def test_a_consumer_that_stops_early_stops_and_closes_the_producer():
    closed = threading.Event()

    def produce():
        try:
            yield from range(10_000)
        finally:
            closed.set()

    items = prefetch(produce(), depth=1)
    assert next(items) == 0
    items.close()
    assert closed.wait(timeout=5)
    assert not any(t.name == "export-prefetch" for t in threading.enumerate())


def test_handoff_writes_copies_in_order_and_reports_errors():
    written = []
    handoff = Handoff(written.append, depth=2)
    buffer = bytearray(b"a")
    for letter in b"abcdef":
        buffer[0] = letter
        handoff.send(buffer)  # the caller reuses its buffer: the handoff copied it
    handoff.close()
    assert b"".join(written) == b"abcdef"

    def fail(chunk):
        raise OSError("Platte voll")

    failing = Handoff(fail)
    failing.send(b"x")
    with pytest.raises(OSError, match="Platte voll"):
        failing.close()
