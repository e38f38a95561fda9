"""The kernels on arrays of other libraries: array-api-strict and PyTorch.

Each kernel runs on array-api-strict arrays (on its second device, so that a
result made on the default device would fail) and on PyTorch tensors (on the
CPU, and on CUDA where there is one), and is checked against exact answers
(enumeration, closed forms, PyTorch's automatic differentiation) or against
the numpy path fed the same random numbers, whose own correctness the other
test files establish. Results must stay in the input's namespace and on its
device. The random seam is checked for reproducibility, device and moments.
"""

import pickle

import numpy as np
import pytest
import rbm_brute as brute
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit, logsumexp
from test_optimizers import HAND

from skdeep._kernels import backend, draws, partition, rbm, vae
from skdeep._kernels.activations import ACTIVATIONS, DERIVATIVES
from skdeep._kernels.init import INITS
from skdeep._kernels.losses import LOSSES
from skdeep._kernels.network import BatchNorm, forward, loss_and_gradients
from skdeep._kernels.noise import NOISES
from skdeep._kernels.optimizers import OPTIMIZERS, conjugate_gradient
from skdeep._kernels.units import UNITS, softplus

#: float64 results of the same operations in another library agree to a few
#: hundred ulps (different summation orders in matrix products and reductions)
RTOL = 1e-11


def _torch_devices():
    try:
        import torch
    except ImportError:
        return ["cpu"]
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


class Library:
    """Converts numpy arrays to one library's arrays on one device and back."""

    def __init__(self, name):
        self.name = name
        if name == "array_api_strict":
            xs = pytest.importorskip("array_api_strict")
            self.device = xs.Device("device1")
            self._to = lambda a: xs.asarray(a, device=self.device)
        else:
            torch = pytest.importorskip("torch")
            self.device = torch.device(name.split("-")[1])
            self._to = lambda a: torch.asarray(a, device=self.device)

    def __call__(self, *arrays):
        out = [self._to(np.array(a)) for a in arrays]  # a copy: kernels work in place
        return out[0] if len(out) == 1 else out

    def check(self, *arrays):
        """The arrays are this library's, on this device; returns them as numpy."""
        out = []
        for a in arrays:
            assert backend.get_namespace(a) is not np, type(a)
            assert backend.device(a) == self.device
            out.append(backend.to_numpy(a))
        return out[0] if len(out) == 1 else out

    def generator(self, seed):
        return draws.generator(seed, like=self(np.zeros(1)))


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """The arrays here are tiny: PyTorch's thread pool would only spin (and slow
    down 10-fold on a loaded machine)."""
    try:
        import torch
    except ImportError:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(params=["array_api_strict"] + [f"torch-{d}" for d in _torch_devices()])
def lib(request):
    return Library(request.param)


@pytest.fixture
def torch_lib():
    torch = pytest.importorskip("torch")
    return Library("torch-cuda" if torch.cuda.is_available() else "torch-cpu")


@pytest.fixture
def params(rng):
    return brute.random_params(6, 4, rng)


# ------------------------------------------------------------- the namespace seam
def test_numpy_inputs_get_numpy_itself():
    import scipy.sparse as sp

    a = np.zeros((2, 2), dtype=np.float32)
    assert backend.get_namespace(a, None, 1.0, np.float32(1), sp.csr_matrix(a)) is np
    assert backend.device(a) == "cpu"
    assert backend.widest_float(np) == np.float64 == backend.default_float(np)


def test_namespace_device_and_new_arrays_follow_the_input(lib):
    x = lib(np.arange(6.0).reshape(2, 3))
    xp = backend.get_namespace(x)
    for made in (backend.empty((2, 2), x.dtype, like=x), backend.zeros(3, x.dtype, like=x),
                 backend.full(3, 2.0, x.dtype, like=x), backend.asarray([1.0, 2.0], like=x),
                 backend.copy(x), backend.concat([x, x]), backend.reshape(x, (3, 2)),
                 backend.astype(x, xp.float32)):
        lib.check(made)
    assert_array_equal(lib.check(backend.full(3, 2.0, x.dtype, like=x)), [2.0, 2.0, 2.0])


def test_out_argument_writes_into_the_buffer(lib):
    x = lib(np.array([[0.0, 1.0], [-1.0, 2.0]]))
    xp = backend.get_namespace(x)
    buf = xp.empty_like(x)
    assert xp.exp(x, out=buf) is buf
    assert_allclose(lib.check(buf), np.exp([[0.0, 1.0], [-1.0, 2.0]]), rtol=1e-15)
    # a comparison written into a float buffer becomes 0/1
    xp.less(x, 0.5, out=buf)
    assert_array_equal(lib.check(buf), [[1.0, 0.0], [1.0, 0.0]])


def test_float_dtypes_of_a_device_without_float64():
    xs = pytest.importorskip("array_api_strict")
    dev = xs.Device("no_float64")
    xp = backend.get_namespace(xs.asarray([1.0], dtype=xs.float32, device=dev))
    assert backend.widest_float(xp, dev) == xs.float32
    assert backend.default_float(xp, dev) == xs.float32
    assert backend.is_cpu("cpu") and not backend.is_cpu("cuda:0")


def test_special_functions_match_scipy(lib, rng):
    x = rng.standard_normal((4, 5)) * 10
    x[0] = -np.inf  # a row of zeros in probability space
    for axis in (None, 1):
        got = lib.check(backend.logsumexp(lib(x[1:]), axis=axis))
        assert_allclose(got, logsumexp(x[1:], axis=axis), rtol=1e-14)
    with np.errstate(divide="ignore"):  # array-api-strict's log(0) of the -inf row
        assert_array_equal(lib.check(backend.logsumexp(lib(x), axis=1))[0], -np.inf)
    y = np.array([0.0, 0.5, 2.0])
    with np.errstate(divide="ignore", invalid="ignore"):  # array-api-strict's log(0)
        got = lib.check(backend.xlogy(lib([0.0, 1.0, 3.0]), lib(y)))
    assert_allclose(got, [0.0, np.log(0.5), 3 * np.log(2.0)], rtol=1e-15)
    assert_allclose(lib.check(backend.expit(lib(x[1:]))), expit(x[1:]), rtol=1e-14)
    a, b = rng.standard_normal((2, 3, 4))
    for axis, expected in ((1, (a * b).sum(1)), (0, (a * b).sum(0)), (None, (a * b).sum())):
        assert_allclose(lib.check(backend.vecdot(lib(a), lib(b), axis=axis)), expected,
                        rtol=1e-14)


def test_numpy_fast_paths_are_the_closed_forms_bit_for_bit(rng):
    # the numpy path is exactly these numpy operations (no change of rounding)
    for dtype in (np.float32, np.float64):
        x = (rng.standard_normal(1000) * 20).astype(dtype)
        with np.errstate(over="ignore"):
            assert_array_equal(UNITS["bernoulli"].mean(x.copy()), 1 / (1 + np.exp(-x)))
        assert_array_equal(softplus(x), np.log(np.exp(-np.abs(x)) + 1) + np.maximum(x, 0))


# ------------------------------------------------------------- the random seam
def test_a_seed_gives_the_same_draws(lib):
    def some_draws(rng):
        like = lib(np.zeros(1, dtype=np.float32))
        filled = draws.uniform(rng, lib(np.empty((3, 4), dtype=np.float32)))
        normal = draws.standard_normal(rng, lib(np.empty(5)))
        return [lib.check(a) for a in (
            filled, normal, draws.random(rng, (4,), like.dtype, like=like),
            draws.normal(rng, (2, 2), like=like), draws.uniform_range(rng, -1, 1, (3,)),
            draws.permutation(rng, 7))]

    first, again, other = (some_draws(lib.generator(s)) for s in (0, 0, 1))
    for a, b, c in zip(first, again, other):
        assert_array_equal(a, b)
        assert not np.array_equal(a, c)


def test_draws_have_the_right_moments(lib):
    # 200000 draws: each mean within 5 standard errors, each variance within 5
    # standard deviations of the sample variance (4th moments 1/80 and 3)
    n = 200_000
    rng = lib.generator(0)
    like = lib(np.zeros(1, dtype=np.float32))
    u = lib.check(draws.random(rng, (n,), like.dtype, like=like))
    assert u.dtype == np.float32 and 0 <= u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / n)
    assert abs(u.var() - 1 / 12) < 5 * np.sqrt((1 / 80 - 1 / 144) / n)
    z = lib.check(draws.normal(rng, (n,)))
    assert z.dtype == np.float64
    assert abs(z.mean()) < 5 / np.sqrt(n) and abs(z.var() - 1) < 5 * np.sqrt(2 / n)
    r = lib.check(draws.uniform_range(rng, -2.0, 3.0, (n,)))
    assert -2 <= r.min() and r.max() < 3 and abs(r.mean() - 0.5) < 5 * np.sqrt(25 / 12 / n)
    assert_array_equal(np.sort(lib.check(draws.permutation(rng, 1000))), np.arange(1000))
    p = lib(np.full((n // 10, 10), 0.3))
    noise = backend.empty(p.shape, backend.get_namespace(p).float32, like=p)
    b = lib.check(draws.bernoulli(rng, p, backend.get_namespace(p).empty_like(p), noise))
    assert set(np.unique(b)) == {0.0, 1.0} and abs(b.mean() - 0.3) < 5 * np.sqrt(0.21 / n)


def test_numpy_generator_gives_numpys_numbers_on_any_library(lib):
    # the same float32 fast path and the same normal draws as numpy, copied over
    expected = draws.uniform(np.random.default_rng(3), np.empty((5, 3), dtype=np.float32))
    got = draws.uniform(np.random.default_rng(3), lib(np.empty((5, 3), dtype=np.float32)))
    assert_array_equal(lib.check(got), expected)
    rng = np.random.default_rng(4)
    assert draws.generator(rng) is rng and draws.generator(rng, like=np.zeros(1)) is rng
    assert_array_equal(lib.check(draws.normal(np.random.default_rng(5), (4,), like=lib([0.0]))),
                       np.random.default_rng(5).standard_normal(4))


def test_generator_pickles_with_its_state(lib):
    rng = lib.generator(0)
    draws.normal(rng, (3,))
    copy = pickle.loads(pickle.dumps(rng))
    assert_array_equal(lib.check(draws.normal(rng, (5,))), lib.check(draws.normal(copy, (5,))))
    seeds = rng.integers(2**31 - 1, size=3)
    assert isinstance(seeds, np.ndarray) and seeds.shape == (3,)


# ------------------------------------------------------------------ RBM kernels
@pytest.mark.parametrize("unit", ["bernoulli", "gaussian"])
def test_units_match_closed_forms(lib, unit, rng):
    u = UNITS[unit]
    x = rng.standard_normal((5, 3)) * 3
    a = rng.standard_normal(3)
    mean = expit(x) if unit == "bernoulli" else x
    assert_allclose(lib.check(u.mean(lib(x))), mean, rtol=1e-14)
    if unit == "bernoulli":
        energy, marginal = -(x @ a), np.logaddexp(0, x).sum(1)
    else:
        energy = 0.5 * ((x - a) ** 2).sum(1)
        marginal = 0.5 * ((x**2).sum(1) - a @ a) + 1.5 * np.log(2 * np.pi)
    assert_allclose(lib.check(u.energy(lib(x), lib(a))), energy, rtol=1e-13)
    assert_allclose(lib.check(u.log_marginal(lib(x), lib(a))), marginal, rtol=1e-13)
    # the same draws give the same sample
    expected = rbm.sample_units(mean, np.random.default_rng(0), unit)
    got = lib.check(rbm.sample_units(lib(mean), np.random.default_rng(0), unit))
    assert_allclose(got, expected, rtol=1e-15)


def test_rbm_quantities_match_enumeration(lib, params):
    W, b, c = params
    V = brute.states(6)
    Wx, bx, cx, Vx = lib(W, b, c, V)
    assert_allclose(lib.check(rbm.free_energy(Vx, Wx, bx, cx)), brute.free_energy(V, W, b, c),
                    rtol=1e-12)
    assert_allclose(lib.check(rbm.hidden_mean(Vx, Wx, cx)), brute.hidden_posterior(V, W, b, c),
                    rtol=1e-12)
    H = brute.states(4)
    assert_allclose(lib.check(rbm.visible_mean(lib(H), Wx, bx)),
                    brute.visible_posterior(H, W, b, c), rtol=1e-12)
    # pseudo-log-likelihood: sum_i log p(v_i | v_-i) from the exact joint
    log_p = brute.log_likelihood(V, W, b, c)
    flipped = [brute.state_index(np.where(np.arange(6) == i, 1 - V, V)) for i in range(6)]
    expected = sum(log_p - np.logaddexp(log_p, log_p[f]) for f in flipped)
    assert_allclose(lib.check(rbm.pseudo_log_likelihood(Vx, Wx, bx, cx)), expected, rtol=1e-11)
    # the reconstruction error stays a 0-d array on the device
    r = brute.visible_posterior(brute.hidden_posterior(V, W, b, c), W, b, c) - V
    error = rbm.reconstruction_error(Vx, Wx, bx, cx)
    assert_allclose(float(lib.check(error)), (r**2).sum() / len(V), rtol=1e-12)


@pytest.mark.parametrize("chain", [False, True])
def test_cd_gradient_matches_numpy_with_the_same_draws(lib, params, chain, rng):
    W, b, c = params
    v0 = (rng.random((5, 6)) < 0.5).astype(float)
    h0 = (rng.random((7, 4)) < 0.5).astype(float)
    expected_chain = h0.copy() if chain else None
    expected = rbm.cd_gradient(v0, W, b, c, np.random.default_rng(1),
                               rbm.CDWorkspace(7, 6, 4, np.float64), k=3, chain=expected_chain)
    Wx, bx, cx, v0x = lib(W, b, c, v0)
    chain_x = lib(h0) if chain else None
    ws = rbm.CDWorkspace(7, 6, 4, Wx.dtype, like=Wx)
    got = rbm.cd_gradient(v0x, Wx, bx, cx, np.random.default_rng(1), ws, k=3, chain=chain_x)
    for e, g in zip(expected, lib.check(*got)):
        assert_allclose(g, e, rtol=RTOL, atol=1e-15)
    if chain:  # the first len(v0) rows advanced in place, on the device
        assert_array_equal(lib.check(chain_x), expected_chain)
    # with the library's own generator: the same shapes, on the device
    got = rbm.cd_gradient(v0x, Wx, bx, cx, lib.generator(0), ws, chain=chain_x)
    assert [g.shape for g in lib.check(*got)] == [(4, 6), (6,), (4,)]


@pytest.mark.parametrize("visible", ["bernoulli", "gaussian"])
def test_exact_log_partition_matches_enumeration(lib, params, visible):
    W, b, c = params
    Wx, bx, cx = lib(W, b, c)
    got = partition.exact_log_partition(Wx, bx, cx, visible=visible)
    if visible == "bernoulli":
        expected = brute.log_z(W, b, c)
    else:  # Gaussian visible units integrated out, the binary hidden layer summed
        H = brute.states(4)
        x = H @ W + b
        expected = logsumexp(H @ c + 0.5 * (x * x).sum(1) - 0.5 * b @ b + 3 * np.log(2 * np.pi))
    assert isinstance(got, float)
    assert_allclose(got, expected, rtol=1e-12)
    states = partition.binary_configurations(3, 2, 6, Wx.dtype, like=Wx)
    assert_array_equal(lib.check(states), [[0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]])


def test_ais_on_the_device_agrees_with_exact_log_partition(lib, params, rng):
    W, b, c = (0.5 * p for p in params)
    data = (rng.random((50, 6)) < 0.4).astype(float)
    base = partition.base_rate_biases(data.mean(0), len(data))
    assert_allclose(lib.check(partition.base_rate_biases(lib(data.mean(0)), len(data))), base,
                    rtol=1e-15)
    log_z, log_w = partition.ais_log_partition(*lib(W, b, c, base), lib.generator(0),
                                               n_runs=100, n_betas=500)
    assert lib.check(log_w).shape == (100,)
    lower, upper, _ = partition.log_mean_exp_interval(log_w)
    # the estimate is within 0.05 nats (100 runs of 500 temperatures on this
    # 6x4 model: errors of at most 0.02 over ten seeds) and the 3-sigma
    # interval holds log Z
    exact = brute.log_z(W, b, c)
    assert abs(log_z - exact) < 0.05 and lower <= exact <= upper


# ------------------------------------------------------------- network kernels
def _torch_net(torch, X, coefs, intercepts, activations, norms=None):
    """The forward pass written directly in PyTorch (the autograd reference)."""
    acts = {"identity": lambda z: z, "logistic": torch.sigmoid, "tanh": torch.tanh,
            "relu": torch.relu, "softmax": lambda z: torch.softmax(z, 1),
            "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01)}
    A = X
    for i, (W, b, act) in enumerate(zip(coefs, intercepts, activations)):
        Z = A @ W + b
        if norms and norms[i] is not None:
            gamma, beta = norms[i]
            Z = gamma * (Z - Z.mean(0)) / torch.sqrt(Z.var(0, unbiased=False) + 1e-5) + beta
        A = acts[act](Z)
    return A


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_activations_and_derivatives_match_numpy(lib, activation, rng):
    Z = rng.standard_normal((4, 5))
    delta = rng.standard_normal((4, 5))
    A = ACTIVATIONS[activation](Z.copy())
    Zx = lib(Z)
    Ax = ACTIVATIONS[activation](Zx)
    assert_allclose(lib.check(Ax), A, rtol=1e-14)
    got = DERIVATIVES[activation](Ax, lib(delta))
    assert_allclose(lib.check(got), DERIVATIVES[activation](A, delta.copy()), rtol=1e-13)


@pytest.mark.parametrize("loss,activation", [("squared_error", "identity"),
                                             ("log_loss", "softmax"),
                                             ("binary_log_loss", "logistic"),
                                             ("squared_error", "tanh")])
@pytest.mark.parametrize("batch_norm", [False, True])
def test_backprop_matches_autograd(torch_lib, loss, activation, batch_norm, rng):
    torch = pytest.importorskip("torch")
    sizes = [5, 6, 4]
    X = rng.standard_normal((8, 5))
    Y = np.eye(4)[rng.integers(0, 4, 8)] if loss != "squared_error" else rng.random((8, 4))
    coefs = [rng.standard_normal((m, n)) / np.sqrt(m) for m, n in zip(sizes, sizes[1:])]
    intercepts = [0.1 * rng.standard_normal(n) for n in sizes[1:]]
    acts = ["tanh", activation]
    Xt, Yt = torch_lib(X, Y)
    coefs_t = [torch_lib(W).requires_grad_() for W in coefs]
    ints_t = [torch_lib(b).requires_grad_() for b in intercepts]
    norms = [BatchNorm(6, Xt.dtype, like=Xt), None] if batch_norm else None
    norms_t = None
    if batch_norm:
        norms[0].gamma[...] = torch_lib(1 + 0.1 * rng.standard_normal(6))
        norms_t = [(norms[0].gamma.clone().requires_grad_(),
                    norms[0].beta.clone().requires_grad_()),
                   None]
    # no L2 penalty here: its scaling is the estimators' choice, and the test
    # against the numpy path below covers it
    objective, _, grads = loss_and_gradients(
        Xt, Yt, [W.detach() for W in coefs_t], [b.detach() for b in ints_t], acts, loss,
        batch_norms=norms)
    A = _torch_net(torch, Xt, coefs_t, ints_t, acts, norms_t)
    A = A.clamp(1e-15, 1 - 1e-15) if loss != "squared_error" else A
    per_row = {"squared_error": 0.5 * ((A - Yt) ** 2).sum(1),
               "log_loss": -(Yt * torch.log(A)).sum(1),
               "binary_log_loss": -(Yt * torch.log(A) + (1 - Yt) * torch.log(1 - A)).sum(1)}
    reference = per_row[loss].mean()
    reference.backward()
    assert_allclose(float(objective), float(reference.detach()), rtol=1e-12)
    wanted = [W.grad for W in coefs_t] + [b.grad for b in ints_t]
    got = grads.coefs + grads.intercepts
    if batch_norm:
        wanted += [norms_t[0][0].grad, norms_t[0][1].grad]
        got += [grads.gammas[0], grads.betas[0]]
    for g, w in zip(torch_lib.check(*got), torch_lib.check(*wanted)):
        assert_allclose(g, w, rtol=1e-10, atol=1e-13)


def test_network_with_dropout_and_batch_norm_matches_numpy(lib, rng):
    X, Y = rng.standard_normal((6, 4)), np.eye(3)[[0, 1, 2, 0, 1, 2]]
    coefs = [rng.standard_normal((4, 5)), rng.standard_normal((5, 3))]
    intercepts = [rng.standard_normal(5), rng.standard_normal(3)]
    kwargs = dict(dropout=[0.2, 0.5], alpha=0.1)
    expected = loss_and_gradients(X, Y, coefs, intercepts, ["relu", "softmax"], "log_loss",
                                  batch_norms=[BatchNorm(5, np.float64), None],
                                  rng=np.random.default_rng(0), **kwargs)
    Xx, Yx = lib(X, Y)
    got = loss_and_gradients(Xx, Yx, lib(*coefs), lib(*intercepts), ["relu", "softmax"],
                             "log_loss", batch_norms=[BatchNorm(5, Xx.dtype, like=Xx), None],
                             rng=np.random.default_rng(0), **kwargs)
    assert_allclose(float(got[0]), expected[0], rtol=RTOL)
    for g, e in zip(lib.check(*got[2].as_list()), expected[2].as_list()):
        assert_allclose(g, e, rtol=RTOL, atol=1e-14)
    # prediction mode uses the running statistics, on the device
    fwd = forward(Xx, lib(*coefs), lib(*intercepts), ["relu", "softmax"],
                  batch_norms=[BatchNorm(5, Xx.dtype, like=Xx), None])
    assert lib.check(fwd.output).shape == (6, 3)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_loss_values_stay_on_the_device(lib, loss, rng):
    Y = np.eye(3)[[0, 2, 1, 1]]
    A = expit(rng.standard_normal((4, 3)))
    value = LOSSES[loss].value(lib(Y), lib(A))
    assert_allclose(float(lib.check(value)), LOSSES[loss].value(Y, A), rtol=1e-13)


# ------------------------------------------------------------------ optimizers
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_steps_match_hand_values_and_numpy(lib, name, rng):
    kwargs = {"learning_rate": 0.1}
    if name in ("rmsprop", "adam", "radam", "adagrad"):
        kwargs["eps"] = 0.0
    p = lib([1.0])
    opt = OPTIMIZERS[name]([p], **kwargs)
    values = []
    for g in (2.0, -1.0):
        opt.step([p], [lib([g])])
        values.append(float(lib.check(p)[0]))
    if name in HAND:
        assert_allclose(values, HAND[name], rtol=1e-12)
    for state in opt.state.values():
        lib.check(*state)
    # a parameter big enough for row blocks: the same steps as numpy
    P, G = rng.standard_normal((2, 300, 70))
    expected, px = P.copy(), lib(P)
    opt_np, opt_x = OPTIMIZERS[name]([expected]), OPTIMIZERS[name]([px])
    for _ in range(3):
        opt_np.step([expected], [G])
        opt_x.step([px], [lib(G)])
    assert_allclose(lib.check(px), expected, rtol=1e-13)


def test_conjugate_gradient_on_the_device(lib, rng):
    A = np.diag([1.0, 3.0, 10.0])
    target = rng.standard_normal(3)
    x = lib(np.zeros(3))
    xp = backend.get_namespace(x)
    Ax, tx = lib(A, target)

    def objective(params):
        (p,) = params
        r = Ax @ p - tx
        return 0.5 * float(xp.sum(r * r)), [Ax.T @ r]

    conjugate_gradient(objective, [x], max_iter=50)
    assert_allclose(lib.check(x), target / np.diag(A), atol=1e-6)


# -------------------------------------------------------- noise, init and VAE
@pytest.mark.parametrize("name", sorted(NOISES))
def test_noise_matches_numpy_with_the_same_draws(lib, name, rng):
    X = rng.random((50, 4))
    expected = NOISES[name](X, 0.3, np.random.default_rng(0))
    assert_allclose(lib.check(NOISES[name](lib(X), 0.3, np.random.default_rng(0))), expected,
                    rtol=1e-15)
    lib.check(NOISES[name](lib(X), 0.3, lib.generator(0)))


@pytest.mark.parametrize("name,variance", [("lecun", 1 / 400), ("xavier", 2 / 500),
                                           ("he", 2 / 400)])
def test_init_on_the_device(lib, name, variance):
    dtype = lib(np.zeros(1, dtype=np.float32)).dtype
    coef, intercept = INITS[name](400, 100, lib.generator(0), dtype)
    coef, intercept = lib.check(coef, intercept)
    assert coef.shape == (400, 100) and coef.dtype == np.float32 and not intercept.any()
    # the variance of 40000 draws within 5 standard deviations (kurtosis <= 3)
    assert abs(coef.var() / variance - 1) < 5 * np.sqrt(2 / 40000)
    # a numpy generator gives numpy's weights, placed on the device
    expected = INITS[name](4, 3, np.random.default_rng(1), np.float64)[0]
    got = INITS[name](4, 3, np.random.default_rng(1), lib(np.zeros(1)).dtype, like=lib([0.0]))
    assert_array_equal(lib.check(got[0]), expected)


def _vae_nets(rng, n_features=5, n_hidden=6, d=2, n_outputs=None, n_conditions=0):
    n_outputs = n_features if n_outputs is None else n_outputs
    encoder = ([rng.standard_normal((n_features, n_hidden)) * 0.5,
                rng.standard_normal((n_hidden, 2 * d)) * 0.5],
               [0.1 * rng.standard_normal(n_hidden), 0.1 * rng.standard_normal(2 * d)],
               ["tanh", "identity"])
    decoder = ([rng.standard_normal((d + n_conditions, n_hidden)) * 0.5,
                rng.standard_normal((n_hidden, n_outputs)) * 0.5],
               [0.1 * rng.standard_normal(n_hidden), 0.1 * rng.standard_normal(n_outputs)],
               ["tanh", "identity"])
    return encoder, decoder


def _torch_log_likelihood(torch, likelihood, X, out):
    """log p(x | z) of each row written directly in PyTorch."""
    if likelihood == "bernoulli":
        return (X * out - torch.nn.functional.softplus(out)).sum(1)
    n = X.shape[1]
    m, v = (out, torch.zeros_like(out)) if likelihood == "gaussian" else (out[:, :n], out[:, n:])
    return -0.5 * (((X - m) ** 2 * torch.exp(-v) + v).sum(1) + n * np.log(2 * np.pi))


LIKELIHOOD_NAMES = ["bernoulli", "gaussian", "gaussian_learned_variance"]


@pytest.mark.parametrize("likelihood", LIKELIHOOD_NAMES)
def test_elbo_gradients_match_autograd(torch_lib, likelihood, rng):
    torch = pytest.importorskip("torch")
    X = (rng.random((7, 5)) < 0.5).astype(float)
    eps = rng.standard_normal((7, 2))
    encoder, decoder = _vae_nets(rng, n_outputs=vae.LIKELIHOODS[likelihood].n_outputs(5))
    Xt, epst = torch_lib(X, eps)
    enc_t = [[torch_lib(a).requires_grad_() for a in arrays] for arrays in encoder[:2]]
    dec_t = [[torch_lib(a).requires_grad_() for a in arrays] for arrays in decoder[:2]]
    value, enc_grads, dec_grads = vae.elbo_gradients(
        Xt, epst, ([a.detach() for a in enc_t[0]], [a.detach() for a in enc_t[1]], encoder[2]),
        ([a.detach() for a in dec_t[0]], [a.detach() for a in dec_t[1]], decoder[2]),
        likelihood)
    h = _torch_net(torch, Xt, *enc_t, encoder[2])
    mu, log_var = h[:, :2], h[:, 2:]
    out = _torch_net(torch, mu + torch.exp(0.5 * log_var) * epst, *dec_t, decoder[2])
    log_p = _torch_log_likelihood(torch, likelihood, Xt, out)
    elbo = log_p - 0.5 * (mu**2 + torch.exp(log_var) - 1 - log_var).sum(1)
    (-elbo.mean()).backward()
    assert_allclose(torch_lib.check(value), torch_lib.check(elbo.detach()), rtol=1e-12)
    got = enc_grads.coefs + enc_grads.intercepts + dec_grads.coefs + dec_grads.intercepts
    wanted = [a.grad for arrays in enc_t + dec_t for a in arrays]
    for g, w in zip(torch_lib.check(*got), torch_lib.check(*wanted)):
        assert_allclose(g, w, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("likelihood", LIKELIHOOD_NAMES)
def test_weighted_conditional_elbo_gradients_match_autograd(torch_lib, likelihood, rng):
    """The pass the semi-supervised VAE makes: per-row weights, a decoder
    conditioned on one-hot classes, gradients up to mu and log_var."""
    torch = pytest.importorskip("torch")
    n, n_classes = 7, 3
    X = (rng.random((n, 5)) < 0.5).astype(float)
    mu, log_var, eps = (rng.standard_normal((n, 2)) for _ in range(3))
    condition = np.eye(n_classes)[rng.integers(n_classes, size=n)]
    weights = rng.random(n)
    _, decoder = _vae_nets(rng, n_outputs=vae.LIKELIHOODS[likelihood].n_outputs(5),
                           n_conditions=n_classes)
    Xt, epst, conditiont, weightst = torch_lib(X, eps, condition, weights)
    mu_t, log_var_t = torch_lib(mu).requires_grad_(), torch_lib(log_var).requires_grad_()
    dec_t = [[torch_lib(a).requires_grad_() for a in arrays] for arrays in decoder[:2]]
    value, dec_grads, g_mu, g_log_var = vae.posterior_elbo_gradients(
        Xt, mu_t.detach(), log_var_t.detach(), epst,
        ([a.detach() for a in dec_t[0]], [a.detach() for a in dec_t[1]], decoder[2]),
        likelihood, n_rows=4, weights=weightst, condition=conditiont)
    z = mu_t + torch.exp(0.5 * log_var_t) * epst
    out = _torch_net(torch, torch.cat([z, conditiont], 1), *dec_t, decoder[2])
    elbo = (_torch_log_likelihood(torch, likelihood, Xt, out)
            - 0.5 * (mu_t**2 + torch.exp(log_var_t) - 1 - log_var_t).sum(1))
    (-(weightst * elbo).sum() / 4).backward()
    assert_allclose(torch_lib.check(value), torch_lib.check(elbo.detach()), rtol=1e-12)
    got = [g_mu, g_log_var] + dec_grads.coefs + dec_grads.intercepts
    wanted = [mu_t.grad, log_var_t.grad] + [a.grad for arrays in dec_t for a in arrays]
    for g, w in zip(torch_lib.check(*got), torch_lib.check(*wanted)):
        assert_allclose(g, w, rtol=1e-10, atol=1e-13)


def test_vae_kernels_match_numpy(lib, rng):
    X = (rng.random((6, 5)) < 0.5).astype(float)
    encoder, decoder = _vae_nets(rng)
    eps = rng.standard_normal((4, 6, 2))

    def on_lib(net):
        return (list(lib(*net[0])), list(lib(*net[1])), net[2])

    expected = vae.importance_weighted_log_likelihood(X, eps, encoder, decoder,
                                                      max_elements=40)
    got = vae.importance_weighted_log_likelihood(lib(X), lib(eps), on_lib(encoder),
                                                 on_lib(decoder), max_elements=40)
    assert_allclose(lib.check(got), expected, rtol=RTOL)
    like = lib(np.zeros(1, dtype=np.float32))
    noise = vae.draw_noise(np.random.default_rng(0), (3, 2), like.dtype, like=like)
    assert_array_equal(lib.check(noise), vae.draw_noise(np.random.default_rng(0), (3, 2),
                                                        np.float32))
    for name, lik in vae.LIKELIHOODS.items():
        out_np = rng.standard_normal((6, lik.n_outputs(5)))
        out = lib(out_np)
        sample = lib.check(lik.sample(out, lib.generator(0)))
        assert sample.shape == (6, 5)
        assert name != "bernoulli" or set(np.unique(sample)) <= {0.0, 1.0}
        assert_allclose(lib.check(lik.mean(out)), lik.mean(out_np), rtol=RTOL)
        assert_allclose(lib.check(lik.log_prob(lib(X), out)), lik.log_prob(X, out_np),
                        rtol=RTOL)
        assert_allclose(lib.check(lik.gradient(lib(X), out)), lik.gradient(X, out_np),
                        rtol=RTOL)
        assert_allclose(lib.check(lik.initial_bias(lib(X))), lik.initial_bias(X), rtol=RTOL)
