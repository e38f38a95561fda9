"""log Z: exact enumeration and AIS against brute force and numerical integration."""

import numpy as np
import pytest
import rbm_brute as brute
from numpy.testing import assert_allclose
from scipy import integrate
from scipy.special import logsumexp

from skdeep._kernels import partition


def test_binary_configurations_are_every_state_once():
    got = np.concatenate([partition.binary_configurations(5, s, min(s + 7, 32), np.float32)
                          for s in range(0, 32, 7)])
    assert got.dtype == np.float32
    assert len({tuple(row) for row in got}) == 32
    assert set(np.unique(got)) == {0.0, 1.0}


@pytest.mark.parametrize("shape", [(3, 7), (7, 3)], ids=["hidden side", "visible side"])
def test_exact_log_partition_matches_brute_force(shape, rng):
    # (n_hidden, n_visible) = (3, 7) enumerates the hidden layer, (7, 3) the visible one
    W, b, c = brute.random_params(shape[1], shape[0], rng)
    expected = brute.log_z(W, b, c)
    assert partition.exact_log_partition(W, b, c) == pytest.approx(expected, rel=1e-12)
    # in chunks of 3 states the partial sums combine to the same value
    assert partition.exact_log_partition(W, b, c, chunk=3) == pytest.approx(expected, rel=1e-12)


def test_exact_log_partition_either_side_gives_the_same_value(rng):
    # swapping the layers of a binary RBM keeps Z; the enumerated side changes
    W, b, c = brute.random_params(6, 5, rng)
    assert partition.exact_log_partition(W, b, c) == pytest.approx(
        partition.exact_log_partition(W.T, c, b), rel=1e-12)


def test_exact_log_partition_gaussian_visible_matches_integration(rng):
    # Z = sum_h exp(c.h) prod_i of a 1-D integral over the real-valued v_i
    # (given h the integrand factorises over the visible units)
    W, b, c = brute.random_params(3, 4, rng, scale=0.6)
    total = 0.0
    for h in brute.states(4):
        x = h @ W
        value = np.exp(c @ h)
        for i in range(3):
            value *= integrate.quad(lambda v: np.exp(-0.5 * (v - b[i]) ** 2 + x[i] * v),
                                    b[i] + x[i] - 12, b[i] + x[i] + 12, epsabs=0, epsrel=1e-11)[0]
        total += value
    got = partition.exact_log_partition(W, b, c, visible="gaussian")
    assert got == pytest.approx(np.log(total), abs=1e-9)  # quadrature to 1e-11


def test_exact_log_partition_gaussian_hidden_matches_integration(rng):
    # Z = sum_v of a 1-D integral over one linear hidden unit
    W, b, c = brute.random_params(5, 1, rng, scale=0.6)
    total = 0.0
    for v in brute.states(5):
        x = c[0] + W[0] @ v
        value, _ = integrate.quad(lambda h: np.exp(b @ v - 0.5 * (h - c[0]) ** 2 + h * (W[0] @ v)),
                                  x - 12, x + 12, epsabs=0, epsrel=1e-11)
        total += value
    got = partition.exact_log_partition(W, b, c, hidden="gaussian")
    assert got == pytest.approx(np.log(total), abs=1e-9)


def test_exact_log_partition_refuses_large_layers():
    W = np.zeros((21, 22))
    with pytest.raises(ValueError, match="method='ais'"):
        partition.exact_log_partition(W, np.zeros(22), np.zeros(21))


@pytest.mark.parametrize("visible, hidden", [("bernoulli", "bernoulli"),
                                             ("gaussian", "bernoulli"),
                                             ("bernoulli", "gaussian")])
def test_ais_agrees_with_exact_log_partition(visible, hidden):
    rng = np.random.default_rng(7)
    n_visible, n_hidden = 10, 6
    scale = 0.4 if hidden == "gaussian" else 1.0  # keep the linear-hidden model near its base
    W, b, c = brute.random_params(n_visible, n_hidden, rng, scale=scale)
    data_mean = rng.random(n_visible) if visible == "bernoulli" else b
    b_base = partition.base_rate_biases(data_mean, 100, visible)
    exact = partition.exact_log_partition(W, b, c, visible, hidden)
    log_z, log_w = partition.ais_log_partition(W, b, c, b_base, rng, n_runs=200,
                                               n_betas=2000, visible=visible, hidden=hidden)
    lower, upper, rel_sem = partition.log_mean_exp_interval(log_w)
    assert log_z == pytest.approx(logsumexp(log_w) - np.log(len(log_w)))
    assert lower <= exact <= upper  # the reported +-3 standard error interval
    assert rel_sem < 0.05  # and it is informative: Z to 5% per standard error
    assert abs(log_z - exact) < 0.1


def test_ais_schedule():
    betas = partition.ais_schedule(14500)
    assert len(betas) == 14500
    assert betas[0] == 0.0 and betas[-1] == 1.0
    assert np.all(np.diff(betas) > 0)
    # Salakhutdinov & Murray: 500 steps below 0.5, 4000 in [0.5, 0.9), 10000 above
    assert (betas < 0.5).sum() == 500 and (betas < 0.9).sum() == 4500


def test_log_mean_exp_interval_closed_form():
    w = np.array([1.0, 2.0, 3.0, 6.0])
    mean, sem = w.mean(), w.std(ddof=1) / 2.0
    lower, upper, rel = partition.log_mean_exp_interval(np.log(w) - 800.0, n_std=1.0)
    assert lower == pytest.approx(np.log(mean - sem) - 800.0, rel=1e-12)
    assert upper == pytest.approx(np.log(mean + sem) - 800.0, rel=1e-12)
    assert rel == pytest.approx(sem / mean)
    assert partition.log_mean_exp_interval(np.log(w))[0] == -np.inf  # 3 sem > mean


def test_base_rate_biases_closed_form():
    got = partition.base_rate_biases([0.0, 0.25, 1.0], 100, pseudo_count=0.5)
    p = (np.array([0.0, 25.0, 100.0]) + 0.5) / 101.0
    assert_allclose(got, np.log(p / (1 - p)), rtol=1e-12)
    assert_allclose(partition.base_rate_biases([0.3, -2.0], 10, "gaussian"), [0.3, -2.0])
