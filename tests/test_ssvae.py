"""Tests of the M2 kernels (skdeep/_kernels/ssvae.py) and SemiSupervisedVAE."""

import pickle

import numpy as np
import pytest
from scipy.special import logsumexp, softmax
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from finite_differences import numerical_gradient
from skdeep import SemiSupervisedVAE, VariationalAutoencoder
from skdeep._kernels import ssvae, vae
from skdeep._kernels.network import forward
from skdeep._training import DivergenceError

# short fits stop at max_iter on purpose
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_FEATURES, N_CLASSES, N_LATENT = 5, 3, 2


# ---------------------------------------------------------------- kernels
def _tiny_networks(rng, encoder_hidden=(4,)):
    def net(sizes):
        coefs = [rng.normal(scale=0.7, size=s) for s in zip(sizes[:-1], sizes[1:])]
        intercepts = [rng.normal(scale=0.3, size=s) for s in sizes[1:]]
        return coefs, intercepts, ["tanh"] * (len(coefs) - 1) + ["identity"]

    return (net([N_FEATURES + N_CLASSES, *encoder_hidden, 2 * N_LATENT]),
            net([N_LATENT + N_CLASSES, 3, N_FEATURES]),
            net([N_FEATURES, 3, N_CLASSES]))


def _batch(rng, likelihood, y):
    n = len(y)
    X = (rng.random((n, N_FEATURES)) < 0.5) * 1.0 if likelihood == "bernoulli" \
        else rng.normal(size=(n, N_FEATURES))
    n_copies = int(np.sum(y >= 0) + N_CLASSES * np.sum(y < 0))
    return X, rng.standard_normal((n_copies, N_LATENT))  # fixed noise: a smooth objective


def _independent_bounds(X, y, eps, encoder, decoder, classifier, likelihood):
    """L(x, y) and U(x) from plain forward passes on [x, one_hot(y)] and
    [z, one_hot(y)], the noise taken in the kernel's order (labeled rows, then
    the unlabeled rows class by class)."""
    eye = np.eye(N_CLASSES)
    noise = iter(eps)

    def L(x, k):
        h = forward(np.concatenate([x, eye[k]])[None], *encoder).output[0]
        mu, log_var = h[:N_LATENT], h[N_LATENT:]
        z = mu + np.exp(log_var / 2) * next(noise)
        out = forward(np.concatenate([z, eye[k]])[None], *decoder).output
        return (vae.LIKELIHOODS[likelihood].log_prob(x[None], out)[0]
                - vae.gaussian_kl(mu[None], log_var[None])[0] - np.log(N_CLASSES))

    bound = np.empty(len(y))
    labeled, unlabeled = np.flatnonzero(y >= 0), np.flatnonzero(y < 0)
    for i in labeled:
        bound[i] = L(X[i], y[i])
    L_u = np.array([[L(X[i], k) for i in unlabeled] for k in range(N_CLASSES)]).T
    q = softmax(forward(X[unlabeled], *classifier).output, axis=1)
    entropy = -np.sum(q * np.log(q), axis=1)
    bound[unlabeled] = np.sum(q * L_u, axis=1) + entropy
    return bound


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
@pytest.mark.parametrize("encoder_hidden", [(4,), ()], ids=["hidden", "linear"])
def test_bounds_match_an_independent_computation(rng, likelihood, encoder_hidden):
    encoder, decoder, classifier = _tiny_networks(rng, encoder_hidden)
    y = np.array([2, -1, 0, -1, -1, 1])
    X, eps = _batch(rng, likelihood, y)
    bound, *_ = ssvae.objective_gradients(X, y, X[:0], y[:0], eps, encoder, decoder, classifier,
                                          likelihood, N_CLASSES, 1.0, 0.0)
    expected = _independent_bounds(X, y, eps, encoder, decoder, classifier, likelihood)
    # the same float64 sums in another order: agreement to rounding
    np.testing.assert_allclose(bound, expected, rtol=1e-12, atol=1e-12)


CASES = {  # (labels of the bound's rows, rows classified, bound weight, classification weight)
    "labeled": ([2, 0, 1, 0], 0, 0.25, 0.0),
    "unlabeled": ([-1, -1, -1], 0, 1 / 3, 0.0),
    "classification": ([-1, 1], 4, 0.0, 0.7),
    "all": ([2, -1, 0, -1, 1], 3, 0.2, 0.3),
}


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
@pytest.mark.parametrize("case", CASES)
def test_objective_gradients_match_finite_differences(rng, likelihood, case):
    labels, n_classify, bound_weight, classification_weight = CASES[case]
    y = np.array(labels)
    encoder, decoder, classifier = _tiny_networks(rng)
    X, eps = _batch(rng, likelihood, y)
    X_c = rng.random((n_classify, N_FEATURES))
    y_c = rng.integers(N_CLASSES, size=n_classify)

    def run():
        return ssvae.objective_gradients(X, y, X_c, y_c, eps, encoder, decoder, classifier,
                                         likelihood, N_CLASSES, bound_weight,
                                         classification_weight)

    def loss():
        bound, nll, *_ = run()
        return -bound_weight * bound.sum() + classification_weight * (nll.mean() if len(nll) else 0)

    grads = run()[2:]
    for net, g in zip((encoder, decoder, classifier), grads):
        for a, ga in zip(net[0] + net[1], g.coefs + g.intercepts):
            # central differences at eps=1e-6 in float64: truncation and rounding ~1e-9
            np.testing.assert_allclose(ga, numerical_gradient(loss, a), atol=1e-7)
