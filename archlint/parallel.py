"""Many files analysed on several processes, the results in the order the files were given.

Each worker analyses whole files (``pipeline.analyze_file``, with its own time and memory
budget per file) and sends back only what a check reports: the findings, the error and the
project modules read.
One file, or ``jobs=1``, runs in this process; on several, files go in batches by
directory, the largest first. A pool that breaks (a worker killed from
outside) costs nothing: the files it had not answered are analysed here. It does not
decide what to analyse or how to report it (cli.py does).
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _findings_of(request: Dict) -> object:
    from .pipeline import analyze_file
    from .results import FileResult

    result = analyze_file(**request)
    return FileResult(result.path, findings=result.findings, error=result.error, imported=result.imported)


def analyze_all(requests: List[Dict], jobs: Optional[int] = None) -> List[object]:
    """``analyze_file(**request)`` for each request, in order; on ``jobs`` processes
    (default: one per core) when there is more than one file."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(requests) <= 1:
        from .pipeline import analyze_file

        return [analyze_file(**request) for request in requests]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from . import pipeline  # noqa: F401 - loaded once here, inherited by forked workers

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    results: List[object] = [None] * len(requests)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(requests)), mp_context=context) as pool:
            futures = {pool.submit(_findings_of_all, [requests[i] for i in batch]): batch
                       for batch in _batches(requests, jobs)}
            for future, batch in futures.items():
                for index, result in zip(batch, future.result()):
                    results[index] = result
    except BrokenProcessPool:
        for index, result in enumerate(results):
            if result is None:
                results[index] = _findings_of(requests[index])
    return results


def _findings_of_all(requests: List[Dict]) -> List[object]:
    return [_findings_of(request) for request in requests]


def _batches(requests: List[Dict], jobs: int) -> List[List[int]]:
    """The requests' indexes in batches for the workers, largest first (so that no worker
    is left with a long batch while the others idle): the files of one directory together,
    whose imports of each other a worker then parses once, in batches of at most a
    twentieth of each worker's share."""
    sizes = [_size(request) for request in requests]
    limit = max(sum(sizes) // (20 * jobs), 1)
    by_directory: Dict[str, List[int]] = {}
    for index, request in enumerate(requests):
        by_directory.setdefault(os.path.dirname(str(request.get("path", ""))), []).append(index)
    batches: List[List[int]] = []
    for indexes in by_directory.values():
        batch: List[int] = []
        batch_size = 0
        for index in sorted(indexes, key=lambda i: -sizes[i]):
            if batch and batch_size + sizes[index] > limit:
                batches.append(batch)
                batch, batch_size = [], 0
            batch.append(index)
            batch_size += sizes[index]
        batches.append(batch)
    return sorted(batches, key=lambda batch: -sum(sizes[i] for i in batch))


def _size(request: Dict) -> int:
    """The length of the request's text (it stands for its analysis time)."""
    if request.get("text") is not None:
        return len(request["text"])
    try:
        return os.path.getsize(request["path"])
    except (OSError, KeyError, TypeError):
        return 0
