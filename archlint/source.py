"""Files to decoded text to a libcst module, with positions computed on demand.

Reading never executes anything. Before libcst sees a file, CPython's own parser
checks it: that gives precise syntax errors and refuses pathological nesting that
would make libcst's native parser crash or take minutes. Errors come back as
values (``Unreadable``, ``Unparsable``), never as exceptions to the caller.
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import tokenize
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from .notebook import NotebookError, is_notebook
from .notebook import read as notebook_reader

from .files import SOURCE_BYTES, NotRead, read_bytes
from .graph import Site
from .limits import parse_cost

MAX_BYTES = SOURCE_BYTES
MAX_NESTING = 250


@dataclass
class Unreadable:
    """The file cannot be read or decoded: a usage-level error (exit 2)."""

    path: str
    reason: str


@dataclass
class Unparsable:
    """The file was read but cannot be analyzed: reported as a finding."""

    path: str
    code: str  # AL901 syntax error, AL905 valid Python archlint cannot parse, AL904 too big to parse
    message: str
    site: Site
    notebook: Optional[object] = None  # notebook.Notebook, when the code came from one
    text: Optional[str] = field(default=None, repr=False)  # what was read, when it was


@dataclass
class Source:
    path: str
    text: str
    module: cst.Module
    tree: Optional[ast.AST] = field(default=None, repr=False)
    # Columns each line's indentation gained when its tabs were expanded (libcst could not
    # parse the original): findings are reported in the file's own columns, and --fix never
    # rewrites such a file.
    indent_shift: Optional[Dict[int, int]] = field(default=None, repr=False)
    notebook: Optional[object] = field(default=None, repr=False)  # notebook.Notebook: ``text`` is its code cells
    _positions: Optional[Dict[cst.CSTNode, Site]] = field(default=None, repr=False)

    def position(self, node: cst.CSTNode) -> Site:
        """Where ``node`` starts. Only calls, loops, branches and definitions are located."""
        return self.locate(node) or Site()

    def locate(self, node: cst.CSTNode) -> Optional[Site]:
        """Where ``node`` starts, or ``None`` when it is not a located node of this file."""
        if self._positions is None:
            self._positions = _matched_positions(self.module, self.tree, self.text)
            if self._positions is None:  # the trees did not line up: pay for libcst's own pass
                self._positions = _compute_positions(self.module)
            if self.indent_shift:
                self._positions = {
                    n: replace(site, col=site.col - self.indent_shift.get(site.line, 0),
                               end_col=site.end_col - self.indent_shift.get(site.end_line, 0))
                    for n, site in self._positions.items()
                }
        return self._positions.get(node)

    @property
    def tabs_expanded(self) -> bool:
        return self.indent_shift is not None


def read_text(path: str) -> Union[str, Unreadable]:
    data = read_bytes(path, MAX_BYTES)
    return Unreadable(path, data.reason) if isinstance(data, NotRead) else decode(path, data)


def decode(path: str, data: bytes) -> Union[str, Unreadable]:
    """Decode as Python does: BOM, PEP 263 coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        return Unreadable(path, f"cannot decode: {error.msg if hasattr(error, 'msg') else error}")
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (LookupError, UnicodeError) as error:  # an unknown codec, bytes it refuses, or a codec that fails
        detail = f" at byte {error.start}" if isinstance(error, UnicodeDecodeError) else ""
        return Unreadable(path, f"not valid {encoding} text{detail}")
    return text[1:] if text.startswith("\ufeff") else text


# A snippet pasted without its imports still says one of these.
_SNIPPET_MARKS = re.compile(r"\b(?:Sequential|Model)\s*\(|\.add\(\s*(?:layers\.)?[A-Z]\w*\(")


def could_build_model(text: str) -> bool:
    """Cheap pre-filter: a file that never says ``keras``, builds no ``Sequential`` or
    ``Model`` and adds no layer cannot build a Keras model by itself."""
    return "keras" in text or _SNIPPET_MARKS.search(text) is not None


def syntax_tree(path: str, text: str) -> Union[ast.Module, Unparsable]:
    """CPython's own parse: exact syntax errors, and a guard against pathological input."""
    too_big = parse_cost(text, full=False)
    if too_big is not None:
        return Unparsable(path, "AL904", too_big, Site(1, 0))
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as error:
        message = error.msg or "invalid syntax"
        return Unparsable(path, "AL901", f"syntax error: {message}", Site(error.lineno or 1, max((error.offset or 1) - 1, 0)))
    except (RecursionError, MemoryError):
        return Unparsable(path, "AL905", "the file nests too deeply to analyze", Site(1, 0))
    except ValueError as error:  # e.g. source containing NUL bytes
        return Unparsable(path, "AL901", f"syntax error: {error}", Site(1, 0))


def parse(path: str, text: str) -> Union[Source, Unparsable]:
    tree = syntax_tree(path, text)
    if isinstance(tree, Unparsable):
        return tree
    too_deep = _too_deep(tree)
    if too_deep is not None:
        return Unparsable(
            path, "AL905", f"expressions nest more than {MAX_NESTING} levels deep; archlint analyzes up to {MAX_NESTING}",
            Site(too_deep.lineno, too_deep.col_offset),
        )
    too_big = parse_cost(text, full=True)
    if too_big is not None:
        return Unparsable(path, "AL904", too_big, Site(1, 0))
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        # CPython accepted it: valid Python that libcst's grammar does not cover. Indentation
        # mixing tabs and spaces is the usual case; CPython reads a tab as up to 8 columns.
        expanded, shift = _expand_indentation_tabs(text)
        if shift:
            retried = parse(path, expanded)
            if isinstance(retried, Source):
                retried.indent_shift = shift
                return retried
        return Unparsable(
            path, "AL905", f"libcst cannot parse this valid Python: {error.message}",
            Site(error.editor_line, max(error.editor_column - 1, 0)),
        )
    except (RecursionError, MemoryError):
        return Unparsable(path, "AL905", "the file nests too deeply to analyze", Site(1, 0))
    return Source(path, text, module, tree)


# Imported modules parsed in this process, most recently used last: path -> (text, result).
_SHARED: "OrderedDict[str, Tuple[str, Union[Source, Unparsable]]]" = OrderedDict()
# About 140 MB of trees: most files of a project import the same few modules.
SHARED_CHARACTERS = 1_000_000


def parse_shared(path: str, text: str) -> Union[Source, Unparsable]:
    """``parse(path, text)`` for a module other files import too: the trees of the last
    modules parsed this way are kept, and given again while the text is the same (trees are
    never changed once parsed). Files analysed for themselves are parsed with ``parse``."""
    kept = _SHARED.get(path)
    if kept is not None and kept[0] == text:
        _SHARED.move_to_end(path)
        return kept[1]
    result = parse(path, text)
    if len(text) <= SHARED_CHARACTERS // 2:
        _SHARED[path] = (text, result)
        total = sum(len(t) for t, _ in _SHARED.values())
        while total > SHARED_CHARACTERS:
            _, (dropped, _) = _SHARED.popitem(last=False)
            total -= len(dropped)
    return result


# How many single lines are set aside, and how many cut points tried, to read a broken file.
MAX_SKIPPED_LINES = 10
MAX_PREFIX_TRIES = 25


@dataclass
class ReadablePart:
    """What can be read of a file with syntax errors: ``source`` (its text has the lines in
    ``skipped`` replaced by ``pass``, or ends before ``stops_at``), never a file to rewrite."""

    source: Source
    skipped: List[int]
    stops_at: Optional[int] = None  # the first line not read, when only a prefix is


def readable_part(path: str, text: str, bad: Unparsable) -> Optional[ReadablePart]:
    """The part of a file with syntax errors a reader can still follow. Pasted programs often
    hold a line that is not Python 3 (a notebook magic, a Python 2 ``print``, a line of prose,
    a stray indent): each such line that is a whole statement by itself is read as ``pass``,
    keeping every other line where it is. Failing that, the file up to the last top-level
    statement that starts before the first error no such line explains. ``None`` when
    neither is valid Python.
    Nothing here is ever written back to the file."""
    if bad.code != "AL901":
        return None
    lines = text.splitlines(keepends=True)
    skipped: List[int] = []
    error = bad
    while len(skipped) < MAX_SKIPPED_LINES and 1 <= error.site.line <= len(lines):
        index = error.site.line - 1
        replaced = _as_pass(lines, index)
        if replaced is None:
            break
        lines[index] = replaced
        skipped.append(index + 1)
        tree = syntax_tree(path, "".join(lines))
        if isinstance(tree, Unparsable):
            if tree.code != "AL901" or tree.site.line in skipped:
                break
            error = tree
            continue
        parsed = parse(path, "".join(lines))
        if isinstance(parsed, Source):
            return ReadablePart(parsed, skipped)
        break
    part = _prefix(path, "".join(lines), error)  # up to the error no single line explains
    if part is None:
        return None
    part.skipped = [line for line in skipped if line < part.stops_at]
    return part


def _as_pass(lines: List[str], index: int) -> Optional[str]:
    """``pass`` in place of line ``index`` when that line is one whole statement (not a block
    header, not part of a bracketed or continued expression), indented as the code around it
    expects; None otherwise."""
    line = lines[index]
    body = line.strip()
    if not body or body.endswith(("\\", "(", "[", "{", ",")) or body.startswith((")", "]", "}")):
        return None
    following = next((l for l in lines[index + 1:] if l.strip() and not l.lstrip().startswith("#")), "")
    if body.endswith(":") and len(following) - len(following.lstrip()) > len(line) - len(line.lstrip()):
        return None  # a block header: its body would be left without one
    if index and lines[index - 1].rstrip().endswith(("\\", "(", "[", "{", ",")):
        return None
    indent = line[: len(line) - len(line.lstrip())]
    previous = next((l for l in reversed(lines[:index]) if l.strip() and not l.lstrip().startswith("#")), "")
    expected = previous[: len(previous) - len(previous.lstrip())]
    if previous.rstrip().endswith(":"):
        expected = indent if len(indent) > len(expected) else expected + "    "
    elif len(indent) > len(expected):  # a stray indent
        indent = expected
    newline = line[len(line.rstrip("\r\n")):] or "\n"
    return f"{indent}pass{newline}"


def _prefix(path: str, text: str, bad: Unparsable) -> Optional[ReadablePart]:
    """The file up to the last top-level statement that starts before its first error."""
    if bad.site.line <= 1:
        return None
    lines = text.splitlines(keepends=True)
    tries = 0
    for cut in range(min(bad.site.line - 1, len(lines) - 1), 0, -1):
        line = lines[cut]
        if not line[:1].strip() or line.startswith("#"):
            continue  # not the start of a top-level statement
        tries += 1
        if tries > MAX_PREFIX_TRIES:
            return None
        prefix = "".join(lines[:cut])
        if isinstance(syntax_tree(path, prefix), Unparsable):
            continue
        parsed = parse(path, prefix)
        return ReadablePart(parsed, [], cut + 1) if isinstance(parsed, Source) else None
    return None


def _expand_indentation_tabs(text: str) -> Tuple[str, Dict[int, int]]:
    """The text with indentation tabs expanded to CPython's 8 columns, and the columns each
    changed line (1-based) gained."""
    lines = text.splitlines(keepends=True)
    shift: Dict[int, int] = {}
    for index, line in enumerate(lines):
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        if "\t" in indent:
            lines[index] = indent.expandtabs(8) + body
            shift[index + 1] = len(lines[index]) - len(line)
    return "".join(lines), shift


def load(path: str, source_roots: Sequence[str] = (), text: Optional[str] = None
         ) -> Union[Source, Unreadable, Unparsable, None]:
    """Read and parse ``path`` (or ``text``, an editor's buffer, as if it were ``path``);
    ``None`` when it is valid Python that cannot build a model (it never says ``keras`` and
    imports no module of the project that could)."""
    if text is None:
        text = read_text(path)
    if isinstance(text, Unreadable):
        return text
    book = None
    if is_notebook(path):
        try:
            book = notebook_reader(text)
        except NotebookError as error:
            return Unreadable(path, str(error))
        text = book.program
    if not could_build_model(text):
        tree = syntax_tree(path, text)
        if isinstance(tree, Unparsable):
            return tree
        if not imports_project_module(path, tree, source_roots):
            return None
    source = parse(path, text)
    if book is not None:
        source.notebook = book
    if isinstance(source, Unparsable):
        source.text = text
    return source


def imports_project_module(path: str, tree: ast.Module, source_roots: Sequence[str] = ()) -> bool:
    """Whether the file imports one of the project's own modules (which may build models)."""
    from .project import ModuleFinder

    finder = None
    for statement in ast.walk(tree):
        if isinstance(statement, ast.ImportFrom) and statement.level:
            return True
        names = []
        if isinstance(statement, ast.Import):
            names = [alias.name for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom) and statement.module:
            names = [statement.module]
        for name in names:
            finder = finder or ModuleFinder(path, source_roots)
            if finder.find(name.split(".")[0]) or finder.find(name):
                return True
    return False


def _too_deep(tree: ast.AST) -> Optional[ast.expr]:
    """The first expression nested more than ``MAX_NESTING`` deep, if any (statements do not count)."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            depth += 1
            if depth > MAX_NESTING:
                return node
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return None


# libcst node types located through their CPython counterparts (same node, same order).
_LOCATED = {
    cst.Call: (ast.Call,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.If: (ast.If,),
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.Import: (ast.Import,),
    cst.BinaryOperation: (ast.BinOp,),
    cst.UnaryOperation: (ast.UnaryOp,),
    cst.Comparison: (ast.Compare,),
    cst.Subscript: (ast.Subscript,),
    cst.ImportFrom: (ast.ImportFrom,),
    cst.Lambda: (ast.Lambda,),
    cst.ListComp: (ast.ListComp,),
    cst.SetComp: (ast.SetComp,),
    cst.DictComp: (ast.DictComp,),
    cst.GeneratorExp: (ast.GeneratorExp,),
}
_AST_CATEGORY = {ast_type: cst_type for cst_type, ast_types in _LOCATED.items() for ast_type in ast_types}


def _ast_in_source_order(tree: ast.AST):
    """Pre-order walk of CPython's tree with siblings in source order (as libcst keeps them)."""
    starts: Dict[int, tuple] = {}

    def start(node):
        key = starts.get(id(node))
        if key is None:
            if hasattr(node, "lineno"):
                key = (node.lineno, node.col_offset)
            else:
                keys = [start(child) for child in ast.iter_child_nodes(node)]
                key = min(keys) if keys else (0, 0)
            starts[id(node)] = key
        return key

    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        children = sorted(ast.iter_child_nodes(node), key=start)
        stack.extend(reversed(children))


_SKIPPED_FIELDS = (
    "whitespace", "lpar", "rpar", "leading_lines", "lines_after", "semicolon", "comma", "equal",
    "colon", "header", "footer", "newline", "indent", "trailing", "first_line", "lbracket",
    "rbracket", "lbrace", "rbrace", "operator", "asynchronous", "dot", "star", "name", "keyword",
)
# Fields whose dataclass order differs from their order in the source.
_SOURCE_ORDER = {
    cst.FunctionDef: ("decorators", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.ExceptHandler: ("type", "body"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.Arg: ("value",),
    cst.Param: ("annotation", "default"),
}
_FIELDS: Dict[type, tuple] = {}


def _fields(node_type) -> tuple:
    names = _FIELDS.get(node_type)
    if names is None:
        import dataclasses

        names = _SOURCE_ORDER.get(node_type) or tuple(
            f.name for f in dataclasses.fields(node_type) if not f.name.startswith(_SKIPPED_FIELDS)
        )
        _FIELDS[node_type] = names
    return names


def cst_children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """A libcst node's children in source order, without whitespace and punctuation.

    Reads the node dataclasses' fields directly: libcst's own ``children``, and its
    visitors, go through every token and cost as much as a parse.
    """
    children = []
    for name in _fields(type(node)):
        value = getattr(node, name, None)
        if isinstance(value, cst.CSTNode):
            children.append(value)
        elif isinstance(value, (tuple, list)):
            children.extend(v for v in value if isinstance(v, cst.CSTNode))
    return children


def _cst_in_order(module: cst.Module):
    """Pre-order walk of libcst's tree in source order, skipping whitespace and punctuation."""
    stack = [module]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(cst_children(node)))


def _matched_positions(module: cst.Module, tree: Optional[ast.AST], text: str) -> Optional[Dict[cst.CSTNode, Site]]:
    """Positions of the located node types, read off CPython's tree instead of regenerating code.

    libcst's PositionProvider re-renders the whole module (about twice the cost of
    parsing it); CPython already knows every position. The n-th call in one tree is the
    n-th call in the other, so matching by type and order is exact; if the counts ever
    differ, ``None`` sends the caller to libcst's own pass.
    """
    if tree is None:
        return None
    from_ast: Dict[type, list] = {t: [] for t in _LOCATED}
    for node in _ast_in_source_order(tree):
        category = _AST_CATEGORY.get(type(node))
        if category is not None:
            from_ast[category].append(node)
    from_cst: Dict[type, list] = {t: [] for t in _LOCATED}
    for node in _cst_in_order(module):
        bucket = from_cst.get(type(node))
        if bucket is not None:
            bucket.append(node)
    if any(len(from_ast[t]) != len(from_cst[t]) for t in _LOCATED):
        return None
    lines = None
    positions: Dict[cst.CSTNode, Site] = {}
    for category, cst_nodes in from_cst.items():
        for cst_node, ast_node in zip(cst_nodes, from_ast[category]):
            if lines is None:
                lines = text.split("\n")
            column = _characters(lines, ast_node.lineno, ast_node.col_offset)
            end_column = _characters(lines, ast_node.end_lineno or ast_node.lineno, ast_node.end_col_offset or 0)
            positions[cst_node] = Site(ast_node.lineno, column, end_line=ast_node.end_lineno or ast_node.lineno,
                                       end_col=end_column)
    return positions


def _characters(lines: List[str], line: int, offset: int) -> int:
    """CPython's byte offset on a line as a character column."""
    if offset and line <= len(lines) and not lines[line - 1].isascii():
        return len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", "replace"))
    return offset


def _compute_positions(module: cst.Module) -> Dict[cst.CSTNode, Site]:
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    return {
        node: Site(pos.start.line, pos.start.column, end_line=pos.end.line, end_col=pos.end.column)
        for node, pos in wrapper.resolve(PositionProvider).items()
    }

