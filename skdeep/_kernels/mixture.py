"""Gaussian mixtures fitted to weighted rows, and posteriors of a mixture.

The M-step takes *weighted responsibilities* ``resp[i, m] = w_i r_im``: the
weight of row ``i`` times its responsibility for component ``m``. With unit
weights these are scikit-learn's ``GaussianMixture`` estimates; an integer
weight ``w_i`` gives the estimates of the data with row ``i`` repeated ``w_i``
times. Rows may come in several blocks (``parts``), so that rows shared by
several mixtures (the unlabeled rows of a semi-supervised fit) need not be
copied next to each mixture's own rows.

Covariance types as :class:`sklearn.mixture.GaussianMixture`: ``'full'`` (one
matrix per component), ``'tied'`` (one matrix for all components), ``'diag'``
(one variance vector per component), ``'spherical'`` (one variance per
component). ``reg_covar`` is added to every variance.
"""

import math

import numpy as np
from scipy import linalg
from scipy.special import logsumexp


def log_posterior(joint_log_likelihood):
    """``log p(x)`` and ``log p(k | x)`` from ``log p(x, k)``.

    Parameters
    ----------
    joint_log_likelihood : ndarray of shape (n_samples, n_classes)
        ``log p(x, k)`` (a class or a mixture component ``k``).

    Returns
    -------
    log_evidence : ndarray of shape (n_samples,)
        ``log p(x) = logsumexp_k log p(x, k)``.
    log_resp : ndarray of shape (n_samples, n_classes)
        ``log p(k | x)``.
    """
    log_evidence = logsumexp(joint_log_likelihood, axis=1)
    return log_evidence, joint_log_likelihood - log_evidence[:, None]


def _scatter(parts, means, m):
    """``sum_i resp[i, m] (x_i - mu_m)(x_i - mu_m)^T`` over every part."""
    total = 0.0
    for X, resp in parts:
        diff = X - means[m]
        total = total + (resp[:, m] * diff.T) @ diff
    return total


def _covariances_full(parts, nk, means, reg_covar):
    n_components, n_features = means.shape
    covariances = np.empty((n_components, n_features, n_features), dtype=means.dtype)
    for m in range(n_components):
        covariances[m] = _scatter(parts, means, m) / nk[m]
        covariances[m].flat[:: n_features + 1] += reg_covar
    return covariances


def _covariances_tied(parts, nk, means, reg_covar):
    n_features = means.shape[1]
    covariance = sum(_scatter(parts, means, m) for m in range(len(means))) / nk.sum()
    covariance.flat[:: n_features + 1] += reg_covar
    return covariance


def _covariances_diag(parts, nk, means, reg_covar):
    squares = np.stack(
        [sum(resp[:, m] @ (X - means[m]) ** 2 for X, resp in parts) for m in range(len(means))]
    )
    return squares / nk[:, None] + reg_covar


def _covariances_spherical(parts, nk, means, reg_covar):
    return _covariances_diag(parts, nk, means, reg_covar).mean(axis=1)


COVARIANCES = {
    "full": _covariances_full,
    "tied": _covariances_tied,
    "diag": _covariances_diag,
    "spherical": _covariances_spherical,
}


def gaussian_parameters(parts, reg_covar, covariance_type):
    """M-step of a Gaussian mixture from weighted responsibilities.

    Parameters
    ----------
    parts : sequence of (X, resp)
        Blocks of rows ``X`` of shape (n_rows, n_features) and their weighted
        responsibilities ``resp`` of shape (n_rows, n_components), ``w_i r_im``.
    reg_covar : float
        Added to every variance.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    nk : ndarray of shape (n_components,)
        Weighted row count of each component (plus ``10 eps``, as scikit-learn,
        so that an empty component divides by a positive number).
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        Shape by ``covariance_type``, as ``GaussianMixture.covariances_``.
    """
    dtype = parts[0][0].dtype
    nk = sum(resp.sum(axis=0) for _, resp in parts) + 10 * np.finfo(dtype).eps
    means = sum(resp.T @ X for X, resp in parts) / nk[:, None]
    return nk, means, COVARIANCES[covariance_type](parts, nk, means, reg_covar)


def precision_cholesky(covariances, covariance_type):
    """Cholesky factors of the precisions, as ``GaussianMixture.precisions_cholesky_``.

    Raises ``numpy.linalg.LinAlgError`` when a covariance is not positive definite.
    """
    if covariance_type in ("full", "tied"):
        stack = covariances if covariance_type == "full" else covariances[None]
        (trtri,) = linalg.get_lapack_funcs(("trtri",), (stack,))
        chol = np.empty_like(stack)
        for m, covariance in enumerate(stack):
            # the inverse of the lower Cholesky factor, transposed; LAPACK's
            # triangular inverse (solve_triangular can be slow on tiny matrices)
            inverse, info = trtri(linalg.cholesky(covariance, lower=True), lower=1)
            if info != 0:
                raise np.linalg.LinAlgError("a covariance is singular")
            chol[m] = np.tril(inverse).T
        return chol if covariance_type == "full" else chol[0]
    if np.any(covariances <= 0.0):
        raise np.linalg.LinAlgError("a variance is not positive")
    return 1.0 / np.sqrt(covariances)


def precisions(precisions_chol, covariance_type):
    """Precision matrices (or vectors) from their Cholesky factors."""
    if covariance_type == "full":
        return precisions_chol @ np.swapaxes(precisions_chol, 1, 2)
    if covariance_type == "tied":
        return precisions_chol @ precisions_chol.T
    return precisions_chol**2


def gaussian_log_prob(X, means, precisions_chol, covariance_type):
    """``log N(x_i | mu_m, Sigma_m)`` of shape (n_samples, n_components).

    The same formulas as scikit-learn's ``GaussianMixture``, so that a mixture
    fitted here scores rows as the ``GaussianMixture`` holding its parameters.
    """
    n_features = X.shape[1]
    if covariance_type in ("full", "tied"):
        stack = precisions_chol if covariance_type == "full" else [precisions_chol] * len(means)
        log_prob = np.empty((X.shape[0], len(means)), dtype=X.dtype)
        log_det = np.empty(len(means), dtype=X.dtype)
        for m, (mu, chol) in enumerate(zip(means, stack)):
            y = X @ chol - mu @ chol
            log_prob[:, m] = np.sum(y * y, axis=1)
            log_det[m] = np.sum(np.log(np.diag(chol)))
    elif covariance_type == "diag":
        prec = precisions_chol**2
        log_det = np.sum(np.log(precisions_chol), axis=1)
        log_prob = np.sum(means**2 * prec, axis=1) - 2.0 * (X @ (means * prec).T) + (X**2) @ prec.T
    else:
        prec = precisions_chol**2
        log_det = n_features * np.log(precisions_chol)
        log_prob = (
            np.sum(means**2, axis=1) * prec
            - 2.0 * (X @ means.T * prec)
            + np.outer(np.einsum("ij,ij->i", X, X), prec)
        )
    return -0.5 * (n_features * math.log(2 * math.pi) + log_prob) + log_det
