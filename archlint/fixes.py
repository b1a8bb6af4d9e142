"""Autofixes: edits of the one constructor call a finding points at, applied with libcst.

A ``Fix`` says what to change in the call at (line, col): keywords to rename, keywords to
set, Keras 1 positional kernel sizes to fold into a tuple. Only the text of each fixed call
is replaced, so every other byte stays; the file keeps its encoding, byte-order mark and
line endings, and is replaced atomically (see ``write_atomically`` for symlinks, read-only
files, files changed meanwhile and signals). A fix that would have to
guess (a ``**kwargs`` that may hold the keyword, a target keyword already present, an
unreadable value) is not applied. Applying a fix twice changes nothing the second time.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import signal
import stat
import tempfile
import tokenize
from typing import Dict, Iterable, List, Optional, Tuple

import libcst as cst

from .diagnostics import Fix
from .files import SOURCE_BYTES, NotRead, read_bytes


class _CallFixer(cst.CSTTransformer):
    def __init__(self, positions, fixes: Dict[Tuple[int, int], List[Fix]]):
        super().__init__()
        self.positions = positions
        self.fixes = fixes
        self.applied = 0
        self.changed: List[Tuple[cst.Call, cst.Call]] = []  # (call as written, call as fixed)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if isinstance(original.func, cst.Call):
            return updated  # `Layer(...)(x)` starts where its constructor does: fix the constructor only
        site = self.positions(original)
        fixed = updated
        for fix in self.fixes.get((site.line, site.col), []):
            changed = _apply(fixed, fix)
            if changed is not None:
                fixed = changed
                self.applied += 1
        if fixed is not updated:
            self.changed.append((original, fixed))
        return fixed


def _apply(call: cst.Call, fix: Fix) -> Optional[cst.Call]:
    """The call with ``fix`` applied, or ``None`` when it does not apply cleanly."""
    if any(arg.star == "**" for arg in call.args):
        return None  # the unpacked mapping may already hold the keyword
    args = list(call.args)
    names = {arg.keyword.value for arg in args if arg.keyword is not None}
    changed = False
    for old, new in fix.renames:
        if old in names and new in names:
            return None
        for index, arg in enumerate(args):
            if arg.keyword is not None and arg.keyword.value == old:
                args[index] = arg.with_changes(keyword=cst.Name(new))
                names = (names - {old}) | {new}
                changed = True
    for keyword, new_value in fix.values:
        for index, arg in enumerate(args):
            if arg.keyword is not None and arg.keyword.value == keyword:
                if not isinstance(arg.value, cst.SimpleString):
                    return None
                if arg.value.evaluated_value == new_value:
                    continue
                quote = arg.value.quote
                args[index] = arg.with_changes(value=cst.SimpleString(f"{quote}{new_value}{quote}"))
                changed = True
    if fix.kernel_rank:
        positional = [i for i, arg in enumerate(args) if arg.keyword is None and not arg.star]
        if len(positional) != 1 + fix.kernel_rank or positional != list(range(len(positional))):
            return None
        sizes = [args[i].value for i in positional[1:]]
        kernel = cst.Tuple([cst.Element(value) for value in sizes])
        last = args[positional[-1]]
        folded = cst.Arg(kernel, comma=last.comma)
        args = [args[0], folded] + args[positional[-1] + 1:]
        changed = True
    for keyword in fix.remove_keywords:
        kept = [arg for arg in args if arg.keyword is None or arg.keyword.value != keyword]
        if len(kept) != len(args):
            if kept and not isinstance(args[-1].comma, cst.Comma):
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            args = kept
            changed = True
    for keyword, source in fix.set_keywords:
        value = cst.parse_expression(source)
        found = [i for i, arg in enumerate(args) if arg.keyword is not None and arg.keyword.value == keyword]
        if found:
            current = args[found[0]].value
            if isinstance(current, cst.Name) and current.value == source:
                continue
            args[found[0]] = args[found[0]].with_changes(value=value)
        else:
            args = _with_keyword(args, keyword, value)
        changed = True
    return call.with_changes(args=args) if changed else None


def _with_keyword(args: List[cst.Arg], keyword: str, value: cst.BaseExpression) -> List[cst.Arg]:
    new = cst.Arg(value=value, keyword=cst.Name(keyword),
                  equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    if not args:
        return [new]
    last = args[-1]
    if isinstance(last.comma, cst.Comma) and len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        # One argument per line with a trailing comma: the new one goes on its own line too.
        return args[:-1] + [last.with_changes(comma=args[-2].comma), new.with_changes(comma=last.comma)]
    if isinstance(last.comma, cst.Comma):
        return args + [new.with_changes(comma=last.comma)]
    return args[:-1] + [last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), new]


def fixed_text(source, fixes: Iterable[Fix], unsafe: bool = False) -> Tuple[str, int]:
    """The source text with the fixes applied (only safe ones unless ``unsafe``), and how many
    applied. Only the text of each fixed call is replaced; every other byte of the file (form
    feeds, trailing spaces, ``\\r`` line endings) stays as it was read."""
    wanted: Dict[Tuple[int, int], List[Fix]] = {}
    for fix in fixes:
        if fix.safe or unsafe:
            wanted.setdefault((fix.line, fix.col), [])
            if fix not in wanted[(fix.line, fix.col)]:
                wanted[(fix.line, fix.col)].append(fix)
    if not wanted or source.tabs_expanded:  # never rewrite a file archlint read re-indented
        return source.text, 0
    fixer = _CallFixer(source.position, wanted)
    module = source.module.visit(fixer)
    edits = _edits(source, module, fixer.changed)
    if edits is None:
        return source.text, 0
    text = source.text
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text, fixer.applied


def _edits(source, module: cst.Module, changed) -> Optional[List[Tuple[int, int, str]]]:
    """(start, end, new text) in ``source.text`` of each fixed call, outermost only, in order;
    None when a call's written text is not where its position says (nothing is then applied)."""
    starts = _line_starts(source.text)
    edits = []
    for original, fixed in changed:
        site = source.locate(original)
        if site is None or not site.end_line or site.end_line > len(starts):
            return None
        start, end = starts[site.line - 1] + site.col, starts[site.end_line - 1] + site.end_col
        bare = original.with_changes(lpar=[], rpar=[])  # CPython's span leaves out enclosing parentheses
        if module.code_for_node(bare) != source.text[start:end]:
            return None
        edits.append((start, end, module.code_for_node(fixed.with_changes(lpar=[], rpar=[]))))
    edits.sort()
    outermost = []
    for edit in edits:
        if outermost and edit[0] < outermost[-1][1]:  # inside a fixed call: its text is in the outer one's
            continue
        outermost.append(edit)
    return outermost


def _line_starts(text: str) -> List[int]:
    """The offset of each line's first character, lines ending as Python's do (\\n, \\r\\n, \\r)."""
    return [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]


class FixRefused(Exception):
    """The file was not fixed, for a reason its user should hear (read-only, changed, ...)."""


def write_atomically(path: str, text: str, read: Optional[bytes] = None, force: bool = False) -> None:
    """Replace ``path`` by ``text`` in its original encoding (and byte-order mark), all at once.

    A symlink's target is what gets fixed (the link stays a link). ``read``: the bytes the
    fix was made from; a file that no longer holds them is left alone. A read-only file is
    left alone unless ``force``. The temporary file never outlives the call: signals that
    would end the process wait until the file is replaced, and one left by a process killed
    outright is removed by the next fix in that directory. Raises ``FixRefused``."""
    target = os.path.realpath(path)
    original = read_bytes(target, SOURCE_BYTES)
    if isinstance(original, NotRead):
        raise FixRefused(original.reason)
    if read is not None and original != read:
        raise FixRefused("it changed after it was read")
    mode = os.stat(target).st_mode
    if not force and (not mode & stat.S_IWUSR or not os.access(target, os.W_OK)):
        raise FixRefused("it is read-only (--force fixes it anyway)")
    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""
    data = bom + text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    directory = os.path.dirname(target)
    _remove_stale_temporaries(directory)
    with _signals_held():
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".archlint-{os.getpid()}-", suffix=".tmp", dir=directory)
        except OSError as error:
            raise FixRefused(f"cannot write in {directory}: {error.strerror or error}") from None
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode & 0o7777)
            if read_bytes(target, SOURCE_BYTES) != original:
                raise FixRefused("it changed while the fix was written")
            os.replace(temporary, target)
        except OSError as error:
            raise FixRefused(error.strerror or str(error)) from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


_TEMPORARY = re.compile(r"\.archlint-(\d+)-\w+\.tmp")


def _remove_stale_temporaries(directory: str) -> None:
    """Temporary files of fixes whose process no longer runs (killed outright mid-write)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match and not _running(int(match.group(1))):
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextlib.contextmanager
def _signals_held():
    """Hold back SIGINT, SIGTERM and SIGHUP while a file is replaced (POSIX); they arrive after."""
    held = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
