"""Test set-up: real Keras runs on the numpy backend; summaries are laid out 200 columns wide."""

import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ["COLUMNS"] = "200"
sys.path.insert(0, str(Path(__file__).resolve().parent))
