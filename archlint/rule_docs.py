"""Rule documentation as Markdown pages: one page per rule, made from the rule's own
docstring, and the links to them that editors and reports show beside a finding's code.

It writes the pages (``archlint rules --docs DIR``, or the language server into the user's
cache) and builds their links, as ``file:`` URIs or from a URL template a team hosts the
pages under (``https://example.org/archlint/{code}.html``). It does not render HTML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterable, Optional

from .files import replace_atomically


def markdown_help(rule) -> str:
    """The rule's docstring as Markdown: an ``Example:`` block and its indented code become
    a heading and a Python code block; other paragraphs stay as they are."""
    out = []
    for block in (rule.doc or rule.summary).split("\n\n"):
        lines = block.splitlines()
        if lines and lines[0].rstrip().endswith(":") and len(lines) > 1:  # "Example:" then indented code
            code = "\n".join(line[4:] if line.startswith("    ") else line for line in lines[1:])
            out.append(f"**{lines[0].rstrip(':')}**\n\n```python\n{code}\n```")
        else:
            out.append(block)
    return "\n\n".join(out)


def page(rule) -> str:
    """The whole page of one rule: its code and name, severity, summary and documentation."""
    state = "" if rule.enabled_by_default else ", off by default"
    return (f"# {rule.code} {rule.name}\n\n*{rule.severity.label}{state}* · {rule.summary}\n\n"
            f"{markdown_help(rule)}\n\nSilence it on one line with `# noqa: {rule.code}`, or for a project "
            f"with `ignore = [\"{rule.code}\"]` under `[tool.archlint]`.\n")


def file_name(rule) -> str:
    return f"{rule.code}-{rule.name}.md"


def write_pages(directory: str, rules: Iterable) -> Dict[str, str]:
    """Write each rule's page into ``directory`` (made if missing; a page already holding the
    same text is left alone) and return code -> the page's ``file:`` URI."""
    os.makedirs(directory, exist_ok=True)
    links = {}
    for rule in rules:
        target = Path(directory, file_name(rule))
        text = page(rule)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            replace_atomically(str(target), text.encode("utf-8"))
        links[rule.code] = target.resolve().as_uri()
    return links


def linked(template: str, rules: Iterable) -> Dict[str, str]:
    """code -> ``template`` with ``{code}`` and ``{name}`` filled in, for pages hosted elsewhere."""
    return {rule.code: template.format(code=rule.code, name=rule.name) for rule in rules}


def user_pages_directory() -> Optional[str]:
    """Where the language server keeps the pages for this archlint version: under
    ``$XDG_CACHE_HOME`` (else ``~/.cache``); None when there is no home to put them in."""
    from . import __version__

    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache")
                                                 if os.path.expanduser("~") != "~" else None)
    return os.path.join(base, "archlint", f"rules-{__version__}") if base else None
