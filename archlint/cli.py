"""Command line: ``archlint summary`` and ``archlint check``; arguments and exit codes.

Exit codes: 0 nothing at or above the fail level (``summary``: summaries printed),
1 findings (``summary``: no model found, or the file does not parse),
2 usage error or unreadable input, with a one-line message naming the file.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# Directories a walk never enters (as ruff and flake8 skip them by default); hidden ones neither.
SKIPPED_DIRS = {"__pycache__", "node_modules", "venv", "build", "dist", "site-packages", "__pypackages__"}


STDIN_HELP = ("read the source from standard input and report, configure and resolve imports as if it were "
              "the file NAME (for editors)")
CACHE_HELP = "where check keeps its results (default: $ARCHLINT_CACHE_DIR, else .archlint_cache here)"
KERAS_VERSION_HELP = ("the Keras the code targets (default: keras-version from the config, else what the "
                      "project's dependencies declare, else 3)")


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="archlint", description="Static summaries and lint for Keras model code.")
    parser.add_argument("--version", action="version", version=f"archlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    summary = sub.add_parser("summary", help="print each model's summary, as model.summary() would")
    summary.add_argument("file", nargs="?", help="the file (or - with --stdin-filename)")
    summary.add_argument("--entry", action="append", default=None,
                         help="what to run after the module: a function or model name (dotted for a method, "
                              "\"Builder.build\"), or a call such as \"unet(n_classes=3)\"; repeatable")
    summary.add_argument("--format", choices=("text", "json"), default="text")
    summary.add_argument("--formulas", action="store_true", help="explain each parameter count and neuron count")
    summary.add_argument("--costs", action="store_true",
                         help="what a forward pass costs: multiply-adds, FLOPs and memory, per layer and in total")
    summary.add_argument("--batch-size", type=_positive_int, default=1, metavar="N",
                         help="the batch size the memory estimate of --costs is for (default: 1)")
    summary.add_argument("--show-incomplete", action="store_true", help="list the spots the analysis could not resolve (AL903)")
    summary.add_argument("--assume", action="append", default=[], metavar="NAME=VALUE",
                         help="a value only the data knows: \"num_classes=10\", \"x_train.shape=(None, 288, 1)\" (repeatable)")
    summary.add_argument("--source-root", action="append", default=[], metavar="DIR",
                         help="resolve project imports against DIR first (repeatable; default: the file's package root)")
    summary.add_argument("--keras-version", choices=("2", "3"), help=KERAS_VERSION_HELP)
    summary.add_argument("--stdin-filename", metavar="NAME", help=STDIN_HELP)
    _budget_flags(summary)
    summary.add_argument("--width", type=int, metavar="COLUMNS",
                         help="width of the summary table (default: the terminal's, else $COLUMNS, else 80)")

    check = sub.add_parser("check", help="lint files or directories")
    check.add_argument("paths", nargs="*", default=[], help="files and directories (default: .)")
    check.add_argument("--format", choices=("text", "json", "sarif", "github", "concise"), default="text",
                       help="text (default), json, sarif (SARIF 2.1.0), github (workflow annotations), "
                            "concise (path:line:col: CODE message)")
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--statistics", action="store_true", help="print how many findings each rule made instead of them")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (usage errors still exit 2)")
    check.add_argument("--quiet", action="store_true", help="print the findings and nothing else")
    check.add_argument("--select", help="comma-separated rule codes or prefixes to run, replacing the configured ones")
    check.add_argument("--extend-select", help="comma-separated codes or prefixes to run as well")
    check.add_argument("--ignore", help="comma-separated codes or prefixes not to run")
    check.add_argument("--config", metavar="PYPROJECT", help="read [tool.archlint] from this file "
                       "(default: the nearest pyproject.toml above the current directory that has one)")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes in place (atomic writes)")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply the unsafe fixes too")
    check.add_argument("--force", action="store_true", help="with --fix, rewrite read-only files too")
    check.add_argument("--fail-on", choices=("info", "warning", "error"),
                       help="lowest severity that makes the exit code 1 (default: fail-on from the config, else warning)")
    check.add_argument("--assume", action="append", default=[], metavar="NAME=VALUE",
                       help="a value only the data knows, for every file checked (repeatable)")
    check.add_argument("--source-root", action="append", default=[], metavar="DIR",
                       help="resolve project imports against DIR first (repeatable; default: each file's package root)")
    check.add_argument("--keras-version", choices=("2", "3"), help=KERAS_VERSION_HELP)
    check.add_argument("--stdin-filename", metavar="NAME", help=STDIN_HELP + "; with --fix, the fixed "
                       "source is written to standard output")
    _budget_flags(check)
    check.add_argument("--no-cache", action="store_true", help="analyse every file, neither reading nor writing the cache")
    check.add_argument("--cache-dir", metavar="DIR", help=CACHE_HELP)
    check.add_argument("--jobs", "-j", type=_non_negative(int), metavar="N",
                       help="files analysed at once, on N processes (default: the number of cores; 1: one at a time)")

    graph = sub.add_parser("graph", help="draw each model's layer graph: Mermaid, Graphviz DOT or SVG")
    graph.add_argument("file")
    graph.add_argument("--entry", action="append", default=None, help="as for summary (repeatable)")
    graph.add_argument("--format", choices=("mermaid", "dot", "svg"), default="mermaid")
    graph.add_argument("--model", metavar="NAME", help="only the model of this name (svg draws one model: the first by default)")
    graph.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    graph.add_argument("--max-boxes", type=int, default=60, metavar="N",
                       help="boxes per model before the rest is one box (default 60); repeated blocks are folded first")

    report = sub.add_parser("report", help="a review report: each model's summary, graph and findings, and with "
                                           "--base what changed since a git revision")
    report.add_argument("paths", nargs="*", help="files to report on (default: the Python files changed since --base)")
    report.add_argument("--base", metavar="REV", help="compare with the files as they are at this git revision "
                                                      "(read from git; nothing is checked out)")
    report.add_argument("--format", choices=("markdown", "html", "json"), default="markdown")
    report.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")

    rules = sub.add_parser("rules", help="list every rule: code, name, default severity, summary")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--docs", metavar="DIR", help="write each rule's documentation as a Markdown page into DIR")

    clean = sub.add_parser("clean", help="remove the cache of check results")
    clean.add_argument("--cache-dir", metavar="DIR", help=CACHE_HELP)

    sub.add_parser("server", help="run the language server over stdio (for editors; needs the lsp extra: pygls)")

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", help="a rule code (AL201) or name (bias-before-batchnorm)")
    return parser


def _budget_flags(command) -> None:
    from .limits import DEFAULT_MEMORY_MB, DEFAULT_SECONDS

    command.add_argument("--timeout", type=_non_negative(float), metavar="SECONDS",
                         help=f"time each file's analysis may take before it stops with AL904 "
                              f"(default: timeout from the config, else {DEFAULT_SECONDS:g}; 0: no limit)")
    command.add_argument("--memory", type=_non_negative(int), metavar="MB",
                         help=f"memory each file's analysis may take before it stops with AL904 "
                              f"(default: memory from the config, else {DEFAULT_MEMORY_MB}; 0: no limit)")


def _non_negative(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
        if value < 0 or value != value:
            raise argparse.ArgumentTypeError(f"expected 0 or more, not {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _positive_int(text: str) -> int:
    value = _non_negative(int)(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected 1 or more, not 0")
    return value


def _python_files(paths: List[str]) -> List[str]:
    files: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith((".py", ".ipynb")))
        else:
            files.append(path)
    return files


def _summary(args) -> int:
    from . import keras_target
    from .config import ConfigError, resolve
    from .pipeline import analyze_file
    from .rules import all_rules

    rules = all_rules()
    stdin_text = _read_stdin(args, args.file in (None, "-"))
    if args.stdin_filename:
        if stdin_text is None:
            return EXIT_USAGE
        args.file = args.stdin_filename
    elif args.file is None:
        print("archlint: summary needs a file (or --stdin-filename NAME with the source on standard input)",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        config = resolve(None, None, "AL903" if args.show_incomplete else None, None, [r.code for r in rules],
                         start=os.path.dirname(os.path.abspath(args.file)))
    except ConfigError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return EXIT_USAGE
    codes = config.codes_for(args.file, rules)
    assumed = _assumptions(config, args.file, args.assume)
    if assumed is None:
        return EXIT_USAGE
    target = keras_target.resolve(args.keras_version, config.keras_version, args.file)
    result = analyze_file(args.file, args.entry, codes, list(args.source_root) + config.source_roots, assumed,
                          target.version, text=stdin_text, budget=config.budget(args.timeout, args.memory),
                          costs=args.costs)
    if args.format == "json":
        from .reporters.json_report import document, model_dict

        errors = [{"file": args.file, "message": result.error}] if result.error else []
        models = [model_dict(s, args.file, costs=args.costs, batch_size=args.batch_size) for s in result.summaries]
        print(document(models, result.findings, errors, target))
    else:
        from .reporters.text import make_console, render_costs, render_summary, write_findings

        console = make_console(sys.stdout, width=args.width)
        for index, summary in enumerate(result.summaries):
            if index:
                console.print()
            render_summary(summary, console, formulas=args.formulas)
            if args.costs:
                render_costs(summary, console, args.batch_size)
        if result.findings:
            sys.stdout.flush()
            write_findings(result.findings, sys.stdout)
        if result.error:
            print(f"archlint: {result.error}", file=sys.stderr)
        elif not result.summaries and result.parsed:
            print(f"archlint: {args.file}: no Keras model found", file=sys.stderr)
    if result.error:
        return EXIT_USAGE
    return EXIT_OK if result.summaries else EXIT_FINDINGS


def _assumptions(config, path: str, given):
    """The configured assumptions for ``path``, then the command line's; ``None`` (after a
    one-line message) when one does not parse."""
    from .assumptions import AssumptionError, parse_all

    try:
        return {**config.assumptions_for(path), **parse_all(given)}
    except AssumptionError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return None


def _check(args) -> int:
    from dataclasses import replace

    from . import keras_target
    from .config import ConfigError, PerFile, resolve
    from .diagnostics import Severity
    from .cache import Cache, default_directory
    from .rules import all_rules

    rules = all_rules()
    known = [r.code for r in rules]
    try:  # the command line's lists and --config are checked once, whatever the files
        resolve(args.config, args.select, args.extend_select, args.ignore, known)
    except ConfigError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return EXIT_USAGE
    configs = PerFile(args.config, args.select, args.extend_select, args.ignore, known)
    stdin_text = _read_stdin(args, args.paths == ["-"] or args.paths == [])
    if stdin_text is None and args.stdin_filename:
        return EXIT_USAGE
    if stdin_text is not None:
        paths = [args.stdin_filename]
    else:
        if args.paths == []:
            args.paths = ["."]
        paths = _python_files(args.paths)
        if not paths:
            print(f"archlint: warning: no Python files or notebooks in {', '.join(args.paths)}", file=sys.stderr)
            return EXIT_OK
    findings, errors = [], []
    seen = set()
    changed_files = 0
    failing = False
    plans = []  # (path, its configuration, the severity that fails the run, how to analyse it)
    for path in paths:
        try:
            config = configs(path)
        except ConfigError as error:
            print(f"archlint: {error}", file=sys.stderr)
            return EXIT_USAGE
        # Info-level advice never fails a run (a commit, a CI job) unless configured to.
        fail_level = Severity.parse(args.fail_on) if args.fail_on else (config.fail_on or Severity.WARNING)
        assumed = _assumptions(config, path, args.assume)
        if assumed is None:
            return EXIT_USAGE
        request = dict(path=path, rule_codes=config.codes_for(path, rules),
                       source_roots=list(args.source_root) + config.source_roots, assumptions=assumed,
                       keras_version=keras_target.resolve(args.keras_version, config.keras_version, path).version,
                       text=stdin_text, budget=config.budget(args.timeout, args.memory), summaries=False)
        plans.append((path, config, fail_level, request))
    use_cache = not (args.no_cache or stdin_text is not None or args.fix or args.diff)
    results = _checked(plans, Cache(args.cache_dir or default_directory()) if use_cache else None,
                       1 if args.fix or args.diff else args.jobs)
    for (path, config, fail_level, request), result in zip(plans, results):
        if stdin_text is not None and args.fix:  # an editor's buffer: the fixed source goes back on stdout
            return _fix_stdin(path, stdin_text, result, args, fail_level, config)
        if (args.fix or args.diff) and not result.error:
            changed = _apply_fixes(path, result.findings, args)
            changed_files += changed
            if changed and args.fix:  # report what the fixes left
                from .pipeline import analyze_file

                result = analyze_file(**{**request, "text": None})
        reported = [replace(f, severity=config.severity.get(f.code, f.severity)) for f in result.findings]
        # A module imported by several checked files is reported once.
        fresh = [f for f in reported if f not in seen]
        seen.update(fresh)
        findings.extend(fresh)
        failing = failing or any(f.severity >= fail_level for f in fresh)
        if result.error:
            errors.append(result.error)
    try:
        with _output(args.output) as stream:
            _write_check_report(args, findings, errors, rules, stream)
    except OSError as error:
        print(f"archlint: {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    if args.format in ("text", "concise", "github") or args.output:
        for error in errors:
            print(f"archlint: {error}", file=sys.stderr)
    if args.fix and not args.diff and changed_files and not args.quiet:
        print(f"archlint: fixed {changed_files} file{'s' if changed_files != 1 else ''}", file=sys.stderr)
    if errors:
        return EXIT_USAGE
    if args.exit_zero:
        return EXIT_OK
    if args.diff and changed_files:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if failing else EXIT_OK


def _checked(plans, cache, jobs) -> list:
    """Each planned file's result, in order: from the cache when the file and the modules it
    imports are unchanged, else analysed (on ``jobs`` processes) and kept."""
    from .files import SOURCE_BYTES, read_bytes
    from .parallel import analyze_all
    from .results import FileResult

    results, misses = [None] * len(plans), []
    for index, (path, _, _, request) in enumerate(plans):
        content = read_bytes(path, SOURCE_BYTES) if cache is not None else None
        settings = _cache_settings(request)
        found = cache.get(path, content, settings) if isinstance(content, bytes) else None
        if found is not None:
            results[index] = FileResult(path, findings=found)
        else:
            misses.append((index, content, settings))
    if misses:
        from .source import decode

        requests = []
        for index, content, _ in misses:  # the bytes the cache will be keyed by are the bytes analysed
            text = decode(plans[index][0], content) if isinstance(content, bytes) else None
            requests.append({**plans[index][3], "text": text if isinstance(text, str) else plans[index][3]["text"]})
        for (index, content, settings), result in zip(misses, analyze_all(requests, jobs)):
            results[index] = result
            if cache is not None and isinstance(content, bytes) and result.error is None:
                cache.put(result.path, content, settings, result.findings, result.imported)
    return results


def _cache_settings(request) -> dict:
    """What a file's findings depend on besides its bytes and its imports."""
    budget = request["budget"]
    return {"codes": sorted(request["rule_codes"]), "roots": [os.path.abspath(r) for r in request["source_roots"]],
            "assumptions": {name: repr(value) for name, value in sorted(request["assumptions"].items())},
            "keras": request["keras_version"], "budget": [budget.seconds, budget.memory_mb]}


def _clean(args) -> int:
    from .cache import clean, default_directory

    directory = args.cache_dir or default_directory()
    if clean(directory):
        print(f"archlint: removed {directory}", file=sys.stderr)
    else:
        print(f"archlint: no cache at {directory}", file=sys.stderr)
    return EXIT_OK


def _read_stdin(args, no_paths: bool) -> Optional[str]:
    """The buffer on standard input when ``--stdin-filename`` is given (and no other path);
    None, after a one-line message, when that cannot be."""
    if not args.stdin_filename:
        return None
    if not no_paths:
        print("archlint: --stdin-filename reads standard input: give no other path (or -)", file=sys.stderr)
        return None
    data = sys.stdin.buffer.read()
    from .source import Unreadable, decode

    text = decode(args.stdin_filename, data)
    if isinstance(text, Unreadable):
        print(f"archlint: {args.stdin_filename} (standard input): {text.reason}", file=sys.stderr)
        return None
    return text


def _fix_stdin(path: str, text: str, result, args, fail_level, config) -> int:
    """--fix on standard input: the fixed source on standard output (the buffer unchanged
    when nothing applies); the exit code says whether findings remain."""
    from .fixes import fixed_text
    from .source import Source, load

    source = load(path, (), text)
    fixes = [fix for f in result.findings if f.path == path for fix in f.fixes]
    out = fixed_text(source, fixes, unsafe=args.unsafe_fixes)[0] if isinstance(source, Source) and fixes else text
    sys.stdout.write(out)
    fixed = {(f.line, f.col, f.code) for f in result.findings if isinstance(source, Source) and f.fixes
             and (args.unsafe_fixes or any(fix.safe for fix in f.fixes))}
    left = [f for f in result.findings if (f.line, f.col, f.code) not in fixed]
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(config.severity.get(f.code, f.severity) >= fail_level for f in left) else EXIT_OK


def _output(path: Optional[str]):
    """Standard output, or ``path`` opened for writing (closed after)."""
    import contextlib

    if path is None:
        return contextlib.nullcontext(sys.stdout)
    return open(path, "w", encoding="utf-8")


def _write_check_report(args, findings, errors, rules, stream) -> None:
    if args.statistics:
        from .reporters.text import write_statistics

        write_statistics(findings, stream)
    elif args.format == "json":
        from .reporters.json_report import document

        stream.write(document([], findings, [{"message": e} for e in errors]) + "\n")
    elif args.format == "sarif":
        from .reporters.sarif import sarif_document

        stream.write(sarif_document(findings, rules, errors) + "\n")
    elif args.format == "github":
        from .reporters.github import write_github

        write_github(findings, stream)
    elif args.format == "concise":
        from .reporters.text import write_concise

        write_concise(findings, stream)
    else:
        from .reporters.text import write_findings

        write_findings(findings, stream)


def _apply_fixes(path: str, findings, args) -> bool:
    """Fix one file (or print its diff); whether it changed."""
    from .files import SOURCE_BYTES, NotRead, read_bytes
    from .fixes import FixRefused, fixed_text, write_atomically
    from .source import Source, decode, load

    fixes = [fix for f in findings if f.path == path for fix in f.fixes]
    if not fixes:
        return False
    read = read_bytes(path, SOURCE_BYTES)
    text = decode(path, read) if not isinstance(read, NotRead) else None
    source = load(path, (), text) if isinstance(text, str) else None
    if not isinstance(source, Source):
        return False
    text, applied = fixed_text(source, fixes, unsafe=args.unsafe_fixes)
    if not applied or text == source.text:
        return False
    if source.notebook is not None:  # only the changed cells' sources; the rest byte for byte
        before, text = source.notebook.raw, source.notebook.rewrite(text)
    else:
        before = source.text
    if args.diff:
        import difflib

        sys.stdout.writelines(difflib.unified_diff(
            before.splitlines(keepends=True), text.splitlines(keepends=True), f"a/{path}", f"b/{path}"))
    else:
        try:
            write_atomically(path, text, read, force=args.force)
        except FixRefused as refused:
            print(f"archlint: warning: {path} not fixed: {refused}", file=sys.stderr)
            return False
    return True


def _graph(args) -> int:
    from . import diagram
    from .pipeline import analyze_file

    result = analyze_file(args.file, args.entry)
    if result.error:
        print(f"archlint: {result.error}", file=sys.stderr)
        return EXIT_USAGE
    pairs = [(m, s) for m, s in zip(result.models, result.summaries) if args.model in (None, s.name)]
    if not pairs:
        print(f"archlint: {args.file}: no Keras model found" + (f" named {args.model!r}" if args.model else ""), file=sys.stderr)
        return EXIT_FINDINGS
    if args.format == "svg":
        pairs = pairs[:1]
    drawn = []
    for model, summary in pairs:
        picture = diagram.build(model, summary, max_boxes=max(args.max_boxes, 1))
        if args.format == "mermaid":
            drawn.append(f"%% {summary.name}\n" + diagram.mermaid(picture))
        else:
            drawn.append(getattr(diagram, args.format)(picture))
    try:
        with _output(args.output) as stream:
            stream.write("\n".join(drawn))
    except OSError as error:
        print(f"archlint: {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _report(args) -> int:
    from .report import ReportError, build_report

    try:
        text = build_report(args.paths, args.base, args.format)
    except ReportError as error:
        print(f"archlint: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with _output(args.output) as stream:
            stream.write(text)
    except OSError as error:
        print(f"archlint: {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _rules(args) -> int:
    from .rules import all_rules

    specs = all_rules()
    if args.docs:
        from .rule_docs import write_pages

        try:
            write_pages(args.docs, specs)
        except OSError as error:
            print(f"archlint: cannot write the rule pages into {args.docs}: {error.strerror or error}", file=sys.stderr)
            return EXIT_USAGE
        print(f"archlint: wrote {len(specs)} rule pages into {args.docs}", file=sys.stderr)
        return EXIT_OK
    if args.format == "json":
        import json

        print(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.label,
                           "enabled_by_default": r.enabled_by_default, "summary": r.summary} for r in specs], indent=2))
        return EXIT_OK
    width = max(len(r.name) for r in specs)
    for r in specs:
        flag = "" if r.enabled_by_default else "  (off by default)"
        print(f"{r.code}  {r.name:<{width}}  {r.severity.label:<7}  {r.summary}{flag}")
    return EXIT_OK


def _explain(args) -> int:
    from .rules import all_rules

    wanted = args.rule.strip()
    for r in all_rules():
        if wanted.upper() == r.code or wanted.lower() == r.name:
            state = "" if r.enabled_by_default else ", off by default"
            print(f"{r.code} {r.name} ({r.severity.label}{state})\n\n{r.summary}\n\n{r.doc}")
            return EXIT_OK
    print(f"archlint: no rule {wanted!r}; `archlint rules` lists them", file=sys.stderr)
    return EXIT_USAGE


def _server(args) -> int:
    from .server import main as serve

    return serve()


_COMMANDS = {"summary": _summary, "check": _check, "graph": _graph, "report": _report, "rules": _rules, "explain": _explain, "clean": _clean,
             "server": _server}


# Python looks for reference cycles every 700 new objects by default; parsing and analysing
# make millions, and each full look walks every tree kept. Looking every 20,000 takes a
# third off a large run, with no more memory at its peak (measured on the keras sources).
COLLECTOR_THRESHOLDS = (20_000, 10, 10)


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    import gc

    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        return _COMMANDS[args.command](args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last guard: one line, never a traceback
        print(f"archlint: internal error ({type(error).__name__}: {str(error)[:200]}); please report this", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    """The ``archlint`` command: ``main``, then an exit that skips the interpreter's teardown.

    Everything has been written and closed by then (reports, fixes, the cache); what is
    skipped is freeing the analysis object by object, a tenth of a short run."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, a stream already closed
        pass
    os._exit(code if isinstance(code, int) else EXIT_USAGE)


if __name__ == "__main__":  # pragma: no cover
    run()
