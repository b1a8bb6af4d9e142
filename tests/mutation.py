"""Mutation testing against real Keras: small damages to the model fixtures, each built by
real Keras and analysed by archlint.

A mutant changes one argument of one layer (or ``Input``) call of a fixture in
``fixtures/models``: a size made 0 or negative, a number made a tuple, a string or a
fraction, a padding, activation or data format made a name Keras does not know, a dropout
rate above 1, a keyword misspelt or dropped, an ``Input`` left without its shape. Real Keras
then runs the mutant: it builds it, or raises at a line of the mutant. archlint must never
fail on a mutant, never report an AL1xx error on one Keras builds, and report an AL1xx at the
line Keras raises at for one Keras rejects.

``python tests/mutation.py [--all] [--seed N] [--count N]`` prints the tally and the misses;
``tests/test_mutants.py`` runs a fixed sample of them in CI (all with ``--slow``).
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import os
import random
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional

import libcst as cst

os.environ.setdefault("KERAS_BACKEND", "numpy")
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "models"

_NAMES = {"padding": '"bogus"', "activation": '"bogus"', "data_format": '"channels_middle"'}


@dataclass
class Mutant:
    fixture: str
    line: int  # where the mutated call starts
    change: str
    source: str


@dataclass
class Outcome:
    mutant: Mutant
    keras_line: Optional[int]  # where Keras raised, None when it built the mutant
    keras_error: str
    found: List[tuple]  # (code, line, end_line) of archlint's AL1xx findings
    failed: bool  # archlint raised or reported an internal error

    @property
    def rejected(self) -> bool:
        return self.keras_line is not None

    @property
    def caught(self) -> bool:
        return self.rejected and any(line <= self.keras_line <= max(end, line) for _, line, end in self.found)

    @property
    def false_error(self) -> bool:
        return not self.rejected and bool(self.found)


class _Calls(cst.CSTVisitor):
    """Each call of a Keras layer class or ``Input``, with its position."""

    METADATA_DEPENDENCIES = (cst.metadata.PositionProvider,)

    def __init__(self):
        super().__init__()
        self.found = []

    def visit_Call(self, node: cst.Call) -> None:
        from archlint.layers import lookup

        name = node.func.attr.value if isinstance(node.func, cst.Attribute) else (
            node.func.value if isinstance(node.func, cst.Name) else None)
        if name == "Input" or (name and name[:1].isupper() and lookup(name) is not None):
            self.found.append((node, self.get_metadata(cst.metadata.PositionProvider, node).start.line, name))


def _variants(call: cst.Call, name: str) -> Iterator[tuple]:
    """(description, the call changed) for each damage to one argument of ``call``."""
    if name == "Input":
        if call.args:
            yield "Input without its shape", call.with_changes(args=[])
        return
    for index, arg in enumerate(call.args):
        label = arg.keyword.value if arg.keyword is not None else f"argument {index + 1}"

        def replaced(code: str, arg=arg, index=index):
            args = list(call.args)
            args[index] = arg.with_changes(value=cst.parse_expression(code))
            return call.with_changes(args=args)

        value = arg.value
        if isinstance(value, cst.Integer):
            number = value.evaluated_value
            yield f"{label}={number} -> 0", replaced("0")
            yield f"{label}={number} -> -{number}", replaced(f"-{number}")
            yield f"{label}={number} -> ({number}, {number})", replaced(f"({number}, {number})")
            yield f"{label}={number} -> {number}.5", replaced(f"{number}.5")
            yield f"{label}={number} -> '{number}'", replaced(f"'{number}'")
        elif isinstance(value, cst.Tuple) and all(isinstance(e.value, cst.Integer) for e in value.elements):
            yield f"{label}: a zero in the tuple", replaced("(" + ", ".join(["0"] + [e.value.value for e in value.elements[1:]]) + (",)" if len(value.elements) == 1 else ")"))
        elif isinstance(value, cst.Float) and arg.keyword is not None and arg.keyword.value in ("rate", "dropout"):
            yield f"{label} -> 1.5", replaced("1.5")
        if arg.keyword is not None and arg.keyword.value in _NAMES and isinstance(value, cst.SimpleString):
            yield f"{label} -> {_NAMES[arg.keyword.value]}", replaced(_NAMES[arg.keyword.value])
        if arg.keyword is not None:
            misspelt = arg.keyword.value[:-1] if len(arg.keyword.value) > 3 else arg.keyword.value + "x"
            yield f"{label} misspelt {misspelt}", call.with_changes(args=[
                a.with_changes(keyword=cst.Name(misspelt)) if i == index else a for i, a in enumerate(call.args)])
    if call.args and call.args[0].keyword is None:
        yield "first argument dropped", call.with_changes(args=list(call.args[1:]))


def mutants_of(path: Path) -> List[Mutant]:
    source = path.read_text()
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:  # a fixture only CPython reads (tabs after spaces): not mutated
        return []
    wrapper = cst.metadata.MetadataWrapper(module)
    calls = _Calls()
    wrapper.visit(calls)
    out = []
    for node, line, name in calls.found:
        for change, new in _variants(node, name):
            target = node

            class Swap(cst.CSTTransformer):
                def leave_Call(self, original, updated, target=target, new=new):
                    return new if original is target else updated

            mutated = wrapper.module.visit(Swap()).code
            if mutated != source:
                out.append(Mutant(path.name, line, change, mutated))
    return out


def all_mutants() -> List[Mutant]:
    return [m for path in sorted(FIXTURES.glob("*.py")) for m in mutants_of(path)]


def keras_verdict(path: Path) -> tuple:
    """(line of ``path`` where real Keras raised, the error) or (None, "") when it built it."""
    import keras

    from keras_oracle import _run_fixture

    keras.backend.clear_session()
    keras.config.set_image_data_format("channels_last")  # a fixture may have changed the session's defaults
    keras.config.set_floatx("float32")
    keras.config.set_dtype_policy("float32")
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            namespace = _run_fixture(path, keras)
            if not any(isinstance(v, keras.Model) for v in namespace.values()):
                for value in list(namespace.values()):
                    if inspect.isfunction(value) and value.__code__.co_filename == str(path) and not any(
                            p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                            for p in inspect.signature(value).parameters.values()):
                        value()
    except Exception as error:  # noqa: BLE001 - any refusal by Keras counts
        lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
        return (lines[-1] if lines else 0), f"{type(error).__name__}: {str(error)[:100]}"
    return None, ""


def run(mutant: Mutant, directory: Path) -> Outcome:
    from archlint.pipeline import analyze_file

    path = directory / mutant.fixture
    path.write_text(mutant.source)
    keras_line, error = keras_verdict(path)
    try:
        findings = analyze_file(str(path)).findings
        failed = any(f.code == "AL906" or "internal error" in f.message for f in findings)
    except Exception:  # noqa: BLE001 - counted, never hidden
        findings, failed = [], True
    found = [(f.code, f.line, f.end_line or f.line) for f in findings if f.code.startswith("AL1")]
    return Outcome(mutant, keras_line, error, found, failed)


def sample(mutants: List[Mutant], count: Optional[int], seed: int) -> List[Mutant]:
    if count is None or count >= len(mutants):
        return mutants
    return random.Random(seed).sample(mutants, count)


def tally(outcomes: List[Outcome]) -> dict:
    rejected = [o for o in outcomes if o.rejected]
    return {"tried": len(outcomes), "rejected": len(rejected), "caught": sum(o.caught for o in rejected),
            "built": len(outcomes) - len(rejected), "false_errors": sum(o.false_error for o in outcomes),
            "failures": sum(o.failed for o in outcomes)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every mutant (else a sample)")
    parser.add_argument("--count", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import tempfile

    chosen = sample(all_mutants(), None if args.all else args.count, args.seed)
    with tempfile.TemporaryDirectory() as directory:
        outcomes = [run(m, Path(directory)) for m in chosen]
    for outcome in outcomes:
        if (outcome.rejected and not outcome.caught) or outcome.false_error or outcome.failed:
            kind = "false error" if outcome.false_error else "failure" if outcome.failed else "missed"
            print(f"{kind}: {outcome.mutant.fixture}:{outcome.mutant.line} {outcome.mutant.change} | "
                  f"Keras: {outcome.keras_line} {outcome.keras_error} | archlint: {outcome.found}")
    counts = tally(outcomes)
    rate = counts["caught"] / counts["rejected"] if counts["rejected"] else 1.0
    print(f"mutants tried {counts['tried']}; rejected by Keras {counts['rejected']}; caught at the right line "
          f"{counts['caught']} ({rate:.1%}); built by Keras {counts['built']}; false errors {counts['false_errors']}; "
          f"archlint failures {counts['failures']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
