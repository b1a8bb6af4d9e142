"""AL9xx: the analyzer itself — unparsable files, spots it could not follow, budgets."""

from __future__ import annotations

from ..diagnostics import Severity
from .base import rule


@rule("AL901", "syntax-error", Severity.ERROR, "The file is not valid Python.")
def syntax_error(ctx):
    """What it does: reports a file Python itself cannot parse, at the spot CPython names.

    Why is this bad: the code cannot run. archlint analyzes the part before the error
    when it is valid Python (up to the last top-level statement that starts before it) and
    marks every model built there incomplete, since what follows is not read.

    Example:
        model.add(Dense(10, activation="relu")

    Use instead:
        model.add(Dense(10, activation="relu"))
    """
    bad = ctx.unparsable
    if bad is not None and bad.code == "AL901":
        yield ctx.report("AL901", bad.site, detail=bad.message)


@rule("AL902", "malformed-noqa", Severity.WARNING, "A `# noqa` comment archlint cannot read; it silences nothing.")
def malformed_noqa(ctx):
    """What it does: reports `# noqa` comments whose code list cannot be read: a code
    with a typo (`AL2O1`), an `AL` code no rule has, or `# noqa AL201` without the colon.
    Codes of other tools (`E501`) are fine and left alone.

    Why is this bad: a suppression that silently matched nothing (or everything) hides
    what the author meant; archlint treats it as silencing nothing and says so.

    Example:
        x = layers.Conv2D(64, 3)(x)  # noqa AL201

    Use instead:
        x = layers.Conv2D(64, 3)(x)  # noqa: AL201
    """
    return iter(())  # found while applying the comments (archlint/noqa.py), not from the graph


@rule(
    "AL903", "analysis-incomplete", Severity.INFO,
    "Part of a model could not be resolved statically; its summary is partial.",
    enabled_by_default=False,
)
def analysis_incomplete(ctx):
    """What it does: lists each spot archlint could not follow statically (a value read
    from a file or the environment, a layer class it does not know, a condition it cannot
    decide), so a partial summary says where it is partial. Off unless selected
    (`--select AL903`, or `summary --show-incomplete`).

    Why is this bad: it is not a bug in the code; it says which numbers of the summary are
    missing or rest on an assumption.

    Example:
        units = int(os.environ["UNITS"])
        layers.Dense(units)

    Use instead:
        def build(units=64): ...   # archlint summary model.py --entry "build(units=128)"
    """
    for site, text in ctx.notes:
        yield ctx.report("AL903", site, detail=text)
    for node in ctx.nodes():
        if node.unresolved_here:
            yield ctx.report("AL903", node.site, detail=f"{node.layer.name}: {node.unresolved}")


@rule("AL904", "analysis-budget-exceeded", Severity.WARNING,
      "The analysis of the file ran past a budget: loop unrolling, call depth, steps, time or memory.")
def budget_exceeded(ctx):
    """What it does: reports where the analysis of a file stopped because it ran past one of
    archlint's budgets: a loop unrolled more than 10,000 times, calls nested past the depth
    budget, a million interpreter steps (builtins count the items they touch), a list grown
    past 100,000 items, or the time and memory allowed per file (`--timeout`, `--memory`,
    `timeout` and `memory` in `[tool.archlint]`). A file whose parse alone would need more
    memory than allowed is not parsed at all. The analysis stops there instead of hanging or
    eating the machine, and the other files are still checked.

    Why is this bad: such code usually loops forever (`while True:` with no reachable
    break) or recurses without a base case; when it is intended, the models after it are
    not analyzed and are marked incomplete.

    Example:
        while True:
            x = layers.Dense(8)(x)

    Use instead:
        for _ in range(depth):
            x = layers.Dense(8)(x)
    """
    for site, text in ctx.budget_hits:
        yield ctx.report("AL904", site, detail=f"{text}; later code was not analyzed")
    bad = ctx.unparsable
    if bad is not None and bad.code == "AL904":
        yield ctx.report("AL904", bad.site, detail=f"{bad.message}; the file was not analyzed")


@rule("AL905", "unparsable-source", Severity.WARNING,
      "Valid Python that archlint cannot parse: pathological nesting, or syntax libcst does not support.")
def too_complex(ctx):
    """What it does: reports valid Python that archlint's parser cannot take: expressions
    nested hundreds of levels deep, or syntax newer than libcst supports.

    Why is this bad: the file's models are not analyzed.

    Example:
        x = ((((((((((((...))))))))))))   # generated code nesting 1,000 levels

    Use instead:
        # build deep structures with a loop instead of nested literals
    """
    bad = ctx.unparsable
    if bad is not None and bad.code == "AL905":
        yield ctx.report("AL905", bad.site, detail=bad.message)


@rule("AL906", "internal-error", Severity.WARNING, "archlint failed on part of this file; its findings there are missing.")
def internal_error(ctx):
    """What it does: reports that archlint itself raised an exception on this file: one of
    its rules (the other rules still ran), or the analysis as a whole (then the file has
    no other findings). The run goes on with the next file.

    Why is this bad: it is a bug in archlint, not in your code; the findings it would have
    made are missing.

    Example:
        path/model.py:1:0: AL906 rule AL302 failed on this file (TypeError: ...)

    Use instead:
        # report it with the file (or a reduced copy) that triggers it
    """
    return iter(())  # findings come from run_rules and the pipeline, which catch the failure


@rule("AL907", "assumed-imports", Severity.INFO,
      "A file that never imports Keras uses its names; archlint read them as Keras's.")
def assumed_imports(ctx):
    """What it does: notes, at the first use, the names a file uses without defining or
    importing them that archlint read as Keras's (a snippet or notebook cell pasted without
    its imports): `Sequential`, `Dense`, `layers`, and `model` in `model.add(...)`, read as a
    new Sequential model. Only in files that import neither Keras nor TensorFlow.

    Why is this bad: the code raises NameError as it stands; the summary shows what it
    builds once the imports are added.

    Example:
        model = Sequential()
        model.add(Dense(10, input_shape=(4,)))

    Use instead:
        from keras.layers import Dense
        from keras.models import Sequential

        model = Sequential()
        model.add(Dense(10, input_shape=(4,)))
    """
    if ctx.assumed_names:
        site = ctx.assumed_names[0][0]
        names = ", ".join(f"`{name}` as {what}" for _, name, what in ctx.assumed_names)
        yield ctx.report("AL907", site, detail=f"never imported or defined, read as Keras's: {names}")
