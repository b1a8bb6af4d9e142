"""The speed suite: archlint beside its baselines, measured side by side in one run.

    python benchmarks/suite.py [--repeat 3] [--quick] [--json out.json]

Every command is a whole process, timed from fork to exit; the commands are interleaved in
rounds (each round runs each once, in a shuffled order) so a noisy stretch of the machine
hits them alike, after one untimed warm-up round. The table gives each command's median and
its ratio to the baseline it is compared with in the same run, then the issue's targets
with the measured ratio. Peak memory is the child's maximum resident size.

Groups: one file (a copy of the largest ``keras.applications`` source): ``check`` and
``summary`` cold, ``check`` warm (cache hit), ``import libcst``, libcst parse only,
archlint's imports with the parse but no analysis, ruff, flake8, Fixit and pylint on the
same file (each skipped when not installed: ``pip install ruff flake8 fixit pylint``);
every applications source file and the smallest model file the same way (cold ``check``,
parse, pylint, Fixit), so the one-file targets are seen over files of every size; the
installed keras source tree with ``--jobs 1`` and ``--jobs 2`` beside libcst parsing the
same tree; the fixtures cold and warm; a synthetic repository of 500 files cold and unchanged; ``add()`` models of 1k, 5k and
20k layers beside the 20k model written functionally; each ``keras.applications`` builder
file summarised beside Keras importing and building the model (``--quick``: a few
builders, the 1k and 5k models only, not every file).

A measurement script, not a test: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Runs a command as its child; prints the child's peak resident size (KB) on stderr's last line.
MEASURED = ("import resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(done.returncode)\n")

PARSE_FILES = ("import sys, libcst\nfor path in sys.argv[1:]:\n"
               "    with open(path, encoding='utf-8') as handle:\n        libcst.parse_module(handle.read())\n")
PARSE_TREE = ("import os, sys, libcst\nfor root, _, names in os.walk(sys.argv[1]):\n    for name in names:\n"
              "        if name.endswith('.py'):\n            with open(os.path.join(root, name), encoding='utf-8') as h:\n"
              "                libcst.parse_module(h.read())\n")
# What a check costs before it analyzes anything: start, import what ``check`` imports, parse.
FLOOR = ("import sys, libcst\nimport archlint.cli, archlint.cache, archlint.config, archlint.pipeline, "
         "archlint.interpreter, archlint.rules, archlint.reporters.text\n" + PARSE_FILES.split("\n", 1)[1])
BUILD_APPLICATION = ("import sys, keras\ngetattr(keras.applications, sys.argv[1])(weights=None)"
                     ".summary(print_fn=lambda *a, **k: None)\n")


# The linters beside archlint, each given the file to read after these arguments.
_LINTERS = {"ruff": [PY, "-m", "ruff", "check", "--no-cache", "--select", "ALL"], "flake8": [PY, "-m", "flake8"],
            "fixit": [PY, "-m", "fixit", "lint"], "pylint": [PY, "-m", "pylint", "--disable=all", "--enable=E,W"]}


class Command:
    def __init__(self, key: str, argv: List[str], cwd: Optional[Path] = None, before=None, env=None, ok=(0, 1)):
        self.key, self.argv, self.cwd, self.before, self.env, self.ok = key, argv, cwd, before, env, ok
        self.times: List[float] = []
        self.peaks: List[float] = []
        self.failed = False  # exited with a status outside ``ok`` (1: a check that found something)

    def run(self) -> None:
        if self.before is not None:
            self.before()
        started = time.perf_counter()
        done = subprocess.run([PY, "-c", MEASURED, *self.argv], capture_output=True, text=True, cwd=self.cwd,
                              env=self.env)
        self.times.append(time.perf_counter() - started)
        self.peaks.append(int((done.stderr.strip().splitlines() or ["0"])[-1]) / 1024)
        self.failed = self.failed or done.returncode not in self.ok

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def keras_root() -> Optional[Path]:
    spec = importlib.util.find_spec("keras")
    return Path(spec.origin).parent if spec and spec.origin else None


def _write_add_model(path: Path, layers: int, functional: bool) -> None:
    head = "import keras\nfrom keras import layers\n"
    if functional:
        body = "x = inputs = keras.Input((8,))\n" + "x = layers.Dense(8)(x)\n" * layers + "model = keras.Model(inputs, x)\n"
    else:
        body = "model = keras.Sequential()\nmodel.add(keras.Input((8,)))\n" + "model.add(layers.Dense(8))\n" * layers
    path.write_text(head + body)


def _write_repository(directory: Path, files: int) -> None:
    """``files`` modules: one in five builds a small model, the others are plain Python."""
    sources = sorted((ROOT / "fixtures" / "models").glob("*.py"))
    for index in range(files):
        package = directory / f"pkg{index // 50}"
        package.mkdir(parents=True, exist_ok=True)
        target = package / f"module_{index}.py"
        if index % 5 == 0:
            shutil.copy(sources[index % len(sources)], target)
        else:
            target.write_text("".join(f"def f{i}(x):\n    return [y * {i} for y in x if y]\n\n" for i in range(30)))


def build_commands(work: Path, quick: bool) -> Dict[str, Command]:
    archlint = [PY, "-m", "archlint"]
    commands: Dict[str, Command] = {}

    def add(key, argv, **kw):
        commands[key] = Command(key, argv, **kw)

    keras = keras_root()
    applications = keras / "src" / "applications" if keras else None
    largest = max((p for p in applications.glob("*.py") if p.stem not in ("__init__", "imagenet_utils")),
                  key=lambda p: p.stat().st_size) if applications else ROOT / "fixtures" / "models" / "seed003_unet.py"
    one_file = work / "one" / largest.name  # a copy outside site-packages, which some linters skip unread
    one_file.parent.mkdir()
    shutil.copy(largest, one_file)
    cache = work / "cache"
    env = {**os.environ, "ARCHLINT_CACHE_DIR": str(cache)}
    add("python", [PY, "-c", "pass"])
    add("import libcst", [PY, "-c", "import libcst"])
    add("libcst parse (one file)", [PY, "-c", PARSE_FILES, str(one_file)])
    add("archlint imported + parse (one file)", [PY, "-c", FLOOR, str(one_file)])
    add("check (one file, cold)", [*archlint, "check", "--no-cache", "--exit-zero", str(one_file)])
    add("check (one file, warm)", [*archlint, "check", "--exit-zero", str(one_file)], env=env)
    add("summary (one file)", [*archlint, "summary", str(one_file)])
    for tool, argv in _LINTERS.items():
        if importlib.util.find_spec(tool) is not None:  # pylint's status is a bit field of what it found
            add(f"{tool} (one file)", [*argv, str(one_file)], ok=range(32) if tool == "pylint" else (0, 1))
    if applications is not None and not quick:
        _add_each_file(add, work, applications, archlint)
    if keras is not None and not quick:
        add("libcst parse (keras tree)", [PY, "-c", PARSE_TREE, str(keras / "src")])
        add("check keras tree --jobs 1", [*archlint, "check", "--no-cache", "--exit-zero", "--jobs", "1", str(keras / "src")])
        add("check keras tree --jobs 2", [*archlint, "check", "--no-cache", "--exit-zero", "--jobs", "2", str(keras / "src")])
    add("check fixtures (cold)", [*archlint, "check", "--no-cache", "--exit-zero", str(ROOT / "fixtures" / "models")])
    add("check fixtures (warm)", [*archlint, "check", "--exit-zero", str(ROOT / "fixtures" / "models")], env=env)
    repository = work / "repository"
    _write_repository(repository, 500)
    add("500 files (cold)", [*archlint, "check", "--no-cache", "--exit-zero", str(repository)])
    add("500 files (unchanged)", [*archlint, "check", "--exit-zero", str(repository)], env=env)
    for layers in ((1000, 5000) if quick else (1000, 5000, 20000)):
        path = work / f"add_{layers}.py"
        _write_add_model(path, layers, functional=False)
        add(f"add() model, {layers} layers", [*archlint, "summary", "--timeout", "0", "--memory", "0", str(path)])
    if not quick:
        path = work / "functional_20000.py"
        _write_add_model(path, 20000, functional=True)
        add("functional model, 20000 layers", [*archlint, "summary", "--timeout", "0", "--memory", "0", str(path)])
    if applications is not None:
        builders = _application_builders(applications)
        for name, file in (builders[::12] if quick else builders):
            add(f"summary {name}", [*archlint, "summary", "--entry", f"{name}(weights=None)", str(file)])
            add(f"keras builds {name}", [PY, "-c", BUILD_APPLICATION, name], env={**os.environ, "KERAS_BACKEND": "numpy"})
    return commands


# The smallest file that builds a model: what every tool pays before the file's size matters.
SMALLEST = "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((8,)), layers.Dense(4)])\n"


def _add_each_file(add, work: Path, applications: Path, archlint: List[str]) -> None:
    """Each ``keras.applications`` source file (copied out of site-packages), and the
    smallest model file, checked cold beside its parse and the linters: the one-file
    targets over files of every size."""
    (work / "each").mkdir()
    (work / "each" / "smallest.py").write_text(SMALLEST)
    for source in [work / "each" / "smallest.py", *sorted(applications.glob("*.py"))]:
        if source.stem in ("__init__", "imagenet_utils") or source.stem.endswith("_test"):
            continue
        copy = work / "each" / source.name
        if copy != source:
            shutil.copy(source, copy)
        add(f"each: libcst parse {source.stem}", [PY, "-c", PARSE_FILES, str(copy)])
        add(f"each: check {source.stem}", [*archlint, "check", "--no-cache", "--exit-zero", str(copy)])
        for tool in ("pylint", "fixit"):
            if importlib.util.find_spec(tool) is not None:
                add(f"each: {tool} {source.stem}", [*_LINTERS[tool], str(copy)], ok=range(32) if tool == "pylint" else (0, 1))


def _application_builders(applications: Path):
    """(builder, its file) of what ``keras.applications`` exports, read from its public
    ``__init__`` (``from keras.src.applications.vgg16 import VGG16 as VGG16``)."""
    import re

    public = applications.parent.parent / "applications" / "__init__.py"
    lines = re.findall(r"^from keras\.src\.applications\.(\w+) import \(?\s*(\w+)", public.read_text(), re.M)
    return sorted({(name, applications / f"{module}.py") for module, name in lines if name[:1].isupper()})


def _compile_archlint() -> None:
    """Write archlint's bytecode, as installing it does: a run with PYTHONDONTWRITEBYTECODE
    set (or a read-only checkout) would otherwise compile every module on every start."""
    import compileall

    package = Path(importlib.util.find_spec("archlint").origin).parent
    compileall.compile_dir(str(package), quiet=1)


def ratio(commands, numerator: str, denominator: str) -> Optional[float]:
    a, b = commands.get(numerator), commands.get(denominator)
    return a.median / b.median if a and b and b.median else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the keras tree, the other files and the 20k-layer models; 3 builders")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    _compile_archlint()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        commands = build_commands(work, args.quick)
        order = list(commands.values())
        rng = random.Random(args.seed)
        for command in order:  # warm-up: the bytecode and the caches the warm rows rely on
            command.run()
        for command in order:
            command.times.clear()
            command.peaks.clear()
        for _ in range(args.repeat):
            rng.shuffle(order)
            for command in order:
                command.run()
        _report(commands, args.json)
    return 0


# The one-file targets over every applications file: numerator, denominator, bound.
_EACH_FILE = {"check / parse": ("each: check {}", "each: libcst parse {}", 1.25),
              "pylint / check": ("each: pylint {}", "each: check {}", 10),
              "fixit / check": ("each: fixit {}", "each: check {}", 3)}


def _each_file_targets(commands: Dict[str, Command], labels) -> list:
    """The rows of ``labels`` (keys of ``_EACH_FILE``): (name, worst, wanted), with the
    median and how many files meet the target in the name."""
    stems = [k[len("each: check "):] for k in commands if k.startswith("each: check ")]
    rows = []
    for label in labels:
        numerator, denominator, wanted = _EACH_FILE[label]
        values = [ratio(commands, numerator.format(s), denominator.format(s)) for s in stems]
        values = [v for v in values if v is not None]
        if not values:
            continue
        above = label.startswith("check")
        meeting = sum(v <= wanted if above else v >= wanted for v in values)
        worst = max(values) if above else min(values)
        rows.append((f"  {label} over {len(values)} files: median {statistics.median(values):.2f}, {meeting} meet; worst",
                     worst, f"{'<=' if above else '>='} {wanted}"))
    return rows


def _report(commands: Dict[str, Command], json_path: Optional[str]) -> None:
    width = max(len(k) for k in commands)
    print(f"{'command':<{width}}  {'median s':>9}  {'peak MB':>8}")
    for key, command in commands.items():
        print(f"{key:<{width}}  {command.median:9.3f}  {max(command.peaks):8.0f}" + ("  FAILED" if command.failed else ""))
    floor = commands["libcst parse (one file)"].median  # one process: start, import libcst, parse
    targets = [("cold one-file check / (import libcst + parse)", commands["check (one file, cold)"].median / floor, "<= 1.25"),
               ("  of which archlint imported + parse (no analysis)", ratio(commands, "archlint imported + parse (one file)",
                                                                          "libcst parse (one file)"), "(for scale)")]
    targets += _each_file_targets(commands, ["check / parse"])
    unchanged = commands["500 files (unchanged)"].median
    targets.append(("500 files unchanged, s (target 0.1 + 0.0005 * 500 = 0.35)", unchanged, "<= 0.35"))
    if "check keras tree --jobs 2" in commands:
        targets.append(("keras tree: --jobs 1 / --jobs 2", ratio(commands, "check keras tree --jobs 1", "check keras tree --jobs 2"), ">= 1.7"))
        targets.append(("keras tree: --jobs 2 / libcst parse", ratio(commands, "check keras tree --jobs 2", "libcst parse (keras tree)"), "<= 1.5"))
    if "functional model, 20000 layers" in commands:
        targets.append(("20k add() / 20k functional", ratio(commands, "add() model, 20000 layers", "functional model, 20000 layers"), "<= 2"))
        targets.append(("20k add() peak MB", max(commands["add() model, 20000 layers"].peaks), "<= 1024"))
    for tool, wanted in (("pylint", ">= 10"), ("fixit", ">= 3"), ("ruff", "(for scale)"), ("flake8", "(for scale)")):
        if f"{tool} (one file)" in commands:
            targets.append((f"{tool} / archlint check (one file)", ratio(commands, f"{tool} (one file)", "check (one file, cold)"), wanted))
    targets += _each_file_targets(commands, ["pylint / check", "fixit / check"])
    for tool in ("pylint", "fixit"):  # a tool that parses with libcst takes at least its import
        bound = ratio(commands, f"each: {tool} smallest", "import libcst")
        if bound is not None:
            targets.append((f"  {tool} on the smallest file / import libcst (the most a tool parsing with libcst can reach)", bound, "(bound)"))
    speedups = [commands[k].median / commands[k.replace("keras builds", "summary")].median
                for k in commands if k.startswith("keras builds")]
    if speedups:
        targets.append((f"keras build / archlint summary, worst of {len(speedups)} applications", min(speedups), ">= 5"))
    width = max(len(name) for name, _, _ in targets)
    print("\n" + f"{'target':<{width}}  measured  wanted")
    for name, value, wanted in targets:
        print(f"{name:<{width}}  {value:8.2f}  {wanted}" if value is not None else f"{name:<{width}}  {'-':>8}  {wanted}")
    if json_path:
        Path(json_path).write_text(json.dumps({k: {"times": c.times, "peak_mb": max(c.peaks)} for k, c in commands.items()}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
