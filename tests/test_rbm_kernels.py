"""RBM kernels against enumeration, numerical integration and finite differences."""

import numpy as np
import pytest
import rbm_brute as brute
from numpy.testing import assert_allclose, assert_array_equal
from scipy import integrate, stats
from scipy.special import expit, logsumexp

from skdeep._kernels import rbm
from skdeep._kernels.partition import exact_log_partition
from skdeep._kernels.units import UNITS, uniform

N_VISIBLE, N_HIDDEN = 6, 4


@pytest.fixture
def params(rng):
    return brute.random_params(N_VISIBLE, N_HIDDEN, rng)


@pytest.fixture
def data(rng):
    return (rng.random((30, N_VISIBLE)) < 0.4).astype(float)


# ----------------------------------------------------------------- units
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bernoulli_mean_is_the_logistic_function(dtype):
    x = np.concatenate([np.linspace(-30, 30, 1001), [-1e4, -100.0, 100.0, 1e4]]).astype(dtype)
    with np.errstate(all="raise"):  # exp(-x) overflowing or underflowing stays silent
        got = UNITS["bernoulli"].mean(x.copy())
    assert got.dtype == dtype
    # a few ulps of relative error: four correctly rounded operations; below the
    # smallest normal number the result may flush to zero
    eps, tiny = np.finfo(dtype).eps, np.finfo(dtype).tiny
    assert_allclose(got, expit(x.astype(np.float64)), rtol=4 * eps, atol=tiny)


def test_bernoulli_mean_in_place():
    x = np.array([[-1.0, 0.0, 2.0]])
    out = UNITS["bernoulli"].mean(x, out=x)
    assert out is x
    assert_allclose(x, expit([[-1.0, 0.0, 2.0]]), rtol=1e-15)


@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.MT19937])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_uniform_draws_are_uniform(bit_generator, dtype):
    # the fast path (PCG64, float32) and the fallback: Kolmogorov-Smirnov at
    # significance 0.001 with a fixed seed, and the range [0, 1)
    out = np.empty((301, 7), dtype=dtype)  # odd size: half of a raw word unused
    draws = uniform(np.random.Generator(bit_generator(0)), out)
    assert draws is out and 0.0 <= draws.min() and draws.max() < 1.0
    assert stats.kstest(draws.ravel(), "uniform").pvalue > 1e-3
    # consecutive draws are not correlated (|r| < 4 / sqrt(n))
    flat = draws.ravel()
    assert abs(np.corrcoef(flat[:-1], flat[1:])[0, 1]) < 4 / np.sqrt(flat.size)


@pytest.mark.parametrize("unit", ["bernoulli", "gaussian"])
def test_sample_units_moments(unit, rng):
    mean = np.tile(np.array([0.1, 0.5, 0.9]), (40000, 1))
    draws = rbm.sample_units(mean, rng, unit)
    # the mean of 40000 draws with variance <= 1 is within 5 standard errors (0.025)
    assert_allclose(draws.mean(axis=0), mean[0], atol=5 / np.sqrt(40000))
    if unit == "bernoulli":
        assert set(np.unique(draws)) <= {0.0, 1.0}
    else:
        assert_allclose(draws.var(axis=0), 1.0, atol=0.03)  # sd of the variance ~0.007


# ---------------------------------------------------------- free energy
def test_free_energy_bernoulli_matches_enumeration(params):
    V = brute.states(N_VISIBLE)
    assert_allclose(rbm.free_energy(V, *params), brute.free_energy(V, *params), rtol=1e-12)


def test_hidden_free_energy_matches_enumeration(params):
    W, b, c = params
    Hs = brute.states(N_HIDDEN)
    expected = -logsumexp(brute.neg_energy(brute.states(N_VISIBLE), Hs, W, b, c), axis=0)
    assert_allclose(rbm.hidden_free_energy(Hs, W, b, c), expected, rtol=1e-12)


def gaussian_integral_2d(log_f, center):
    """The integral of exp(log_f(x)) over the plane, by quadrature on a box of
    half-width 9 around ``center`` (the integrands are unit-variance Gaussians:
    the mass outside is below 1e-17)."""
    (x0, x1), r = center, 9.0
    value, _ = integrate.dblquad(lambda y, x: np.exp(log_f(np.array([x, y]))),
                                 x0 - r, x0 + r, x1 - r, x1 + r, epsabs=0, epsrel=1e-9)
    return value


def test_free_energy_gaussian_hidden_matches_integration(rng):
    # two linear-Gaussian hidden units: F(v) = -log of a 2-D integral over h
    W, b, c = brute.random_params(3, 2, rng, scale=0.7)
    for v in brute.states(3)[::7]:
        value = gaussian_integral_2d(
            lambda h: b @ v - 0.5 * np.sum((h - c) ** 2) + h @ W @ v, c + W @ v)
        got = rbm.free_energy(v[None], W, b, c, "bernoulli", "gaussian")[0]
        assert_allclose(got, -np.log(value), atol=1e-7)  # quadrature to 1e-9


def test_free_energy_gaussian_visible_matches_enumeration(rng):
    W, b, c = brute.random_params(3, 4, rng)
    V = rng.standard_normal((10, 3))
    Hs = brute.states(4)
    neg_e = -0.5 * ((V - b) ** 2).sum(axis=1)[:, None] + (Hs @ c)[None] + V @ W.T @ Hs.T
    expected = -logsumexp(neg_e, axis=1)
    got = rbm.free_energy(V, W, b, c, "gaussian", "bernoulli")
    assert_allclose(got, expected, rtol=1e-12)


def test_hidden_free_energy_gaussian_visible_matches_integration(rng):
    # F(h) = -log of the 2-D integral over real-valued v
    W, b, c = brute.random_params(2, 3, rng, scale=0.7)
    for h in brute.states(3)[::7]:
        value = gaussian_integral_2d(
            lambda v: -0.5 * np.sum((v - b) ** 2) + c @ h + h @ W @ v, b + h @ W)
        got = rbm.hidden_free_energy(h[None], W, b, c, "gaussian", "bernoulli")[0]
        assert_allclose(got, -np.log(value), atol=1e-7)  # quadrature to 1e-9


# ---------------------------------------------------------- conditionals
def test_conditionals_match_enumeration(params):
    V = brute.states(N_VISIBLE)
    Hs = brute.states(N_HIDDEN)
    W, b, c = params
    assert_allclose(rbm.hidden_mean(V, W, c), brute.hidden_posterior(V, *params), rtol=1e-12)
    assert_allclose(rbm.visible_mean(Hs, W, b), brute.visible_posterior(Hs, *params), rtol=1e-12)


def test_gaussian_conditional_means_match_integration(rng):
    # one real-valued unit on the other side: E[u | rest] by 1-D quadrature
    W, b, c = brute.random_params(4, 1, rng)
    for v in brute.states(4):  # linear hidden unit given binary v
        def weight(h):
            return np.exp(-0.5 * (h - c[0]) ** 2 + h * (W[0] @ v))
        z = integrate.quad(weight, -30, 30)[0]
        mean = integrate.quad(lambda h: h * weight(h), -30, 30)[0] / z
        assert_allclose(rbm.hidden_mean(v[None], W, c, "gaussian")[0, 0], mean, rtol=1e-8)
    W, b, c = brute.random_params(1, 4, rng)
    for h in brute.states(4):  # linear visible unit given binary h
        def weight(v):
            return np.exp(-0.5 * (v - b[0]) ** 2 + v * (h @ W[:, 0]))
        z = integrate.quad(weight, -30, 30)[0]
        mean = integrate.quad(lambda v: v * weight(v), -30, 30)[0] / z
        assert_allclose(rbm.visible_mean(h[None], W, b, "gaussian")[0, 0], mean, rtol=1e-8)


def test_hidden_mean_writes_into_out(params):
    W, b, c = (a.astype(np.float32) for a in params)
    V = brute.states(N_VISIBLE).astype(np.float32)
    out = np.empty((len(V), N_HIDDEN), dtype=np.float32)
    got = rbm.hidden_mean(V, W, c, out=out)
    assert got is out and got.dtype == np.float32
    # float32 products and logistic: a few 1e-7 relative
    assert_allclose(got, brute.hidden_posterior(V, *params), rtol=1e-5)


# ------------------------------------------------------ pseudo-likelihood
def test_pseudo_log_likelihood_matches_enumeration(params, data):
    # log p(v_i | v_-i) = log p*(v) - log(p*(v) + p*(v with bit i flipped))
    log_p = -brute.free_energy(data, *params)
    expected = np.zeros(len(data))
    for i in range(N_VISIBLE):
        flipped = data.copy()
        flipped[:, i] = 1 - flipped[:, i]
        expected += log_p - np.logaddexp(log_p, -brute.free_energy(flipped, *params))
    assert_allclose(rbm.pseudo_log_likelihood(data, *params), expected, rtol=1e-12)


def test_reconstruction_error_by_hand(params, data):
    W, b, c = params
    ph = expit(data @ W.T + c)
    expected = np.mean(np.sum((data - expit(ph @ W + b)) ** 2, axis=1))
    assert rbm.reconstruction_error(data, W, b, c) == pytest.approx(expected, rel=1e-12)


# ----------------------------------------------------- likelihood gradient
def exact_log_likelihood(X, W, b, c):
    return np.mean(-rbm.free_energy(X, W, b, c) - exact_log_partition(W, b, c))


def test_exact_gradient_matches_finite_differences(params, data):
    grads = brute.nll_gradient(data, *params)
    eps = 1e-6
    for which in range(3):
        for index in np.ndindex(params[which].shape):
            plus = [p.copy() for p in params]
            minus = [p.copy() for p in params]
            plus[which][index] += eps
            minus[which][index] -= eps
            numeric = -(exact_log_likelihood(data, *plus)
                        - exact_log_likelihood(data, *minus)) / (2 * eps)
            # central differences: O(eps^2) truncation, ~1e-10 / eps rounding
            assert grads[which][index] == pytest.approx(numeric, abs=1e-7)


def tile_rows(X, n):
    return np.tile(X, (n // len(X), 1))


def test_cd1_is_unbiased_for_its_exact_expectation(rng):
    # E[CD-1 gradient] enumerated: v0 -> h0 ~ p(h|v0) -> v1 ~ p(v|h0) -> E[h|v1] v1^T
    W, b, c = brute.random_params(4, 3, rng)
    v0 = np.array([1.0, 0.0, 1.0, 1.0])
    Hs, Vs = brute.states(3), brute.states(4)
    p_h0 = np.prod(np.where(Hs == 1, expit(W @ v0 + c), 1 - expit(W @ v0 + c)), axis=1)
    pv = expit(Hs @ W + b)  # P(v_i = 1 | h0) per h0
    p_v1 = np.prod(np.where(Vs[None] == 1, pv[:, None], 1 - pv[:, None]), axis=2)
    weight = p_h0 @ p_v1  # distribution of v1
    ph1 = expit(Vs @ W.T + c)
    expected_W = (ph1 * weight[:, None]).T @ Vs - np.outer(expit(W @ v0 + c), v0)
    n = 200000
    ws = rbm.CDWorkspace(n, 4, 3, np.float64)
    gW, gb, gc = rbm.cd_gradient(np.tile(v0, (n, 1)), W, b, c, rng, ws, k=1)
    # each entry averages 200000 bounded terms (|term| <= 1): standard error
    # <= 0.0023, and 5 standard errors bound it
    assert_allclose(gW, expected_W, atol=5 * 1 / np.sqrt(n))
    assert_allclose(gb, weight @ Vs - v0, atol=5 / np.sqrt(n))


@pytest.mark.parametrize("method", ["cd", "pcd"])
def test_cd_with_many_steps_approaches_the_exact_gradient(method, data, rng):
    W, b, c = brute.random_params(N_VISIBLE, N_HIDDEN, rng, scale=0.5)
    exact = brute.nll_gradient(data, W, b, c)
    n = 30000
    v0 = tile_rows(data, n)  # every data row equally often
    ws = rbm.CDWorkspace(n, N_VISIBLE, N_HIDDEN, np.float64)
    if method == "cd":
        # one CD-50 estimate per row: the mean of 30000 CD estimates
        grads = rbm.cd_gradient(v0, W, b, c, rng, ws, k=50)
    else:
        chain = np.zeros((n, N_HIDDEN))
        for _ in range(30):  # burn-in of the persistent chains, parameters fixed
            rbm.cd_gradient(v0, W, b, c, rng, ws, k=1, chain=chain)
        grads = [g.copy() for g in rbm.cd_gradient(v0, W, b, c, rng, ws, k=1, chain=chain)]
    # the data terms are exact; the model term averages 30000 terms in [0, 1]:
    # standard error <= 0.5 / sqrt(30000) = 0.003, the bound is 5 of them
    for got, want in zip(grads, exact):
        assert_allclose(got, want, atol=0.015)


@pytest.mark.parametrize("chain", [False, True], ids=["cd", "pcd"])
def test_short_batch_is_averaged_over_its_own_rows(chain, params, data):
    # a batch of 30 rows in a workspace for 50 gives the gradient of those 30
    # rows, the same as a workspace of exactly 30 with the same random numbers
    grads = []
    for size in (50, 30):
        ws = rbm.CDWorkspace(size, N_VISIBLE, N_HIDDEN, np.float64)
        h = np.ones((size, N_HIDDEN)) if chain else None
        grads.append(rbm.cd_gradient(data, *params, np.random.default_rng(5), ws, k=2, chain=h))
    for short, exact_size in zip(*grads):
        assert_array_equal(short, exact_size)


def test_cd_gradient_float32_and_short_batch(params, data, rng):
    W, b, c = (a.astype(np.float32) for a in params)
    ws = rbm.CDWorkspace(50, N_VISIBLE, N_HIDDEN, np.float32)
    chain = np.zeros((50, N_HIDDEN), dtype=np.float32)
    before = chain.copy()
    grads = rbm.cd_gradient(data.astype(np.float32), W, b, c, rng, ws, k=2, chain=chain)
    assert all(g.dtype == np.float32 for g in grads)
    assert not np.array_equal(chain[:30], before[:30])  # the first 30 chains moved
    assert np.array_equal(chain[30:], before[30:])  # the others did not


# ------------------------------------------------------------ Gibbs chain
@pytest.mark.parametrize("hidden", ["bernoulli", "gaussian"])
def test_gibbs_chain_matches_exact_distribution(hidden):
    # 20000 independent chains of 200 steps: their final states are independent
    # draws; chi-square goodness of fit at significance 0.001 (fixed seed)
    rng = np.random.default_rng(3)
    W, b, c = brute.random_params(4, 3, rng, scale=0.6)
    log_p = -rbm.free_energy(brute.states(4), W, b, c, "bernoulli", hidden)
    p = np.exp(log_p - logsumexp(log_p))
    n = 20000
    assert n * p.min() > 5  # the chi-square approximation holds
    v = (rng.random((n, 4)) < 0.5).astype(float)
    for _ in range(200):
        v, _ = rbm.gibbs_step(v, W, b, c, rng, "bernoulli", hidden)
    counts = np.bincount(brute.state_index(v), minlength=16)
    assert stats.chisquare(counts, n * p).pvalue > 1e-3
