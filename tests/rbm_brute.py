"""Brute-force RBM quantities by enumerating every joint state (tiny models only).

Written from the energy alone, independently of ``skdeep._kernels``, so the
tests compare the kernels against a second computation. Binary units only;
Gaussian units are checked by numerical integration in the tests themselves.
"""

import itertools

import numpy as np
from scipy.special import logsumexp


def states(n):
    """All 2**n binary vectors of length n, one per row."""
    return np.array(list(itertools.product([0.0, 1.0], repeat=n)))


def random_params(n_visible, n_hidden, rng, scale=1.0):
    """Weights (n_hidden, n_visible), visible and hidden biases."""
    W = scale * rng.standard_normal((n_hidden, n_visible))
    b = 0.5 * scale * rng.standard_normal(n_visible)
    c = 0.5 * scale * rng.standard_normal(n_hidden)
    return W, b, c


def neg_energy(V, Hs, W, b, c):
    """-E(v, h) = b.v + c.h + h W v for every pair: shape (len(V), len(Hs))."""
    return (V @ b)[:, None] + (Hs @ c)[None, :] + V @ W.T @ Hs.T


def log_joint_table(W, b, c):
    """(V, H, log p(v, h)) over every binary state of both layers."""
    V, Hs = states(W.shape[1]), states(W.shape[0])
    log_p = neg_energy(V, Hs, W, b, c)
    return V, Hs, log_p - logsumexp(log_p)


def log_z(W, b, c):
    """log of the sum of exp(-E) over both layers."""
    return float(logsumexp(neg_energy(states(W.shape[1]), states(W.shape[0]), W, b, c)))


def free_energy(V, W, b, c):
    """-log sum_h exp(-E(v, h)) per row of V."""
    return -logsumexp(neg_energy(V, states(W.shape[0]), W, b, c), axis=1)


def log_likelihood(V, W, b, c):
    """log p(v) per row of V."""
    return -free_energy(V, W, b, c) - log_z(W, b, c)


def hidden_posterior(V, W, b, c):
    """P(h_j = 1 | v) per row, by summing p(h | v) over all h."""
    Hs = states(W.shape[0])
    log_p = neg_energy(V, Hs, W, b, c)
    p = np.exp(log_p - logsumexp(log_p, axis=1, keepdims=True))
    return p @ Hs


def visible_posterior(Hrows, W, b, c):
    """P(v_i = 1 | h) per row, by summing p(v | h) over all v."""
    V = states(W.shape[1])
    log_p = neg_energy(V, Hrows, W, b, c).T
    p = np.exp(log_p - logsumexp(log_p, axis=1, keepdims=True))
    return p @ V


def nll_gradient(X, W, b, c):
    """Exact gradient of the mean negative log-likelihood of the rows of X:
    <h v^T>_model - <E[h|v] v^T>_data and likewise for the biases."""
    V, Hs, log_p = log_joint_table(W, b, c)
    p = np.exp(log_p)
    model_W = Hs.T @ p.T @ V
    model_b = p.sum(axis=1) @ V
    model_c = p.sum(axis=0) @ Hs
    ph = hidden_posterior(X, W, b, c)
    n = len(X)
    return (model_W - ph.T @ X / n, model_b - X.mean(axis=0), model_c - ph.mean(axis=0))


def visible_distribution(W, b, c):
    """(V, p(v)) over every visible state."""
    V = states(W.shape[1])
    return V, np.exp(log_likelihood(V, W, b, c))


def state_index(V):
    """Row of ``states(n)`` that each binary row of V is."""
    n = V.shape[1]
    return (V.astype(np.int64) * (1 << np.arange(n - 1, -1, -1))).sum(axis=1)
