"""Datasets: MNIST and Fashion-MNIST readers (no downloads) and binarization."""

from ._idx import DatasetFileError, read_idx
from ._loaders import binarize, load_fashion_mnist, load_mnist

__all__ = ["DatasetFileError", "binarize", "load_fashion_mnist", "load_mnist", "read_idx"]
