"""Which Keras a file targets: given, configured, or read from the project's dependencies."""

import pytest

from archlint import keras_target
from archlint.cli import main
from archlint.config import ConfigError, load_config


def _project(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    source = tmp_path / "pkg" / "model.py"
    source.parent.mkdir(exist_ok=True)
    source.write_text("import keras\n")
    keras_target._directory_target.cache_clear()
    return str(source)


@pytest.mark.parametrize("line, version", [
    ("tensorflow==2.12.0", "2"), ("tensorflow<2.16", "2"), ("tensorflow>=2.4,<2.11", "2"),
    ("tensorflow-gpu==1.15", "2"), ("tensorflow-cpu~=2.10.0", "2"), ("tensorflow<=2.15.1", "2"),
    ("tensorflow[and-cuda]==2.15.1 ; python_version > '3.8'", "2"),
    ("keras<3", "2"), ("keras==2.*", "2"), ("keras~=2.12", "2"), ("tf-keras", "2"), ("tf_keras==2.15", "2"),
    ("keras>=3.0", "3"), ("tensorflow>=2.16", "3"), ("tensorflow==2.16.1", "3"), ("keras~=3.1", "3"),
    ("tensorflow", "3"), ("tensorflow==2.*", "3"), ("tensorflow-cpu~=2.10", "3"), ("keras>=2.2.4", "3"),
    ("numpy<2", "3"),
])
def test_requirements_lines(tmp_path, line, version):
    path = _project(tmp_path, {"requirements.txt": f"# pinned\n{line}\n"})
    assert keras_target.resolve(None, None, path).version == version


def test_keras_pin_wins_over_tensorflow(tmp_path):
    path = _project(tmp_path, {"requirements.txt": "tensorflow==2.12\nkeras>=3\n"})
    assert keras_target.resolve(None, None, path) == keras_target.Target("3", "requirements.txt: keras>=3")


def test_pyproject_setup_cfg_and_poetry(tmp_path):
    pep621 = _project(tmp_path / "a", {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["tensorflow<2.16"]\n'})
    assert keras_target.resolve(None, None, pep621).version == "2"
    poetry = _project(tmp_path / "b", {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.9"\ntensorflow = "~2.13"\n'})
    assert keras_target.resolve(None, None, poetry).version == "2"
    setup_cfg = _project(tmp_path / "c", {"setup.cfg": "[options]\ninstall_requires =\n    numpy\n    keras>=3.3\n"})
    assert keras_target.resolve(None, None, setup_cfg).version == "3"


def test_nearest_declaring_directory_decides(tmp_path):
    path = _project(tmp_path, {"requirements.txt": "tensorflow==2.10\n", "pkg/requirements-dev.txt": "pytest\n"})
    # pkg/ declares dependencies, none decisive: the default, not the parent's pin
    assert keras_target.resolve(None, None, path) == keras_target.Target("3", "default")


def test_given_then_configured_then_declared(tmp_path):
    path = _project(tmp_path, {"requirements.txt": "tensorflow==2.10\n"})
    assert keras_target.resolve("3", "2", path).reason == "--keras-version"
    assert keras_target.resolve(None, "3", path) == keras_target.Target("3", "keras-version in [tool.archlint]")
    assert keras_target.resolve(None, None, path).version == "2"


def test_config_key(tmp_path):
    good = tmp_path / "pyproject.toml"
    good.write_text('[tool.archlint]\nkeras-version = "2"\n')
    assert load_config(str(good), ["AL105"]).keras_version == "2"
    good.write_text('[tool.archlint]\nkeras-version = 3\n')
    assert load_config(str(good), ["AL105"]).keras_version == "3"
    good.write_text('[tool.archlint]\nkeras-version = "2.15"\n')
    with pytest.raises(ConfigError, match="keras-version"):
        load_config(str(good), ["AL105"])


def test_cli_flag_switches_the_verdict(tmp_path, capsys):
    path = tmp_path / "pooling.py"
    path.write_text("import keras\nmodel = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.AveragePooling2D()])\n")
    keras_target._directory_target.cache_clear()
    assert main(["check", "--select", "AL1", str(path)]) == 1
    assert "AL105" in capsys.readouterr().out
    assert main(["check", "--select", "AL1", "--keras-version", "2", str(path)]) == 0
    capsys.readouterr()
    assert main(["check", "--keras-version", "2", str(path)]) == 1
    out = capsys.readouterr().out
    assert "AL401" in out and "`pool_size=(2, 2)`" in out and "AL105" not in out


def test_setup_py_is_parsed_not_run(tmp_path):
    path = _project(tmp_path, {"setup.py": (
        "import sys\nsys.exit('never run')\nfrom setuptools import setup\n"
        "setup(name='x', install_requires=['numpy', 'keras>=2.2,<2.4'], extras_require={'gpu': ['tensorflow-gpu']})\n"
    )})
    assert keras_target.resolve(None, None, path) == keras_target.Target("2", "setup.py: keras>=2.2,<2.4")
