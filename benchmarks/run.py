"""Wall-clock cost of whole archlint processes, against the floor they cannot go below.

What this measures
------------------
Each command is timed as a WHOLE PROCESS: ``subprocess.run`` from the first
``time.perf_counter()`` before the fork to the one after the child has exited, so
interpreter start-up, imports, parsing, analysis and output are all included. That is
what a user (or an editor / CI hook) waits for.

Commands:

* ``python -c "pass"``                 -- bare interpreter start-up;
* ``python -c "import libcst"``        -- the libcst floor: no libcst-based tool can be
  faster than importing libcst, so archlint is reported relative to it;
* ``python -m archlint summary F --format json`` for each fixture (``--fixtures``
  picks a subset), and the text form for one or two fixtures (``--text-fixtures``);
* ``python -m archlint check fixtures/models``  -- every fixture linted in one process;
* the largest file of the installed ``keras.applications`` (``efficientnet_v2.py``) analyzed
  with ``--entry "EfficientNetV2L(weights=None)"``, beside a process that imports Keras,
  builds ``keras.applications.EfficientNetV2L(weights=None)`` and prints its summary
  (``--application NAME`` picks another builder of that file, ``--no-application`` skips);
* keras: ``KERAS_BACKEND=numpy python -c ...build_fixture(F)`` -- a process that imports
  Keras and builds the same fixture's models for real (``tests/keras_oracle.build_fixture``:
  run the file with ``run_name="fixture"``, else call each top-level all-default function).
  It also calls ``model.summary()`` on each model, i.e. it does what ``archlint summary``
  answers statically.

Noise control: the machine is shared and noisy, so the commands are interleaved in
rounds -- every round runs every command once, in a freshly shuffled order (``--seed``) --
so that a noisy stretch hits all commands alike rather than one command's whole batch.
One untimed warm-up round (``--warmup``) fills the OS file cache and the bytecode cache
and checks every command's exit status. Per command we report the median and the min over
the ``--repeat`` rounds; ratios are always against baselines measured in the same run.

Bytecode: an installed package normally runs from cached ``.pyc`` files (pip compiles
them at install time, Python writes them on first import). If the environment sets
``PYTHONDONTWRITEBYTECODE`` and the package lives in a source checkout without
``__pycache__``, every run recompiles it from source, a cost that libcst and Keras
(which ship with ``.pyc``) don't pay. By default, then, every child process runs with
``PYTHONDONTWRITEBYTECODE`` removed and ``PYTHONPYCACHEPREFIX`` pointing at a private
temporary directory (deleted afterwards, nothing is written to the repository), so that
after the warm-up all commands, the floor included, run from cached bytecode.
``--inherit-env`` runs the children with the environment exactly as inherited.

Columns: ``x floor`` = median / libcst-floor median; ``beyond floor`` = (median - floor
median) / floor median, i.e. what the command costs on top of importing libcst;
``vs keras`` = keras median / archlint median for the same fixture (the speed-up).

This is a measurement script, not a test: no timing thresholds are asserted anywhere,
and its exit status reflects only whether every command ran with its expected status.

Usage (from the repository root or anywhere)::

    python benchmarks/run.py [--repeat 5] [--fixtures seed000_resnet50 seed003_unet]
                             [--no-keras] [--inherit-env] [--json out.json]

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "models"
PY = sys.executable
DEFAULT_TEXT_FIXTURES = ("seed000_resnet50", "seed003_unet")

KERAS_SNIPPET = (
    "import sys; sys.path.insert(0, 'tests'); "
    "from keras_oracle import build_fixture; from pathlib import Path; "
    "build_fixture(Path(sys.argv[1]).resolve())"
)


APPLICATION_SNIPPET = (
    "import sys, keras; keras.backend.clear_session(); "
    "getattr(keras.applications, sys.argv[1])(weights=None).summary(print_fn=lambda *a, **k: None)"
)


def largest_application_file():
    """The biggest model-builder file of the installed keras.applications, found without importing Keras."""
    for entry in sys.path:
        folder = Path(entry or ".") / "keras" / "src" / "applications"
        if folder.is_dir():
            files = [p for p in folder.glob("*.py") if not p.stem.endswith("_test") and p.stem not in ("__init__", "imagenet_utils")]
            return max(files, key=lambda p: p.stat().st_size) if files else None
    return None


class Command:
    def __init__(self, key, label, argv, kind, fixture=None, env=None, ok_codes=(0,)):
        self.key = key            # unique id, used in the JSON
        self.label = label        # what the table shows
        self.argv = argv
        self.kind = kind          # interpreter | floor | summary-json | summary-text | check | keras
        self.fixture = fixture    # fixture stem, for summary/keras
        self.env = env
        self.ok_codes = ok_codes
        self.times: list[float] = []
        self.returncodes: list[int] = []

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def min(self):
        return min(self.times)


def _resolve_fixtures(names):
    available = {p.stem: p for p in sorted(FIXTURES.glob("*.py"))}
    if not names:
        return list(available.values())
    chosen = []
    for name in names:
        stem = Path(name).stem
        if stem not in available:
            sys.exit(f"run.py: no fixture {name!r} in {FIXTURES.relative_to(ROOT)}")
        chosen.append(available[stem])
    return chosen


def child_env(pycache_dir):
    env = dict(os.environ)
    if pycache_dir is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache_dir)
    return env


def build_commands(args, pycache_dir=None):
    base_env = child_env(pycache_dir)
    keras_env = dict(base_env, KERAS_BACKEND="numpy")
    fixtures = _resolve_fixtures(args.fixtures)
    text_fixtures = _resolve_fixtures(args.text_fixtures) if args.text_fixtures else []
    cmds = [
        Command("interpreter", 'python -c "pass"', [PY, "-c", "pass"], "interpreter", env=base_env),
        Command("floor", 'python -c "import libcst"  [floor]', [PY, "-c", "import libcst"], "floor", env=base_env),
    ]
    for path in fixtures:
        rel = str(path.relative_to(ROOT))
        cmds.append(Command(f"summary-json:{path.stem}", f"summary --format json {path.stem}",
                            [PY, "-m", "archlint", "summary", rel, "--format", "json"],
                            "summary-json", path.stem, base_env))
    for path in text_fixtures:
        rel = str(path.relative_to(ROOT))
        cmds.append(Command(f"summary-text:{path.stem}", f"summary (text) {path.stem}",
                            [PY, "-m", "archlint", "summary", rel],
                            "summary-text", path.stem, base_env))
    if not args.no_check:
        # exit status 1 = findings were reported, which is expected for the fixtures
        cmds.append(Command("check:fixtures/models", "check fixtures/models (all, one process)",
                            [PY, "-m", "archlint", "check", str(FIXTURES.relative_to(ROOT))],
                            "check", env=base_env, ok_codes=(0, 1)))
    application = None if args.no_application else largest_application_file()
    if application is not None:
        cmds.append(Command("application:archlint", f"summary {application.name} --entry {args.application}",
                            [PY, "-m", "archlint", "summary", str(application), "--entry",
                             f"{args.application}(weights=None)", "--format", "json"],
                            "application", args.application, base_env, ok_codes=(0, 1)))
        if not args.no_keras:
            cmds.append(Command("application:keras", f"keras.applications.{args.application} build + summary",
                                [PY, "-c", APPLICATION_SNIPPET, args.application], "application-keras",
                                args.application, keras_env))
    if not args.no_keras:
        for path in fixtures:
            rel = str(path.relative_to(ROOT))
            cmds.append(Command(f"keras:{path.stem}", f"keras build {path.stem}",
                                [PY, "-c", KERAS_SNIPPET, rel], "keras", path.stem, keras_env))
    return cmds


def run_once(cmd: Command):
    t0 = time.perf_counter()
    proc = subprocess.run(cmd.argv, cwd=ROOT, env=cmd.env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    return elapsed, proc.returncode, proc.stderr


def run_rounds(cmds, repeat, warmup, seed, progress):
    rng = random.Random(seed)
    failures = {}
    total_rounds = warmup + repeat
    for rnd in range(total_rounds):
        timed = rnd >= warmup
        order = list(cmds)
        rng.shuffle(order)
        t_round = time.perf_counter()
        for cmd in order:
            elapsed, code, err = run_once(cmd)
            if code not in cmd.ok_codes:
                failures.setdefault(cmd.key, (code, err.decode(errors="replace")[-600:]))
            if timed:
                cmd.times.append(elapsed)
                cmd.returncodes.append(code)
        if progress:
            tag = f"round {rnd - warmup + 1}/{repeat}" if timed else f"warm-up {rnd + 1}/{warmup}"
            print(f"  {tag}: {len(order)} commands in {time.perf_counter() - t_round:.1f}s",
                  file=sys.stderr, flush=True)
    return failures


def _pct(x):
    return f"{x * 100:+.0f}%"


def report(cmds, args):
    by_key = {c.key: c for c in cmds}
    floor = by_key["floor"].median
    interp = by_key["interpreter"].median
    keras_by_fixture = {c.fixture: c for c in cmds if c.kind == "keras"}

    rows = []
    for c in cmds:
        beyond = (c.median - floor) / floor
        speedup = None
        if c.kind in ("summary-json", "summary-text") and c.fixture in keras_by_fixture:
            speedup = keras_by_fixture[c.fixture].median / c.median
        rows.append((c, beyond, speedup))

    headers = ("command", "median s", "min s", "x floor", "beyond floor", "vs keras")
    width = max(len(headers[0]), *(len(c.label) for c in cmds))
    fmt = f"{{:<{width}}}  {{:>8}}  {{:>8}}  {{:>7}}  {{:>12}}  {{:>8}}"
    lines = [fmt.format(*headers), "-" * (width + 2 + 8 + 2 + 8 + 2 + 7 + 2 + 12 + 2 + 8)]
    section = None
    for c, beyond, speedup in rows:
        kind = c.kind.split("-")[0] if c.kind.startswith("summary") else c.kind
        if section is not None and kind != section:
            lines.append("")
        section = kind
        flag = "" if all(rc in c.ok_codes for rc in c.returncodes) else "  (!) unexpected exit status"
        lines.append(fmt.format(
            c.label, f"{c.median:.3f}", f"{c.min:.3f}", f"{c.median / floor:.2f}",
            "(floor)" if c.kind == "floor" else _pct(beyond),
            f"{speedup:.1f}x" if speedup else "") + flag)
    print("\n".join(lines))

    summary = {"floor_median_s": floor, "interpreter_median_s": interp,
               "libcst_import_beyond_interpreter_s": floor - interp}
    print()
    print(f"interpreter start-up {interp:.3f}s; importing libcst adds {floor - interp:.3f}s "
          f"(floor = {floor:.3f}s, {floor / interp:.1f}x a bare interpreter)")

    jsons = [c for c in cmds if c.kind == "summary-json"]
    if jsons:
        mom = statistics.median(c.median for c in jsons)
        worst = max(jsons, key=lambda c: c.median)
        summary.update(summary_json_median_of_medians_s=mom,
                       summary_json_beyond_floor=(mom - floor) / floor,
                       summary_json_slowest=worst.key)
        print(f"archlint summary --format json over {len(jsons)} fixture(s): median of medians "
              f"{mom:.3f}s ({_pct((mom - floor) / floor)} over floor, {mom - floor:.3f}s of analysis "
              f"incl. archlint's own imports); slowest {worst.fixture} {worst.median:.3f}s "
              f"({_pct((worst.median - floor) / floor)})")
    check = by_key.get("check:fixtures/models")
    if check:
        n = len(list(FIXTURES.glob("*.py")))
        per_file = (check.median - floor) / n
        summary.update(check_median_s=check.median, check_per_file_beyond_floor_s=per_file)
        print(f"archlint check of all {n} fixtures in one process: {check.median:.3f}s "
              f"(~{per_file * 1000:.0f} ms per file beyond the floor)")

    line = None
    if jsons:
        line = (f"archlint summary ({'all fixtures' if not args.fixtures else f'{len(jsons)} fixture(s)'}, "
                f"median of medians): {_pct((mom - floor) / floor)} over the libcst floor")
        paired = [(c, keras_by_fixture[c.fixture]) for c in jsons if c.fixture in keras_by_fixture]
        if paired:
            speedups = [k.median / a.median for a, k in paired]
            keras_mom = statistics.median(k.median for _, k in paired)
            med_speedup = statistics.median(speedups)
            summary.update(keras_median_of_medians_s=keras_mom,
                           speedup_vs_keras_median=med_speedup,
                           speedup_vs_keras_min=min(speedups), speedup_vs_keras_max=max(speedups),
                           speedup_vs_keras_of_sums=sum(k.median for _, k in paired) / sum(a.median for a, _ in paired))
            print(f"keras building the same models: median of medians {keras_mom:.3f}s; per-fixture "
                  f"speed-up of archlint {min(speedups):.1f}x .. {max(speedups):.1f}x "
                  f"(median {med_speedup:.1f}x; sum over fixtures {summary['speedup_vs_keras_of_sums']:.1f}x)")
            line += f"; {med_speedup:.1f}\u00d7 faster than Keras building the same models"
        print()
        print(line)
    summary["summary_line"] = line
    app, app_keras = by_key.get("application:archlint"), by_key.get("application:keras")
    if app:
        lines_of_source = len(Path(app.argv[4]).read_text(encoding="utf-8").splitlines())
        text = (f"largest keras.applications file, {Path(app.argv[4]).name} ({lines_of_source:,} lines), "
                f"{app.fixture}: archlint {app.median:.3f}s")
        summary.update(application=app.fixture, application_archlint_median_s=app.median)
        if app_keras:
            text += (f"; Keras importing and building it {app_keras.median:.3f}s "
                     f"({app_keras.median / app.median:.1f}x faster)")
            summary.update(application_keras_median_s=app_keras.median,
                           application_speedup=app_keras.median / app.median)
        print(text)
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed warm-up rounds (default 1)")
    parser.add_argument("--fixtures", nargs="+", metavar="NAME",
                        help="fixture stems or paths to time (default: all of fixtures/models)")
    parser.add_argument("--text-fixtures", nargs="*", metavar="NAME", default=list(DEFAULT_TEXT_FIXTURES),
                        help="fixtures also timed with the text summary (default: %(default)s)")
    parser.add_argument("--no-keras", action="store_true", help="skip the (slow) real-Keras processes")
    parser.add_argument("--no-check", action="store_true", help="skip `archlint check fixtures/models`")
    parser.add_argument("--application", default="EfficientNetV2L",
                        help="builder of the largest keras.applications file to time (default EfficientNetV2L)")
    parser.add_argument("--no-application", action="store_true", help="skip the keras.applications pair")
    parser.add_argument("--inherit-env", action="store_true",
                        help="run children with the inherited environment as is (default: cached bytecode "
                             "in a private PYTHONPYCACHEPREFIX, PYTHONDONTWRITEBYTECODE removed)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the per-round shuffling")
    parser.add_argument("--json", metavar="OUT", help="write the raw timings and derived numbers here")
    parser.add_argument("-q", "--quiet", action="store_true", help="no per-round progress on stderr")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")

    pycache_dir = None if args.inherit_env else Path(tempfile.mkdtemp(prefix="archlint-bench-pycache-"))
    try:
        cmds = build_commands(args, pycache_dir)
        if pycache_dir is None:
            bytecode = ("inherited environment, PYTHONDONTWRITEBYTECODE="
                        f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}")
        else:
            bytecode = "cached bytecode for every command (private PYTHONPYCACHEPREFIX)"
            if args.warmup < 1:
                bytecode += "; WARNING: no warm-up, the first round compiles everything"
        print(f"python {platform.python_version()} ({PY}); {os.cpu_count()} cpu(s); {len(cmds)} commands; "
              f"{args.repeat} timed round(s) + {args.warmup} warm-up, shuffled order per round (seed {args.seed}); "
              f"{bytecode}", flush=True)
        failures = run_rounds(cmds, args.repeat, args.warmup, args.seed, not args.quiet)
    finally:
        if pycache_dir is not None:
            shutil.rmtree(pycache_dir, ignore_errors=True)
    print()
    summary = report(cmds, args)
    for key, (code, err) in failures.items():
        print(f"\n(!) {key} exited {code}:\n{err}", file=sys.stderr)

    if args.json:
        doc = {
            "python": platform.python_version(), "executable": PY, "platform": platform.platform(),
            "cpu_count": os.cpu_count(), "bytecode": "inherited-env" if args.inherit_env else "private-pycache-prefix",
            "inherited_PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
            "repeat": args.repeat, "warmup": args.warmup, "seed": args.seed,
            "commands": [{"key": c.key, "label": c.label, "kind": c.kind, "fixture": c.fixture,
                          "argv": [a if a != PY else "python" for a in c.argv],
                          "times_s": c.times, "returncodes": c.returncodes,
                          "median_s": c.median, "min_s": c.min, "max_s": max(c.times)} for c in cmds],
            "derived": summary,
            "failures": {k: {"returncode": code, "stderr_tail": err} for k, (code, err) in failures.items()},
        }
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
        print(f"\nraw numbers written to {args.json}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
