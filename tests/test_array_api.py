"""The estimators on arrays of other libraries, through scikit-learn's array API
dispatch: array-api-strict (numpy's random stream, so the same model as on
numpy) and PyTorch on the CPU (its own stream: statistics and exact answers).

scikit-learn's own checks (namespace, device, dtype and shape of every fitted
attribute and method result, mixed namespaces, a fitted model refusing another
namespace) run for every estimator in tests/test_common.py, whose tags declare
``array_api_support``. Here: values equal to numpy's (array-api-strict, through
``check_array_api_input_and_values``, as scikit-learn's own tests run it, and
on data where every method of each estimator does real work), the methods
outside scikit-learn's list (``sample``, ``gibbs``, ``free_energy``,
``log_partition``, ``inverse_transform``...), exact answers on PyTorch,
reproducibility, labels, and that a training loop does not wait for the host.
"""

import os
import pickle

import numpy as np
import pytest
import rbm_brute as brute
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_array_api_input_and_values

import skdeep
from skdeep._kernels.backend import device, get_namespace, to_numpy

xs = pytest.importorskip("array_api_strict")
torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(os.environ.get("SCIPY_ARRAY_API") != "1",
                                reason="array API dispatch needs SCIPY_ARRAY_API=1")

#: float64 results of the numpy and array-api-strict paths: the same operations
#: in the same order on the same random numbers, but numpy's fast paths
#: (``einsum``, scipy's ``expit``, fused buffers) round differently from the
#: standard's functions: a few ulps per operation, grown by training to ~1e-12
RTOL = 1e-9

#: small, fast settings; each estimator with its fit arguments
ESTIMATORS = {
    "BernoulliRBM": (skdeep.BernoulliRBM(n_components=6, n_iter=4, batch_size=20,
                                         momentum="hinton", weight_decay=1e-3,
                                         random_state=0), "X"),
    "GaussianBernoulliRBM": (skdeep.GaussianBernoulliRBM(n_components=6, n_iter=4,
                                                         batch_size=20, method="cd",
                                                         random_state=0), "Xs"),
    "DBN": (skdeep.DBN(hidden_layer_sizes=(12, 6), n_iter=3, random_state=0), "X"),
    "Autoencoder": (skdeep.Autoencoder(n_components=6, n_iter=4, noise="masking",
                                       tied=False, random_state=0), "X"),
    "DBNAutoencoder": (skdeep.DBNAutoencoder(hidden_layer_sizes=(12, 3), pretrain_n_iter=2,
                                             max_iter=4, dropout=0.1, random_state=0), "X"),
    "DBNClassifier": (skdeep.DBNClassifier(hidden_layer_sizes=(12,), pretraining="rbm",
                                           pretrain_n_iter=2, max_iter=6, dropout=0.1,
                                           batch_normalization=True, early_stopping=True,
                                           n_iter_no_change=2, random_state=0), "Xy"),
    "DBNRegressor": (skdeep.DBNRegressor(hidden_layer_sizes=(12,), pretrain_n_iter=2,
                                         max_iter=6, optimizer="radam",
                                         random_state=0), "Xt"),
    "VariationalAutoencoder": (skdeep.VariationalAutoencoder(
        encoder_layer_sizes=(12,), n_components=2, max_iter=4, early_stopping=True,
        n_importance_samples=3, random_state=0), "X"),
}

#: outputs of each estimator beyond scikit-learn's method list
EXTRA_METHODS = {
    "BernoulliRBM": ["free_energy", "pseudo_likelihood", "score_samples", "sample", "gibbs"],
    "GaussianBernoulliRBM": ["free_energy", "score_samples", "sample", "gibbs"],
    "DBN": ["sample"],
    "Autoencoder": ["inverse_transform", "score_samples"],
    "DBNAutoencoder": ["inverse_transform", "score_samples"],
    "DBNClassifier": ["predict_proba", "predict_log_proba"],
    "DBNRegressor": [],
    "VariationalAutoencoder": ["inverse_transform", "score_samples", "sample"],
}


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny arrays: PyTorch's thread pool would only spin."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def data():
    """120 digits in [0, 1] with labels (two marked unlabeled), standardized
    copies and a real target."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, y = X[:120] / 16.0, y[:120] % 3
    Xs = (X - X.mean(axis=0)) / (X.std(axis=0) + 1.0)
    return {"X": X, "Xs": Xs, "y": y, "t": X @ np.linspace(-1, 1, X.shape[1])}


def fit_args(kind, data):
    return {"X": (data["X"],), "Xs": (data["Xs"],), "Xy": (data["X"], data["y"]),
            "Xt": (data["X"], data["t"])}[kind]


def strict(a):
    return xs.asarray(a, device=xs.Device("device1"))


def cpu_tensor(a):
    return torch.asarray(a)


def fit_in(to, name, data, **params):
    """The estimator ``name`` fitted on ``to`` of the data, dispatch on."""
    est, kind = ESTIMATORS[name]
    args = [to(a) for a in fit_args(kind, data)]
    with sklearn.config_context(array_api_dispatch=True):
        return clone(est).set_params(**params).fit(*args), args[0]


def call(est, method, X):
    """``est.method`` on ``X`` (dispatch on); samplers draw 5 from seed 0."""
    with sklearn.config_context(array_api_dispatch=True):
        if method == "sample":
            return (est.sample(5, random_state=0)
                    if est.__class__.__name__ == "VariationalAutoencoder"
                    else est.sample(5, n_steps=3, random_state=0))
        if method == "inverse_transform":
            return est.inverse_transform(est.transform(X))
        return getattr(est, method)(X)


def fitted_arrays(est):
    """Every array the estimator holds (lists of arrays too), by name."""
    found = {}
    for key, value in vars(est).items():
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            if hasattr(v, "shape") and hasattr(v, "dtype") and not isinstance(v, str):
                found[f"{key}[{i}]"] = v
    return found


# ------------------------------------------------ scikit-learn's values check
# (its data are outside [0, 1]: the range warning is expected there)
@pytest.mark.filterwarnings("ignore::skdeep._training.InputRangeWarning")
@pytest.mark.parametrize("name", list(ESTIMATORS))
@pytest.mark.parametrize("device_name, dtype_name", [("CPU_DEVICE", "float64"),
                                                     ("device1", "float32")])
def test_sklearn_values_check_on_array_api_strict(name, device_name, dtype_name):
    # scikit-learn's own values check: every fitted attribute and method result
    # within _atol_for_type of numpy's (2e-13 in float64, 1.2e-4 in float32)
    est = ESTIMATORS[name][0]
    check_array_api_input_and_values(name, est, array_namespace="array_api_strict",
                                     device_name=device_name, dtype_name=dtype_name)


# ------------------------------------------- array-api-strict: numpy's models
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_array_api_strict_fits_numpys_model(name, data):
    est, kind = ESTIMATORS[name]
    reference = clone(est).fit(*fit_args(kind, data))
    fitted, X = fit_in(strict, name, data)
    ref_arrays, arrays = fitted_arrays(reference), fitted_arrays(fitted)
    assert ref_arrays.keys() == arrays.keys()
    for key, a in arrays.items():
        if key.startswith("classes_"):
            continue
        assert get_namespace(a).__name__ == "array_api_strict", key
        assert device(a) == xs.Device("device1"), key
        assert_allclose(to_numpy(a), ref_arrays[key], rtol=RTOL, atol=1e-12, err_msg=key)
    assert_allclose(fitted.loss_curve_ if hasattr(fitted, "loss_curve_") else 0,
                    reference.loss_curve_ if hasattr(reference, "loss_curve_") else 0,
                    rtol=RTOL)
    for method in ["transform", "predict", *EXTRA_METHODS[name]]:
        if not hasattr(fitted, method):
            continue
        result = call(fitted, method, X)
        assert get_namespace(result).__name__ == "array_api_strict", method
        assert device(result) == xs.Device("device1"), method
        expected = call(reference, method, fit_args(kind, data)[0])
        assert_allclose(to_numpy(result), expected, rtol=RTOL, atol=1e-10, err_msg=method)


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_array_api_strict_sample_weights_fit_numpys_model(name, data):
    est, kind = ESTIMATORS[name]
    args = fit_args(kind, data)
    w = np.random.default_rng(0).integers(0, 3, len(args[0])).astype(float)
    reference = clone(est).fit(*args, sample_weight=w)
    with sklearn.config_context(array_api_dispatch=True):
        fitted = clone(est).fit(*[strict(a) for a in args], sample_weight=strict(w))
    for key, a in fitted_arrays(fitted).items():
        assert_allclose(to_numpy(a), fitted_arrays(reference)[key], rtol=RTOL, atol=1e-12,
                        err_msg=key)
    if hasattr(reference, "loss_curve_"):
        assert_allclose(fitted.loss_curve_, reference.loss_curve_, rtol=RTOL)


def test_array_api_strict_log_partition_and_pcd_partial_fit(data):
    X = data["X"]
    ref = clone(ESTIMATORS["BernoulliRBM"][0])
    with sklearn.config_context(array_api_dispatch=True):
        rbm = clone(ref)
        for _ in range(3):
            rbm.partial_fit(strict(X))
        for _ in range(3):
            ref.partial_fit(X)
        assert_allclose(to_numpy(rbm.h_samples_), ref.h_samples_)
        assert_allclose(to_numpy(rbm.components_), ref.components_, rtol=RTOL)
        exact, exact_ref = rbm.log_partition("exact"), ref.log_partition("exact")
        ais = rbm.log_partition("ais", n_runs=10, n_betas=200, random_state=0)
        ais_ref = ref.log_partition("ais", n_runs=10, n_betas=200, random_state=0)
    assert_allclose(exact.log_z, exact_ref.log_z, rtol=1e-12)
    assert_allclose(ais.log_z, ais_ref.log_z, rtol=1e-10)  # the same AIS runs


# ------------------------------------------------------- PyTorch: exact answers
@pytest.mark.parametrize("cls, key", [(skdeep.BernoulliRBM, "X"),
                                      (skdeep.GaussianBernoulliRBM, "Xs")])
def test_torch_rbm_log_z_and_free_energy_match_enumeration(cls, key, data):
    X = data[key][:, :10] if key == "X" else data[key][:, :5]
    with sklearn.config_context(array_api_dispatch=True):
        rbm = cls(n_components=8, n_iter=5, batch_size=20, random_state=0).fit(
            cpu_tensor(X))
        log_z = rbm.log_partition("exact").log_z
        free = rbm.free_energy(cpu_tensor(X))
        log_p = rbm.score_samples(cpu_tensor(X))
    assert isinstance(free, torch.Tensor) and isinstance(log_z, float)
    W, b, c = (to_numpy(a) for a in (rbm.components_, rbm.intercept_visible_,
                                     rbm.intercept_hidden_))
    if cls is skdeep.BernoulliRBM:  # enumeration of both layers (rbm_brute)
        expected_z, expected_f = brute.log_z(W, b, c), brute.free_energy(X, W, b, c)
    else:  # Gaussian visibles: F(v) closed form, log Z summed over the hidden states
        H = brute.states(W.shape[0])
        expected_f = (0.5 * ((X - b) ** 2).sum(axis=1)
                      - np.logaddexp(0, X @ W.T + c).sum(axis=1))
        m = b + H @ W  # integral over v of exp(-||v - b||^2/2 + h W v + c h)
        log_terms = H @ c + 0.5 * ((m ** 2).sum(axis=1) - b @ b) + 0.5 * len(b) * np.log(2 * np.pi)
        expected_z = float(np.logaddexp.reduce(log_terms))
    # float64 on both sides: summation orders differ, nothing else
    assert_allclose(log_z, expected_z, rtol=1e-12)
    assert_allclose(to_numpy(free), expected_f, rtol=1e-10, atol=1e-10)
    assert_allclose(to_numpy(log_p), -expected_f - expected_z, rtol=1e-10, atol=1e-10)


def test_torch_rbm_trains_as_well_as_numpy(data, tiny_binary):
    # different random streams: compare the exact log-likelihood reached. 30
    # epochs of CD-1 on 200 rows of 8 bits reach -3.27 to -3.20 nats on either
    # library (seeds 0-4 of each), so two seeds differ by less than 0.1
    X = tiny_binary
    params = dict(n_components=6, n_iter=30, batch_size=10, learning_rate=0.1,
                  method="cd", random_state=0)
    ref = skdeep.BernoulliRBM(**params).fit(X)
    with sklearn.config_context(array_api_dispatch=True):
        rbm = skdeep.BernoulliRBM(**params).fit(cpu_tensor(X))
        score = rbm.score(cpu_tensor(X))
    untrained = skdeep.BernoulliRBM(**{**params, "n_iter": 0}).fit(X).score(X)
    assert score > untrained + 0.5
    assert abs(score - ref.score(X)) < 0.1


def test_torch_classifier_learns_with_labels_on_the_device(data):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, y = X[:600] / 16.0, y[:600]
    y_partial = y.copy()
    y_partial[::3] = -1  # a third unlabeled: pre-training only
    params = dict(hidden_layer_sizes=(32,), pretraining="autoencoder", pretrain_n_iter=3,
                  learning_rate_init=0.01, max_iter=30, random_state=0)
    ref = skdeep.DBNClassifier(**params).fit(X, y_partial)
    with sklearn.config_context(array_api_dispatch=True):
        clf = skdeep.DBNClassifier(**params).fit(cpu_tensor(X), cpu_tensor(y_partial))
        pred = clf.predict(cpu_tensor(X))
        accuracy = clf.score(cpu_tensor(X), cpu_tensor(y))
    assert isinstance(clf.classes_, torch.Tensor)
    assert_array_equal(to_numpy(clf.classes_), np.arange(10))  # the marker is no class
    assert isinstance(pred, torch.Tensor) and pred.dtype == torch.int64
    # different streams: seeds 0-2 score 0.977-0.990 on either library
    assert accuracy > 0.95 and abs(accuracy - ref.score(X, y)) < 0.03


def test_string_labels_stay_numpy_with_torch_input(data):
    X, y = data["X"], np.array(["a", "b", "c"])[data["y"]]
    with sklearn.config_context(array_api_dispatch=True):
        clf = clone(ESTIMATORS["DBNClassifier"][0]).set_params(early_stopping=False).fit(
            cpu_tensor(X), y)
        pred = clf.predict(cpu_tensor(X))
    assert isinstance(clf.classes_, np.ndarray) and isinstance(pred, np.ndarray)
    assert set(pred) <= {"a", "b", "c"}


def test_torch_regressor_target_scale_on_the_device(data):
    with sklearn.config_context(array_api_dispatch=True):
        reg, X = fit_in(cpu_tensor, "DBNRegressor", data)
        pred = reg.predict(X)
    t = data["t"]
    assert isinstance(reg.target_mean_, torch.Tensor)
    assert_allclose(to_numpy(reg.target_mean_), [t.mean()], rtol=1e-12)
    assert_allclose(to_numpy(reg.target_scale_), [t.std()], rtol=1e-12)
    assert pred.shape == (X.shape[0],) and isinstance(pred, torch.Tensor)


# --------------------------------------------- PyTorch: outputs, reproducibility
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_torch_fit_is_reproducible_and_outputs_stay_torch(name, data):
    first, X = fit_in(cpu_tensor, name, data)
    second, _ = fit_in(cpu_tensor, name, data)
    a, b = fitted_arrays(first), fitted_arrays(second)
    assert a.keys() == b.keys()
    for key in a:
        assert_array_equal(to_numpy(a[key]), to_numpy(b[key]), err_msg=key)
        if not key.startswith("classes_"):
            assert isinstance(a[key], torch.Tensor), key
    for method in ["transform", "predict", *EXTRA_METHODS[name]]:
        if hasattr(first, method):
            result = call(first, method, X)
            assert isinstance(result, torch.Tensor), method
            assert result.dtype in (torch.float64, torch.int64), method
            assert_array_equal(to_numpy(result), to_numpy(call(second, method, X)),
                               err_msg=method)
    clone_ = pickle.loads(pickle.dumps(first))  # the device generator pickles
    if hasattr(first, "partial_fit") and name != "DBNClassifier":
        args = [cpu_tensor(a) for a in fit_args(ESTIMATORS[name][1], data)]
        with sklearn.config_context(array_api_dispatch=True):
            first.partial_fit(*args)
            clone_.partial_fit(*args)
        for key, value in fitted_arrays(first).items():
            assert_array_equal(to_numpy(value), to_numpy(fitted_arrays(clone_)[key]))


def test_float32_tensors_fit_float32_models(data):
    with sklearn.config_context(array_api_dispatch=True):
        X = torch.asarray(data["X"], dtype=torch.float32)
        rbm = skdeep.BernoulliRBM(n_components=4, n_iter=2, random_state=0).fit(X)
        H = rbm.transform(X)
        # integer input becomes float64 on the host (float32 on an accelerator)
        ints = skdeep.BernoulliRBM(n_components=4, n_iter=2, random_state=0).fit(
            torch.asarray(data["X"] > 0.5, dtype=torch.int64))
    assert rbm.components_.dtype == H.dtype == torch.float32
    assert ints.components_.dtype == torch.float64


# ------------------------------------------------------------ dispatch off/on
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_numpy_input_gives_the_same_bits_with_dispatch_on_or_off(name, data):
    est, kind = ESTIMATORS[name]
    args = fit_args(kind, data)
    off = clone(est).fit(*args)
    with sklearn.config_context(array_api_dispatch=True):
        on = clone(est).fit(*args)
    a, b = fitted_arrays(off), fitted_arrays(on)
    assert a.keys() == b.keys()
    for key in a:
        assert type(b[key]) is np.ndarray, key
        assert_array_equal(a[key], b[key], err_msg=key)
    assert getattr(off, "loss_curve_", None) == getattr(on, "loss_curve_", None)


def test_a_torch_model_refuses_numpy_input_naming_the_method(data):
    rbm, _ = fit_in(cpu_tensor, "BernoulliRBM", data)
    with sklearn.config_context(array_api_dispatch=True):
        with pytest.raises(ValueError, match=r"BernoulliRBM.free_energy\(\) must use the same"):
            rbm.free_energy(data["X"])
        with pytest.raises(ValueError, match=r"BernoulliRBM.partial_fit\(\) must use the same"):
            rbm.partial_fit(data["X"])


# ------------------------------------------------- no host round trip per batch
class HostTransfers:
    """Counts the calls through which PyTorch hands a value to the host."""

    NAMES = ("item", "tolist", "numpy", "cpu", "__float__", "__int__", "__bool__")

    def __init__(self, monkeypatch):
        self.count = 0
        for name in self.NAMES:
            original = getattr(torch.Tensor, name)

            def counted(tensor, *args, _original=original, **kwargs):
                self.count += 1
                return _original(tensor, *args, **kwargs)

            monkeypatch.setattr(torch.Tensor, name, counted)


@pytest.mark.parametrize("name, params", [
    ("BernoulliRBM", {"method": "pcd"}),
    ("BernoulliRBM", {"method": "cd", "k": 2}),
    ("GaussianBernoulliRBM", {}),
    ("Autoencoder", {}),
    ("DBNClassifier", {"pretraining": "denoising", "early_stopping": False}),
    ("DBNClassifier", {"pretraining": None, "early_stopping": True, "alpha": 1e-3,
                       "sample_weight": True}),
    ("DBNRegressor", {}),
    ("VariationalAutoencoder", {"early_stopping": False}),
])
def test_host_transfers_do_not_grow_with_the_number_of_minibatches(name, params, data,
                                                                   monkeypatch):
    # the same epochs in 4 times as many minibatches: as many transfers to the
    # host (the epoch's loss and the divergence check's maxima, once per epoch)
    counts = []
    with monkeypatch.context() as patch:
        transfers = HostTransfers(patch)
        weighted = params.pop("sample_weight", False)
        for batch_size in (40, 10):
            key = "pretrain_batch_size" if name.startswith("DBN") else "batch_size"
            transfers.count = 0
            est, kind = ESTIMATORS[name]
            est = clone(est).set_params(**params, **{key: batch_size}, **(
                {"batch_size": batch_size} if name.startswith("DBN") else {}))
            args = [cpu_tensor(a) for a in fit_args(kind, data)]
            fit_params = {"sample_weight": cpu_tensor(np.arange(len(args[0])) % 3 + 0.5)
                          } if weighted else {}
            with sklearn.config_context(array_api_dispatch=True):
                est.fit(*args, **fit_params)
            counts.append(transfers.count)
    assert 0 < counts[0] == counts[1], counts


# ------------------------------------------------------------- the docs' example
def test_the_gpu_page_example_on_cpu_tensors():
    # doc/gpu.rst's example, at a tenth of its size, on CPU tensors
    from sklearn.datasets import load_digits

    X, _ = load_digits(return_X_y=True)
    with sklearn.config_context(array_api_dispatch=True):
        X = torch.asarray(X[:300] / 16.0, dtype=torch.float32, device="cpu")
        rbm = skdeep.BernoulliRBM(n_components=32, learning_rate=0.05, batch_size=100,
                                  n_iter=2, random_state=0)
        rbm.fit(X)
        H = rbm.transform(X)
        score = rbm.log_partition("ais", n_runs=10, n_betas=100, random_state=0).log_z
        samples = rbm.sample(4, n_steps=5)
        clf = skdeep.DBNClassifier(hidden_layer_sizes=(16,), pretrain_n_iter=1, max_iter=2,
                                   random_state=0).fit(X, torch.arange(300) % 10)
        proba = clf.predict_proba(X)
    assert H.dtype == torch.float32 and H.device == X.device
    assert rbm.components_.device == X.device
    assert isinstance(score, float) and np.isfinite(score)
    assert samples.shape == (4, 64) and isinstance(proba, torch.Tensor)
