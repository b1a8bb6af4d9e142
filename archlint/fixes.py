"""Autofixes: edits of the one constructor call a finding points at, applied with libcst.

A ``Fix`` says what to change in the call at (line, col): keywords to rename, keywords to
set, Keras 1 positional kernel sizes to fold into a tuple. libcst reprints everything it
did not touch byte for byte, so only the fixed calls change; the file keeps its encoding,
byte-order mark and line endings, and is replaced atomically. A fix that would have to
guess (a ``**kwargs`` that may hold the keyword, a target keyword already present, an
unreadable value) is not applied. Applying a fix twice changes nothing the second time.
"""

from __future__ import annotations

import codecs
import io
import os
import tokenize
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

import libcst as cst


@dataclass(frozen=True)
class Fix:
    line: int
    col: int
    renames: Tuple[Tuple[str, str], ...] = ()  # keyword -> Keras 3 keyword
    values: Tuple[Tuple[str, str], ...] = ()  # (keyword, new string value) for a string literal
    set_keywords: Tuple[Tuple[str, str], ...] = ()  # keyword -> Python source of the value
    remove_keywords: Tuple[str, ...] = ()
    kernel_rank: int = 0  # Keras 1 ``Conv2D(32, 5, 5)``: fold this many positional sizes
    safe: bool = True
    description: str = ""


class _CallFixer(cst.CSTTransformer):
    def __init__(self, positions, fixes: Dict[Tuple[int, int], List[Fix]]):
        super().__init__()
        self.positions = positions
        self.fixes = fixes
        self.applied = 0

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if isinstance(original.func, cst.Call):
            return updated  # `Layer(...)(x)` starts where its constructor does: fix the constructor only
        site = self.positions(original)
        for fix in self.fixes.get((site.line, site.col), []):
            changed = _apply(updated, fix)
            if changed is not None:
                updated = changed
                self.applied += 1
        return updated


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
    """The source text with the fixes applied (only safe ones unless ``unsafe``), and how many applied."""
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
    return module.code, fixer.applied


def write_atomically(path: str, text: str) -> None:
    """Replace ``path`` by ``text`` in its original encoding (and byte-order mark), all at once."""
    import tempfile

    with open(path, "rb") as handle:
        original = handle.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""
    data = bom + text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode
    handle, temporary = tempfile.mkstemp(prefix=".archlint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
