"""``check --jobs N``: the same report, in the same order, as one file at a time."""

import concurrent.futures
import shutil
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_jobs_give_the_same_report_in_the_same_order(tmp_path):
    for directory in ("models", "rules", "bad"):
        shutil.copytree(ROOT / "fixtures" / directory, tmp_path / directory)
    runs = [subprocess.run([sys.executable, "-m", "archlint", "check", "--format", "json", "--jobs", jobs, "."],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path) for jobs in ("1", "2", "3")]
    assert runs[0].stdout.count('"code"') > 50
    assert all(run.stdout == runs[0].stdout and run.returncode == runs[0].returncode for run in runs)
    assert "Traceback" not in "".join(run.stderr for run in runs)


def test_a_broken_pool_falls_back_to_this_process(monkeypatch):
    from archlint import parallel

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, function, batch):  # the first batch is answered, then a worker is killed
            future = concurrent.futures.Future()
            if answered:
                future.set_exception(BrokenProcessPool("a worker was killed"))
            else:
                answered.append(batch)
                future.set_result(function(batch))
            return future

    answered = []
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    paths = [str(ROOT / "fixtures" / "rules" / name) for name in ("AL201.py", "AL202.py", "AL203.py")]
    results = parallel.analyze_all([{"path": p} for p in paths], jobs=2)
    assert len(answered) == 1
    assert [r.path for r in results] == paths and all(r.findings for r in results)


def test_batches_keep_a_directory_together_and_cover_every_file_once():
    from archlint import parallel

    requests = [{"path": f"/{d}/f{i}.py", "text": "x" * size}
                for d, sizes in (("a", [5, 5, 5]), ("b", [300]), ("c", [40, 1, 1, 1])) for i, size in enumerate(sizes)]
    batches = parallel._batches(requests, jobs=1)  # at most 363 // 20 = 18 characters a batch, unless one file is more
    assert sorted(i for batch in batches for i in batch) == list(range(len(requests)))
    directories = [{requests[i]["path"].split("/")[1] for i in batch} for batch in batches]
    assert all(len(d) == 1 for d in directories)
    assert [sum(len(requests[i]["text"]) for i in batch) for batch in batches] == [300, 40, 15, 3]
