"""Hostile inputs, made on the fly from a seed: what a linter meets in a tree it does not
control. Each is a file (or a special file) archlint must answer with a finding or a one-line
message, in bounded time and memory, without a traceback.

``write_corpus(directory, seed, mutants)`` writes them all: the known cases (each reproduces
a crash, hang or memory blow-up archlint once had), mutants of the fixture files (random
bytes, truncations, encodings and cookies, line endings, NULs), deep nesting, huge
literals, special files (a FIFO, a device, symlink loops, dangling links, a directory named
``.py``) and an import cycle. It returns the names written, by kind.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "fixtures" / "models").glob("*.py")) + sorted((ROOT / "fixtures" / "rules").glob("AL*.py"))

HEADER = "import keras\nfrom keras import layers\n"

# name -> source: each once crashed, hung or ate memory.
KNOWN = {
    "center.py": HEADER + "s = 'a'.center(10**10)\n",
    "replace.py": HEADER + "s = 'ab' * 50000\nt = s.replace('', s)\n",
    "percent.py": HEADER + "s = '%*d' % (2 * 10**9, 1)\n",
    "format_width.py": HEADER + "s = '{:{}}'.format(1, 10**10)\nt = f'{1:{10**10}}'\n",
    "join.py": HEADER + "s = 'x' * 90000\nt = s.join([s, s, s])\n",
    "square.py": HEADER + "x = 3\nfor i in range(64):\n    x = x * x\n",
    "shift.py": HEADER + "x = 1 << 10**9\ny = 2 ** 10**9\n",
    "extend.py": HEADER + "s = []\nfor i in range(10000):\n    s.extend(list(range(99999)))\n",
    "iadd.py": HEADER + "s = []\nfor i in range(10000):\n    s += list(range(99999))\n",
    "prod.py": HEADER + "import math\nfor i in range(10000):\n    y = math.prod(range(1, 99999))\n",
    "while_add.py": HEADER + "m = keras.Sequential()\nwhile True:\n    m.add(layers.Dense(4))\n",
    "wrapped.py": HEADER + "m = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\n"
                           "for i in range(10000):\n    m = keras.Sequential([m])\n",
    "self_list.py": HEADER + "a = []\na.append(a)\nb = a == a\nprint(a)\n",
    "self_dict.py": HEADER + "d = {}\nd['me'] = d\ne = [d]\ne.extend([e])\nf = {'x': 1}\nf.update({'y': f})\n",
    "self_iadd.py": HEADER + "a = [1]\na += [a]\nn = len(a)\n",
    "huge_range.py": HEADER + "n = len(range(10**30))\nr = list(range(10**30))\n",
    "huge_units.py": HEADER + "model = keras.Sequential([keras.Input((4,)), layers.Dense(10**400)])\n",
    "recursion.py": HEADER + "def f(n):\n    return f(n + 1)\nf(0)\n",
    "deep_call.py": HEADER + "x = " + "abs(" * 400 + "1" + ")" * 400 + "\n",
    "deep_list.py": HEADER + "x = " + "[" * 1000 + "]" * 1000 + "\n",
    "deep_data.py": HEADER + "a = []\nfor i in range(5000):\n    a = [a]\nb = a == a\nprint(str(a))\n",
    "coding_undefined.py": "# coding: undefined\n" + HEADER,
    "coding_punycode.py": "# coding: punycode\n" + HEADER,
    "coding_unknown.py": "# -*- coding: no-such-codec -*-\n" + HEADER,
    "bom_and_cookie.py": "\ufeff# coding: latin-1\n" + HEADER,
    "nul.py": HEADER + "x = 1\x00\n",
    "lone_cr.py": HEADER.replace("\n", "\r") + "x = layers.Dense(3)\r",
    "form_feed.py": "\x0c" + HEADER + "\x0c\nx = 1\n",
    "tuple_literal.py": "t = (" + ", ".join(map(str, range(200_000))) + ")\n",
    "many_layers.py": HEADER + "x = inputs = keras.Input((8,))\n" + "x = layers.Dense(8)(x)\n" * 2000
                      + "model = keras.Model(inputs, x)\n",
    "empty.py": "",
    "only_bom.py": "\ufeff",
}

# Large legal files: written only when asked (they take seconds each).
LARGE = {
    "large_tuple.py": lambda: "t = (" + ", ".join(map(str, range(500_000))) + ")\n",
    "large_dense.py": lambda: HEADER + "x = inp = keras.Input((8,))\n" + "x = layers.Dense(8)(x)\n" * 100_000
                      + "model = keras.Model(inp, x)\n",
    "large_strings.py": lambda: HEADER + "".join(f"s{i} = {'x' * 400!r}\n" for i in range(11_000)),
}


def _mutant(rng: random.Random, data: bytes) -> bytes:
    """One random damage to a source file's bytes."""
    kind = rng.randrange(9)
    if kind == 0:  # truncated anywhere
        return data[: rng.randrange(len(data) + 1)]
    if kind == 1:  # bytes flipped
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 2:  # NULs inserted
        at = rng.randrange(len(data) + 1)
        return data[:at] + b"\x00" * rng.randint(1, 3) + data[at:]
    if kind == 3:  # line endings swapped or mixed
        ending = rng.choice([b"\r", b"\r\n", b"\n\r", b"\x0c\n", b"\x0b"])
        return data.replace(b"\n", ending) if rng.random() < 0.5 else data.replace(b"\n", ending, rng.randint(1, 20))
    if kind == 4:  # a coding cookie, right or wrong
        cookie = rng.choice(["latin-1", "utf-16", "utf-32", "cp1252", "ascii", "undefined", "punycode", "idna",
                             "rot13", "uu_codec", "zlib", "base64", "bogus", "utf-8-sig", "unicode_escape"])
        return f"# -*- coding: {cookie} -*-\n".encode() + data
    if kind == 5:  # re-encoded without saying so
        text = data.decode("utf-8", "replace")
        return text.encode(rng.choice(["utf-16", "utf-32", "latin-1", "cp037"]), "replace")
    if kind == 6:  # random bytes
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000)))
    if kind == 7:  # a line duplicated many times
        lines = data.splitlines(keepends=True) or [b"\n"]
        line = rng.choice(lines)
        return b"".join(lines) + line * rng.randint(100, 3000)
    # a block's indentation broken
    lines = data.splitlines(keepends=True)
    if lines:
        at = rng.randrange(len(lines))
        lines[at] = rng.choice([b"\t", b"   ", b"\t  ", b""]) + lines[at].lstrip()
    return b"".join(lines)


def write_corpus(directory: Path, seed: int = 0, mutants: int = 60, large: bool = False) -> Dict[str, List[str]]:
    directory.mkdir(parents=True, exist_ok=True)
    written: Dict[str, List[str]] = {"known": [], "mutant": [], "special": [], "large": [], "cycle": []}
    for name, text in KNOWN.items():
        (directory / name).write_bytes(text.encode("utf-8", "surrogatepass") if not name.startswith("coding_")
                                       else text.encode("latin-1", "replace"))
        written["known"].append(name)
    if large:
        for name, make in LARGE.items():
            (directory / name).write_text(make())
            written["large"].append(name)
    rng = random.Random(seed)
    for index in range(mutants):
        source = rng.choice(SOURCES)
        name = f"mutant_{index:04d}_{source.stem}.py"
        (directory / name).write_bytes(_mutant(rng, source.read_bytes()))
        written["mutant"].append(name)
    written["special"] = _special_files(directory)
    package = directory / "cycle"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(HEADER + "from cycle.b import block\n\ndef head(x):\n    return layers.Dense(2)(x)\n"
                                  "inputs = keras.Input((4,))\nmodel = keras.Model(inputs, head(block(inputs)))\n")
    (package / "b.py").write_text(HEADER + "from cycle.a import head\n\ndef block(x):\n    return layers.Dense(4)(x)\n")
    written["cycle"] = ["cycle/a.py", "cycle/b.py"]
    return written


def _special_files(directory: Path) -> List[str]:
    made = []

    def link(name: str, to: str) -> None:
        try:
            os.symlink(to, directory / name)
            made.append(name)
        except OSError:
            pass

    if hasattr(os, "mkfifo"):
        os.mkfifo(directory / "fifo.py")
        made.append("fifo.py")
    if os.path.exists("/dev/zero"):
        link("zero.py", "/dev/zero")
    if os.path.exists("/dev/urandom"):
        link("urandom.py", "/dev/urandom")
    link("loop_a.py", "loop_b.py")
    link("loop_b.py", "loop_a.py")
    link("dangling.py", "no_such_file.py")
    link("self.py", "self.py")
    (directory / "directory.py").mkdir(exist_ok=True)
    made.append("directory.py")
    subdir = directory / "linked_dir"
    subdir.mkdir(exist_ok=True)
    try:
        os.symlink("..", subdir / "up")  # a directory symlink loop for the walk
    except OSError:
        pass
    return made
