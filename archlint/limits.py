"""Per-file budgets of wall-clock time and memory, and the check that enforces them.

A file is analysed ``within(budget)``. The interpreter calls ``check()`` as it steps, and
where the platform allows it (POSIX, the main thread) a timer interrupts code that does not
step, such as a rule or the parser, a moment after the deadline. Going over raises
``OverBudget``. It derives from ``BaseException`` so that no ``except Exception`` on the way
swallows it. The pipeline turns it into an AL904 finding for that file, and the run goes on.

Memory is measured as the growth of the process's resident size since the file began. It
is not capped with an rlimit: native code (the parser) that fails to allocate would abort
the process instead of raising. Inputs whose parse alone would go over the memory budget
are refused before parsing, by ``parse_cost``.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

DEFAULT_SECONDS = 20.0
DEFAULT_MEMORY_MB = 1024
GRACE_SECONDS = 1.0  # the timer fires this long after the deadline: stepping code stops itself first
_CHECK_EVERY = 16  # steps of work between two looks at the clock
_MEMORY_EVERY = 64  # clock looks between two looks at the resident size

# Peak memory of a parse, per token of source (measured on generated files of 1M tokens).
_LIBCST_BYTES_PER_TOKEN = 2_600
_AST_BYTES_PER_TOKEN = 700
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Budget:
    """``seconds`` and ``memory_mb`` per file; ``None`` or 0 is no limit."""

    seconds: Optional[float] = DEFAULT_SECONDS
    memory_mb: Optional[int] = DEFAULT_MEMORY_MB


class OverBudget(BaseException):
    """The file's analysis went over its time or memory budget."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class _Meter:
    def __init__(self, budget: Budget):
        self.budget = budget
        self.deadline = time.monotonic() + budget.seconds if budget.seconds else None
        self.memory_limit = budget.memory_mb * 2**20 if budget.memory_mb else None
        self.memory_base = resident_bytes() if self.memory_limit else 0
        self.work = 0
        self.next_clock = self.next_memory = 0

    def check(self, work: int) -> None:
        self.work += work
        if self.work < self.next_clock:
            return
        self.next_clock = self.work + _CHECK_EVERY
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OverBudget(over_time(self.budget))
        if self.memory_limit is not None and self.work >= self.next_memory:
            self.next_memory = self.work + _CHECK_EVERY * _MEMORY_EVERY
            if resident_bytes() - self.memory_base > self.memory_limit:
                raise OverBudget(over_memory(self.budget))


_active: Optional[_Meter] = None


def over_time(budget: Budget) -> str:
    return f"analysis took longer than {budget.seconds:g} s, the time budget per file (--timeout)"


def over_memory(budget: Budget) -> str:
    return f"analysis needed more than {budget.memory_mb:,} MB, the memory budget per file (--memory)"


def check(work: int = 1) -> None:
    """Count ``work`` steps; raise ``OverBudget`` when the file being analysed has run out
    of time or memory (looked at every few steps, weighed by the work done)."""
    if _active is not None:
        _active.check(work)


def current() -> Optional[Budget]:
    return _active.budget if _active is not None else None


@contextmanager
def within(budget: Optional[Budget]) -> Iterator[None]:
    """Analyse one file within ``budget`` (nested uses are governed by the outermost)."""
    global _active
    if budget is None or _active is not None:
        yield
        return
    _active = _Meter(budget)
    timer = _start_timer(budget)
    try:
        yield
    finally:
        _active = None
        if timer is not None:
            _stop_timer(*timer)


def _start_timer(budget: Budget):
    if not budget.seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise OverBudget(over_time(budget))

    previous = signal.signal(signal.SIGALRM, interrupt)
    earlier = signal.setitimer(signal.ITIMER_REAL, budget.seconds + GRACE_SECONDS)
    return previous, earlier, time.monotonic()


def _stop_timer(previous, earlier, started) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)
    remaining, interval = earlier
    if remaining:  # someone else's timer was running: give it back what is left of it
        signal.setitimer(signal.ITIMER_REAL, max(remaining - (time.monotonic() - started), 0.001), interval)


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        try:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return peak if os.uname().sysname == "Darwin" else peak * 1024
        except (ImportError, OSError, AttributeError):
            return 0


def parse_cost(text: str, full: bool) -> Optional[str]:
    """Why parsing ``text`` would go over the memory budget of the file being analysed
    (``full``: a libcst parse, else CPython's), or None when it fits."""
    budget = current()
    if budget is None or not budget.memory_mb:
        return None
    per_token = _LIBCST_BYTES_PER_TOKEN if full else _AST_BYTES_PER_TOKEN
    limit = budget.memory_mb * 2**20
    if len(text) * per_token <= limit:  # never more tokens than characters: no need to count
        return None
    tokens = sum(1 for _ in _TOKEN.finditer(text))
    needed = tokens * per_token
    if needed <= limit:
        return None
    return (f"the file has {tokens:,} tokens; parsing it would take about {needed / 2**20:,.0f} MB, "
            f"more than {budget.memory_mb:,} MB, the memory budget per file (--memory)")
