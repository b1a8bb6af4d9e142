"""The model builders the installed ``keras.applications`` exports, each with the source
file that defines it (read from the public API module, without importing Keras)."""

import ast
import os

from archlint.project import installed_keras_root


def builders():
    """(module file, builder name) for each name the public keras.applications exports."""
    root = installed_keras_root()
    if root is None:
        return []
    api = os.path.join(root, "keras", "applications", "__init__.py")
    with open(api, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    out = []
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module.startswith("keras.src.applications."):
            module = statement.module.rsplit(".", 1)[1]
            if module == "imagenet_utils":
                continue
            path = os.path.join(root, "keras", "src", "applications", module + ".py")
            out += [(path, alias.name) for alias in statement.names if alias.name[:1].isupper()]
    return out
