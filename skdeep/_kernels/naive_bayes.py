"""Naive Bayes event models: counts, smoothed estimates, log-likelihoods.

Two event models for count or binary features (McCallum & Nigam 1998), with
scikit-learn's estimates: the multinomial model (``MultinomialNB``) and the
multivariate Bernoulli model (``BernoulliNB``). Counts are taken from weighted
responsibilities ``resp[i, k] = w_i p(k | x_i)``: a labeled row puts its
weight on its class, an unlabeled row spreads it by its class posterior.

The smoothed estimates are the MAP estimates under a symmetric Dirichlet
(Beta) prior of concentration ``alpha + 1``; ``log_prior`` is that prior's
log density up to a constant, the term the MAP objective of EM adds to the
log-likelihood.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


def counts(X, resp):
    """Weighted class counts and class-by-feature counts.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    resp : ndarray of shape (n_samples, n_classes)
        ``w_i p(k | x_i)``.

    Returns
    -------
    class_count : ndarray of shape (n_classes,)
    feature_count : ndarray of shape (n_classes, n_features)
        ``sum_i resp[i, k] x_ij``.
    """
    return resp.sum(axis=0), np.asarray(X.T @ resp).T


def multinomial_log_prob(feature_count, class_count, alpha):
    """``log theta_kj = log (N_kj + alpha) - log sum_j (N_kj + alpha)``."""
    smoothed = feature_count + alpha
    return np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))


def bernoulli_log_prob(feature_count, class_count, alpha):
    """``log p_kj = log (N_kj + alpha) - log (N_k + 2 alpha)``."""
    return np.log(feature_count + alpha) - np.log(class_count[:, None] + 2 * alpha)


def multinomial_log_likelihood(X, feature_log_prob):
    """``log p(x | k) = sum_j x_j log theta_kj`` (without the multinomial
    coefficient, a function of ``x`` alone), shape (n_samples, n_classes)."""
    return np.asarray(X @ feature_log_prob.T)


def _log1mexp(log_p):
    """``log(1 - p)`` from ``log p``."""
    return np.log1p(-np.exp(log_p))


def bernoulli_log_likelihood(X, feature_log_prob):
    """``log p(x | k) = sum_j x_j log p_kj + (1 - x_j) log(1 - p_kj)`` for binary x."""
    log_not = _log1mexp(feature_log_prob)
    return np.asarray(X @ (feature_log_prob - log_not).T) + log_not.sum(axis=1)


def multinomial_log_prior(feature_log_prob, alpha):
    """``alpha sum_kj log theta_kj``: a Dirichlet(alpha + 1) prior on each ``theta_k``."""
    return alpha * feature_log_prob.sum()


def bernoulli_log_prior(feature_log_prob, alpha):
    """``alpha sum_kj [log p_kj + log(1 - p_kj)]``: a Beta(alpha + 1, alpha + 1) prior."""
    return alpha * (feature_log_prob.sum() + _log1mexp(feature_log_prob).sum())


class EventModel(NamedTuple):
    """The three functions that make an event model."""

    log_prob: Callable
    log_likelihood: Callable
    log_prior: Callable


EVENT_MODELS = {
    "multinomial": EventModel(multinomial_log_prob, multinomial_log_likelihood,
                              multinomial_log_prior),
    "bernoulli": EventModel(bernoulli_log_prob, bernoulli_log_likelihood, bernoulli_log_prior),
}
