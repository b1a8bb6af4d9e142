"""The content cache of check results: a hit gives the same report without loading the
parser; a change to the file, to a project module it imports or to the settings is a miss;
--no-cache, --cache-dir and `archlint clean`; concurrent runs and damaged entries."""

import subprocess
import sys
from pathlib import Path

MODEL = ("import keras\nfrom keras import layers\nfrom helper import block\n\n"
         "inputs = keras.Input((8, 8, 3))\nx = layers.Conv2D(4, 3)(inputs)\nx = layers.BatchNormalization()(x)\n"
         "model = keras.Model(inputs, block(x))\n")
HELPER = ("from keras import layers\n\n\ndef block(x):\n"
          "    x = layers.Conv2D(4, 3, padding=\"same\")(x)\n    return layers.BatchNormalization()(x)\n")


def check(directory: Path, *flags, env_cache=None, importtime=False):
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "archlint", "check", *flags, "model.py"]
    env = None
    if env_cache is not None:
        import os

        env = {**os.environ, "ARCHLINT_CACHE_DIR": str(env_cache)}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=directory, env=env)


def _project(tmp_path):
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "helper.py").write_text(HELPER)
    return tmp_path / "cache"


def test_a_hit_is_the_same_report_without_the_parser(tmp_path):
    cache = _project(tmp_path)
    first = check(tmp_path, env_cache=cache)
    assert first.stdout.count("AL201") == 2
    second = check(tmp_path, env_cache=cache, importtime=True)
    assert second.stdout == first.stdout and second.returncode == first.returncode
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time:")}
    assert "libcst" not in imported and "rich" not in imported
    assert (cache / "CACHEDIR.TAG").exists() and (cache / ".gitignore").read_text() == "*\n"


def test_changes_to_the_file_its_imports_or_the_settings_are_misses(tmp_path):
    cache = _project(tmp_path)
    check(tmp_path, env_cache=cache)
    (tmp_path / "helper.py").write_text(HELPER.replace('padding="same"', 'padding="same", use_bias=False'))
    after_helper = check(tmp_path, env_cache=cache)
    assert after_helper.stdout.count("AL201") == 1 and "helper.py" not in after_helper.stdout
    (tmp_path / "model.py").write_text(MODEL.replace("Conv2D(4, 3)", "Conv2D(4, 3, use_bias=False)"))
    assert "AL201" not in check(tmp_path, env_cache=cache).stdout
    (tmp_path / "model.py").write_text(MODEL)
    assert check(tmp_path, "--select", "AL3", env_cache=cache).stdout.count("AL201") == 0
    assert check(tmp_path, env_cache=cache).stdout.count("AL201") == 1


def test_no_cache_cache_dir_and_clean(tmp_path):
    cache = _project(tmp_path)
    check(tmp_path, "--no-cache", env_cache=cache)
    assert not cache.exists()
    elsewhere = tmp_path / "elsewhere"
    check(tmp_path, "--cache-dir", str(elsewhere), env_cache=cache)
    assert elsewhere.is_dir() and not cache.exists()
    done = subprocess.run([sys.executable, "-m", "archlint", "clean", "--cache-dir", str(elsewhere)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not elsewhere.exists() and "removed" in done.stderr
    (tmp_path / "not_a_cache").mkdir()
    done = subprocess.run([sys.executable, "-m", "archlint", "clean", "--cache-dir", str(tmp_path / "not_a_cache")],
                          capture_output=True, text=True, timeout=120)
    assert (tmp_path / "not_a_cache").exists() and "no cache" in done.stderr  # only a directory it made


def test_concurrent_runs_and_damaged_entries(tmp_path):
    import os

    cache = _project(tmp_path)
    env = {**os.environ, "ARCHLINT_CACHE_DIR": str(cache)}
    runs = [subprocess.Popen([sys.executable, "-m", "archlint", "check", "model.py"], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert len({out for out, _ in outputs}) == 1 and all("Traceback" not in err for _, err in outputs)
    for entry in cache.rglob("*.json"):
        entry.write_text("{ half an entry")
    damaged = check(tmp_path, env_cache=cache)
    assert damaged.stdout == outputs[0][0] and "Traceback" not in damaged.stderr
