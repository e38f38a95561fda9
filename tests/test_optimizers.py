"""Optimizer steps against hand-computed values; convergence on a convex quadratic."""

import multiprocessing
import os

import numpy as np
import pytest

from skdeep._kernels.optimizers import (
    OPTIMIZERS,
    conjugate_gradient,
    flatten,
    unflatten_into,
)
from skdeep._kernels.parallel import MIN_PARALLEL_SIZE, map_rows


def two_steps(name, g1, g2, **kwargs):
    """Parameter after steps with gradients g1 then g2, starting at p = 1."""
    p = np.array([1.0])
    opt = OPTIMIZERS[name]([p], **kwargs)
    opt.step([p], [np.array([g1])])
    p1 = p[0]
    opt.step([p], [np.array([g2])])
    return p1, p[0]


# Hand values, start p = 1, gradients 2 then -1, lr = 0.1 (momentum 0.9 / rho / betas
# at their defaults), worked out on paper from each paper's update rule.
HAND = {
    # p1 = 1 - 0.1*2; p2 = 0.8 + 0.1
    "sgd": (0.8, 0.9),
    # v1 = -0.2, p1 = 0.8; v2 = 0.9*-0.2 + 0.1 = -0.08, p2 = 0.72
    "momentum": (0.8, 0.72),
    # p1 = 1 + 0.9*(-0.2) - 0.2 = 0.62; v2 = -0.08, p2 = 0.62 + 0.9*-0.08 + 0.1 = 0.648
    "nesterov": (0.62, 0.648),
    # G1 = 4: p1 = 1 - 0.1*2/2 = 0.9; G2 = 5: p2 = 0.9 + 0.1/sqrt(5)
    "adagrad": (0.9, 0.9 + 0.1 / np.sqrt(5)),
    # E1 = 0.1*4 = 0.4: p1 = 1 - 0.2/sqrt(0.4); E2 = 0.36 + 0.1 = 0.46: p2 = p1 + 0.1/sqrt(0.46)
    "rmsprop": (1 - 0.2 / np.sqrt(0.4), 1 - 0.2 / np.sqrt(0.4) + 0.1 / np.sqrt(0.46)),
    # m_hat1 = 2, v_hat1 = 4: p1 = 0.9; m2 = 0.18 - 0.1 = 0.08, m_hat2 = 0.08/0.19;
    # v2 = 0.999*0.004 + 0.001 = 0.004996, v_hat2 = 0.004996/0.001999
    "adam": (0.9, 0.9 - 0.1 * (0.08 / 0.19) / np.sqrt(0.004996 / 0.001999)),
    # rho_t <= 5 for the first steps: p -= lr m_hat
    "radam": (0.8, 0.8 - 0.1 * 0.08 / 0.19),
}


@pytest.mark.parametrize("name", sorted(HAND))
def test_first_steps_match_hand_values(name):
    kwargs = {"learning_rate": 0.1}
    if name in ("rmsprop", "adam", "radam", "adagrad"):
        kwargs["eps"] = 0.0  # keep the hand values exact
    p1, p2 = two_steps(name, 2.0, -1.0, **kwargs)
    np.testing.assert_allclose([p1, p2], HAND[name], rtol=1e-12)


def test_adadelta_first_steps_match_hand_values():
    # rho = 0.95, eps = 1e-6, lr = 1 (Zeiler 2012, Algorithm 1)
    eg1 = 0.05 * 4
    dx1 = -np.sqrt(1e-6) / np.sqrt(eg1 + 1e-6) * 2
    ex1 = 0.05 * dx1**2
    eg2 = 0.95 * eg1 + 0.05 * 1
    dx2 = -np.sqrt(ex1 + 1e-6) / np.sqrt(eg2 + 1e-6) * -1
    p1, p2 = two_steps("adadelta", 2.0, -1.0)
    np.testing.assert_allclose([p1, p2], [1 + dx1, 1 + dx1 + dx2], rtol=1e-12)


def test_radam_rectified_step():
    # with a constant gradient g, m_hat = g and v_hat = g^2, so the step is lr * r_t
    b2 = 0.999
    rho_inf = 2 / (1 - b2) - 1
    p = np.array([0.0])
    opt = OPTIMIZERS["radam"]([p], learning_rate=0.01, eps=0.0)
    expected = 0.0
    for t in range(1, 11):
        opt.step([p], [np.array([3.0])])
        rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho_t > 5:  # t >= 6
            expected -= 0.01 * np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                                       / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        else:
            expected -= 0.01 * 3.0
    np.testing.assert_allclose(p, [expected], rtol=1e-10)


def quadratic(rng, n=5):
    """f(x) = x^T A x / 2 - b^T x with condition number 10; minimiser A^-1 b."""
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(np.linspace(1, 10, n)) @ Q.T
    b = rng.standard_normal(n)
    return A, b, np.linalg.solve(A, b)


SETTINGS = {  # learning rate, steps: each converges on the quadratic
    "sgd": (0.15, 300),
    "momentum": (0.02, 500),
    "nesterov": (0.02, 500),
    "adagrad": (0.5, 3000),
    "adadelta": (0.2, 2000),  # at lr=1 it oscillates around the optimum (~0.05)
    "rmsprop": (0.01, 3000),
    "adam": (0.05, 3000),
    "radam": (0.05, 3000),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_converges_on_convex_quadratic(name, rng):
    A, b, solution = quadratic(rng)
    x = np.zeros(5)
    lr, steps = SETTINGS[name]
    opt = OPTIMIZERS[name]([x], learning_rate=lr)
    for _ in range(steps):
        opt.step([x], [A @ x - b])
    # adaptive methods with a fixed step hover within about lr of the optimum
    np.testing.assert_allclose(x, solution, atol=1e-2)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_float32_preserved_in_place(name):
    p = np.ones((2, 3), dtype=np.float32)
    opt = OPTIMIZERS[name]([p], learning_rate=0.1)
    same = p
    opt.step([p], [np.full((2, 3), 0.5, dtype=np.float32)])
    assert p is same and p.dtype == np.float32 and (p < 1).all()


def test_flatten_roundtrip(rng):
    arrays = [rng.standard_normal((2, 3)).astype(np.float32), rng.standard_normal(4)]
    x = flatten(arrays)
    assert x.dtype == np.float64 and x.shape == (10,)
    targets = [np.zeros((2, 3), dtype=np.float32), np.zeros(4)]
    unflatten_into(x, targets)
    for a, t in zip(arrays, targets):
        np.testing.assert_array_equal(a, t)
    assert targets[0].dtype == np.float32


def test_conjugate_gradient_solves_quadratic(rng):
    # the quadratic over the entries of a 2x3 matrix, plus an empty array
    A, b, solution = quadratic(rng, n=6)
    W = np.zeros((2, 3))
    params = [W, np.zeros(0)]

    def objective(ps):
        x = flatten(ps)
        return 0.5 * x @ A @ x - b @ x, [(A @ x - b)[:6].reshape(2, 3), np.zeros(0)]

    value = conjugate_gradient(objective, params, max_iter=100)
    # CG on a 6-dimensional quadratic converges in a few iterations to round-off
    np.testing.assert_allclose(W.ravel(), solution, rtol=1e-5, atol=1e-6)
    assert value == pytest.approx(-0.5 * b @ solution)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_threaded_steps_equal_serial_steps(name, rng):
    # large enough to be split into row blocks, plus a vector kept whole
    shapes = [(3 * MIN_PARALLEL_SIZE // 100 + 7, 100), (50,)]
    start = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(3)]
    results = []
    for n_threads in (1, 3):
        params = [p.copy() for p in start]
        opt = OPTIMIZERS[name](params, n_threads=n_threads)
        for g in grads:
            opt.step(params, g)
        results.append(params)
    assert not np.array_equal(results[0][0], start[0])
    for serial, threaded in zip(*results):
        np.testing.assert_array_equal(serial, threaded)


def test_map_rows_covers_every_row_once():
    a = np.zeros((4 * MIN_PARALLEL_SIZE + 3, 1))
    calls = []

    def mark(block):
        calls.append(len(block))
        block += 1

    map_rows(mark, (a,), n_threads=4)
    assert len(calls) == 4
    np.testing.assert_array_equal(a, 1)


def _rows_incremented_in_blocks():
    a = np.zeros((4 * MIN_PARALLEL_SIZE, 1))
    map_rows(lambda block: block.__iadd__(1), (a,), n_threads=4)
    return float(a.sum())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_map_rows_in_a_forked_child():
    # the parent's thread pool exists; the child must not wait on its threads
    assert _rows_incremented_in_blocks() == 4 * MIN_PARALLEL_SIZE
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(_rows_incremented_in_blocks).get(timeout=60)
    assert result == 4 * MIN_PARALLEL_SIZE


def test_adam_eps_enters_the_denominator():
    # Kingma & Ba (2015): p -= lr m_hat / (sqrt(v_hat) + eps). A large eps must
    # change the step, by exactly that formula (the optimizer folds the bias
    # corrections into its constants; eps must be folded with them).
    eps, lr = 1.0, 0.1
    p1, p2 = two_steps("adam", 2.0, -1.0, learning_rate=lr, eps=eps)
    # gradients 2 then -1 from p = 1 (betas 0.9, 0.999): m_hat1 = 2, v_hat1 = 4;
    # m_hat2 = 0.08 / 0.19, v_hat2 = 0.004996 / 0.001999 (as in HAND)
    hand_p1 = 1 - lr * 2 / (np.sqrt(4) + eps)
    hand_p2 = hand_p1 - lr * (0.08 / 0.19) / (np.sqrt(0.004996 / 0.001999) + eps)
    np.testing.assert_allclose([p1, p2], [hand_p1, hand_p2], rtol=1e-12)
    small = two_steps("adam", 2.0, -1.0, learning_rate=lr, eps=1e-8)
    # eps = 1 shrinks the first step from 0.1 to 0.1 * 2 / 3: far beyond rounding
    assert abs(p1 - small[0]) > 0.03 and abs(p2 - small[1]) > 0.03
