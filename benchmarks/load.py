"""A small HTTP load generator on asyncio: many concurrent clients, latency per request.

Each request opens its own connection (gunicorn's sync workers close them anyway), so the
baseline and the application are driven exactly alike. Given several ports, the requests go to
them in turn, in the order they are taken from the iterator.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    label: str = ""  # if given, the reply is kept under it in Result.replies


@dataclass
class Result:
    """What a load run observed."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0  # connection errors and timeouts
    locations: list[str] = field(default_factory=list)  # Location headers of redirects
    # Status and Location per labelled request; status 0: no reply (connection error, timeout).
    replies: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.failures + sum(n for s, n in self.statuses.items() if s >= 400)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _send(host: str, port: int, request: Request, timeout: float) -> tuple[int, str]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        head = [
            f"{request.method} {request.path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Connection: close",
            f"Content-Length: {len(request.body)}",
        ]
        head += [f"{k}: {v}" for k, v in request.headers]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    header_block = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = header_block.split("\r\n")
    status = int(lines[0].split()[1])
    location = next(
        (
            line.split(":", 1)[1].strip()
            for line in lines[1:]
            if line.lower().startswith("location:")
        ),
        "",
    )
    return status, location


async def _run(host, ports, requests: Iterator[Request], concurrency, duration, timeout) -> Result:
    result = Result()
    deadline = time.perf_counter() + duration
    addressed = zip(itertools.cycle(ports), requests)  # round-robin in the order of sending

    async def client() -> None:
        while time.perf_counter() < deadline:
            try:
                port, request = next(addressed)
            except StopIteration:
                return
            started = time.perf_counter()
            try:
                status, location = await _send(host, port, request, timeout)
            except (TimeoutError, OSError, IndexError, ValueError):
                result.failures += 1
                if request.label:
                    result.replies[request.label] = (0, "")
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            if location:
                result.locations.append(location)
            if request.label:
                result.replies[request.label] = (status, location)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


def run(
    port: int | Sequence[int],
    requests: Iterator[Request],
    *,
    concurrency: int = 32,
    duration: float = 10.0,
    timeout: float = 30.0,
    host: str = "127.0.0.1",
) -> Result:
    """Send `requests` from `concurrency` clients for `duration` seconds (or until exhausted).

    With several ports, the requests are spread over them round-robin.
    """
    ports = [port] if isinstance(port, int) else list(port)
    return asyncio.run(_run(host, ports, requests, concurrency, duration, timeout))


def combine(results: list[Result]) -> Result:
    """One result of several runs, as if they had been one."""
    total = Result()
    for r in results:
        total.seconds += r.seconds
        total.latencies += r.latencies
        total.statuses += r.statuses
        total.failures += r.failures
        total.locations += r.locations
        total.replies |= r.replies
    return total


def repeat(request: Request) -> Iterator[Request]:
    while True:
        yield request
