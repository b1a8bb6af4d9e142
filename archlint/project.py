"""Where an imported module's source lives: project roots, relative imports, Keras's own sources.

Only looks at the file system (``os.path`` checks); it never imports or runs anything.
Project roots are the source roots the user configures, then the directory above the
analyzed file's top-level package (the first directory up without ``__init__.py``).
The parts of the installed Keras that are model builders written in Keras itself
(``keras.applications``) are read as source like the user's own code, and so are installed
third-party packages of Keras layers (a site-packages package whose source says ``keras``),
after the project's own modules. Large libraries that are not Keras code (TensorFlow,
numpy, ...) are never followed.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Iterable, List, Optional, Sequence, Tuple

from .files import SOURCE_BYTES, NotRead, read_bytes

# Keras subpackages whose sources build models out of Keras layers: followed as source.
FOLLOWED_KERAS_PACKAGES = ("keras.applications", "keras.src.applications")

_INSTALL_DIRS = {"site-packages", "dist-packages"}
# Installed top-level packages never read as source: Keras itself (modelled), and libraries
# that are not written with Keras layers.
_NOT_FOLLOWED = {
    "keras", "tensorflow", "tf_keras", "keras_core", "numpy", "scipy", "pandas", "sklearn", "matplotlib", "torch",
    "jax", "jaxlib", "cv2", "PIL", "six", "h5py", "absl", "google", "tensorboard", "sympy", "IPython", "tqdm",
}
MAX_PACKAGE_FILES = 400  # a larger installed package is not a package of layers to read


def is_followed_keras(dotted: str) -> bool:
    return any(dotted == p or dotted.startswith(p + ".") for p in FOLLOWED_KERAS_PACKAGES)


def module_file(directory: str, parts: Sequence[str]) -> Optional[str]:
    """``directory/a/b.py`` or ``directory/a/b/__init__.py`` for parts ``("a", "b")``."""
    if not parts:
        init = os.path.join(directory, "__init__.py")
        return init if os.path.isfile(init) else None
    base = os.path.join(directory, *parts)
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def package_root(path: str) -> str:
    """The directory above the top-level package that contains ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def dotted_name_of(path: str) -> str:
    """The module name ``path`` has under its package root: ``pkg/sub/m.py`` -> ``pkg.sub.m``."""
    relative = os.path.relpath(os.path.abspath(path), package_root(path))
    parts = relative[: -len(".py")].split(os.sep) if relative.endswith(".py") else relative.split(os.sep)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def installed_roots() -> List[str]:
    """The site-packages directories on this interpreter's path."""
    return [entry for entry in sys.path if entry and os.path.basename(entry) in _INSTALL_DIRS and os.path.isdir(entry)]


@lru_cache(maxsize=256)
def is_keras_package(path: str) -> bool:
    """Whether an installed package (a directory, or a single ``.py`` module) is Keras code:
    some file of it says ``keras``. Only its first ``MAX_PACKAGE_FILES`` files are looked at."""
    files = [path + ".py"] if os.path.isfile(path + ".py") else []
    for directory, _, names in os.walk(path):
        files += [os.path.join(directory, n) for n in names if n.endswith(".py")]
        if len(files) > MAX_PACKAGE_FILES:
            return False
    for file in files:
        data = read_bytes(file, SOURCE_BYTES)
        if not isinstance(data, NotRead) and b"keras" in data[:200_000]:
            return True
    return False


@lru_cache(maxsize=None)
def installed_keras_root() -> Optional[str]:
    """The directory holding the installed ``keras`` package, found without importing it."""
    for entry in sys.path:
        entry = entry or os.getcwd()
        if os.path.isfile(os.path.join(entry, "keras", "src", "applications", "__init__.py")):
            return entry
    return None


class ModuleFinder:
    """Maps dotted module names to files, for one analyzed file."""

    def __init__(self, analyzed_path: str, source_roots: Iterable[str] = ()):
        roots: List[str] = [os.path.abspath(r) for r in source_roots]
        own_root = package_root(analyzed_path)
        # Then each package directory between that root and the file, the file's own first (as
        # `python file.py` puts it on sys.path): a repository whose top directory has a stray
        # `__init__.py` still imports its packages by their own names.
        directory = os.path.dirname(os.path.abspath(analyzed_path))
        inner = []
        while directory != own_root and directory.startswith(own_root):
            inner.append(directory)
            directory = os.path.dirname(directory)
        for root in [own_root, *inner]:
            if os.path.basename(root) not in _INSTALL_DIRS and root not in roots:
                roots.append(root)
        self.roots = roots

    def add_root(self, directory: str, first: bool = False) -> None:
        """A directory the program puts on ``sys.path`` itself."""
        directory = os.path.abspath(directory)
        if os.path.isdir(directory) and directory not in self.roots:
            self.roots.insert(0, directory) if first else self.roots.append(directory)

    def find(self, dotted: str) -> Optional[str]:
        parts = dotted.split(".")
        if is_followed_keras(dotted):
            keras_root = installed_keras_root()
            return module_file(keras_root, parts) if keras_root else None
        if parts[0] == "keras":
            return None  # the rest of Keras is the API archlint models, never source to follow
        for root in self.roots:
            found = module_file(root, parts)
            if found:
                return found
        if parts[0] in _NOT_FOLLOWED:
            return None
        for root in installed_roots():
            found = module_file(root, parts)
            if found:
                return found if is_keras_package(os.path.join(root, parts[0])) else None
        return None

    @staticmethod
    def find_relative(importer: str, level: int, dotted: str) -> Tuple[Optional[str], str]:
        """``from ..a.b import x`` seen in file ``importer``: the file of ``..a.b`` and its name."""
        directory = os.path.dirname(os.path.abspath(importer))
        for _ in range(level - 1):
            directory = os.path.dirname(directory)
        parts = dotted.split(".") if dotted else []
        found = module_file(directory, parts)
        package = dotted_name_of(os.path.join(directory, "__init__.py"))
        name = ".".join(p for p in (package, dotted) if p)
        return found, name
