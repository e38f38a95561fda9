"""The 'auto' L2 penalty of a rectifier regressor, from the noise in its targets.

The best ridge penalty is the noise variance over the weights' prior variance
(lambda = alpha / beta, Bishop 2006, section 3.3.1): noisier targets want a
larger one. Half the mean squared difference between each row's target and
its nearest neighbour's estimates the noise variance, the error of the best
predictor (Devroye, Ferrario, Gyorfi & Walk 2013); over the targets' variance
it is the share of the variance that no function of ``X`` explains, plus a
bias that grows as the neighbours grow apart (few rows, many columns), where
a network overfits too.

A target that varies faster than any linear function wants large weights (a
large prior variance), so the penalty falls again where a linear fit leaves
much more of the variance unexplained than the neighbours do: the share of a
nonlinear signal, the leave-one-out error of ridge regression less the
neighbours' estimate.
"""

import numpy as np
import scipy.sparse as sp

#: rows the noise is estimated on (evenly spaced through ``X``)
NOISE_ROWS = 2000
#: rows whose distances to all others are held at once (three matrices of
#: 256 x 2,000 float64: 12 MB)
DISTANCE_BLOCK = 256
#: ``alpha = REFERENCE_ALPHA * (fraction / REFERENCE_FRACTION) ** POWER`` in
#: [MIN_ALPHA, MAX_ALPHA]: 0.3 for the ~0.3 of friedman1 (10 columns, 5 of them
#: noise), 1.0 from ~0.45 (diabetes, noisy linear sets), 3 from ~0.63 (noisy
#: sets of many columns), 0.1 below ~0.2 (the panel's clean sets); measured on
#: the regression sets of ``benchmarks/defaults.py`` and the user guide's
#: "Defaults" section
REFERENCE_ALPHA, REFERENCE_FRACTION, POWER = 0.3, 0.3, 3
MIN_ALPHA, MAX_ALPHA = 0.1, 3.0
#: a nonlinear share (ridge's leave-one-out error fraction less the noise
#: fraction) up to the first keeps the noise's penalty, one from the second
#: takes NONLINEAR_ALPHA, and one between a geometric mean of the two
NONLINEAR_SHARES = (0.05, 0.15)
NONLINEAR_ALPHA = 0.01
#: penalties of the linear fit, in units of the largest squared singular value
#: of the centred rows
RIDGE_PENALTIES = np.logspace(-6, 1, 29)


def evenly_spaced_rows(n_samples, n_rows=NOISE_ROWS):
    """At most ``n_rows`` row indices, spread evenly over ``n_samples``."""
    if n_samples <= n_rows:
        return np.arange(n_samples)
    # steps of at least 1: the rounded indices are distinct
    return np.linspace(0, n_samples - 1, n_rows).round().astype(np.intp)


def _weighted_targets(X, Y, sample_weight):
    """``(X, Y, w, total)`` over the rows of positive weight, ``Y`` as float64
    columns and ``total`` its weighted variance summed over the columns; or a
    fraction to return at once: 1 below 3 rows, 0 for constant targets."""
    Y = np.asarray(Y, dtype=np.float64).reshape(Y.shape[0], -1)
    if sample_weight is None:
        w = np.ones(Y.shape[0])
    else:
        w = np.asarray(sample_weight, dtype=np.float64)
        kept = np.flatnonzero(w > 0)
        X, Y, w = X[kept], Y[kept], w[kept]
    if Y.shape[0] < 3:
        return 1.0
    mean = np.average(Y, axis=0, weights=w)
    total = float(np.sum(np.average((Y - mean) ** 2, axis=0, weights=w)))
    if total == 0.0:
        return 0.0
    return X, Y, w, total


def neighbour_noise_fraction(X, Y, sample_weight=None):
    """``sum_i w_i ||Y_i - Y_nn(i)||^2 / 2 sum_i w_i`` over the total
    (weighted) variance of ``Y``.

    ``X`` (numpy or scipy sparse), ``Y`` (numpy, one column per target) and
    ``sample_weight`` (numpy, or None for ones) on the host; ``nn(i)`` is the
    row nearest to row ``i`` at a positive Euclidean distance, among the rows
    of positive weight (a row of weight 0 takes no part; ``k`` copies of a
    row count as the row at weight ``k``). 0 for constant targets, and 1 for
    fewer than 3 rows or rows all alike (no neighbour to learn from).
    """
    rows = _weighted_targets(X, Y, sample_weight)
    if isinstance(rows, float):
        return rows
    X, Y, w, total = rows
    n = Y.shape[0]
    # in X's own dtype: the nearest row is all that is needed, and a wide
    # float32 X is not copied
    if sp.issparse(X):
        X = sp.csr_matrix(X)
        squares = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    else:
        X = np.asarray(X)
        squares = np.einsum("ij,ij->i", X, X)
    nearest = np.empty(n, dtype=np.intp)
    for start in range(0, n, DISTANCE_BLOCK):
        block = slice(start, start + DISTANCE_BLOCK)
        gram = X[block] @ X.T
        gram = gram.toarray() if sp.issparse(gram) else gram
        # the nearest row at a positive distance: a copy of a row is not its
        # neighbour, so k copies of a row count as the row at weight k
        scale = squares[block, None] + squares[None, :]
        distances = scale - 2 * gram
        distances[distances <= 8 * np.finfo(distances.dtype).eps * scale] = np.inf
        nearest[block] = np.argmin(distances, axis=1)
        if start == 0 and not np.isfinite(distances[0]).any():
            return 1.0  # the first row has no neighbour: every row is alike
    squared = np.sum((Y - Y[nearest]) ** 2, axis=1)
    return float(np.sum(w * squared) / (2 * np.sum(w)) / total)


def ridge_loo_errors(X, Y, sample_weight=None, penalties=RIDGE_PENALTIES):
    """Leave-one-out squared errors of ridge regressions of ``Y`` on ``X``,
    one per penalty: ``sum_i w_i ||Y_i - f_-i(X_i)||^2 / sum_i w_i``.

    ``f_-i`` minimises ``sum_j w_j ||Y_j - X_j B - b||^2 + lam ||B||^2`` over
    the rows but ``i``, the intercept ``b`` unpenalized, with ``lam`` each
    of ``penalties`` times the largest squared singular value of the
    weighted, centred rows ``Z = W^(1/2) (X - mean)``. Closed form (Allen
    1974; Golub, Heath & Wahba 1979): with ``Z = U S V'`` the hat matrix of
    the weighted rows is ``q q' + U S^2 (S^2 + lam)^-1 U'``, ``q`` the unit
    vector along ``W^(1/2) 1``, and row ``i``'s left-out residual is its
    residual over ``1 - h_ii``. Inputs as :func:`neighbour_noise_fraction`'s;
    rows of weight 0 take no part. NaN below 3 rows and for constant targets.
    """
    rows = _weighted_targets(X, Y, sample_weight)
    if isinstance(rows, float):
        return np.full(len(penalties), np.nan)
    return _leave_one_out_errors(*rows[:3], penalties)


def _leave_one_out_errors(X, Y, w, penalties):
    """:func:`ridge_loo_errors` on rows of positive weight ``w`` and float64
    columns ``Y`` (as :func:`_weighted_targets` gives them)."""
    share = w / w.sum()
    root = np.sqrt(w)[:, None]
    Yt = root * (Y - share @ Y)
    X = X.toarray() if sp.issparse(X) and X.shape[1] <= X.shape[0] else X
    if sp.issparse(X) or X.shape[1] > X.shape[0]:
        # more columns than rows: the eigenvectors of the centred Gram matrix
        gram = X @ X.T
        gram = np.asarray(gram.toarray() if sp.issparse(gram) else gram, dtype=np.float64)
        means = gram @ share  # centred: K - 1 m' - m 1' + (share' m) 1 1'
        gram += float(share @ means) - means[:, None] - means[None, :]
        squares, U = np.linalg.eigh(root * gram * root.T)
        squares = np.clip(squares, 0.0, None)
    else:
        X = np.asarray(X, dtype=np.float64)
        U, singular, _ = np.linalg.svd(root * (X - share @ X), full_matrices=False)
        squares = singular ** 2
    projections = U.T @ Yt
    scale = max(float(squares.max()), np.finfo(np.float64).tiny)
    errors = []
    for lam in scale * np.asarray(penalties):
        shrink = squares / (squares + lam)
        leverage = share + (U ** 2) @ shrink
        residuals = Yt - U @ (shrink[:, None] * projections)
        left_out = residuals / (1.0 - leverage)[:, None]
        errors.append(float(np.sum(left_out ** 2)) / w.sum())
    return np.array(errors)


def linear_error_fraction(X, Y, sample_weight=None):
    """The least :func:`ridge_loo_errors` over the total (weighted) variance
    of ``Y``: the share of the variance a linear function leaves unexplained
    on rows it has not seen. 0 for constant targets, 1 below 3 rows."""
    rows = _weighted_targets(X, Y, sample_weight)
    if isinstance(rows, float):
        return rows
    X, Y, w, total = rows
    return float(np.min(_leave_one_out_errors(X, Y, w, RIDGE_PENALTIES))) / total


def noise_scaled_alpha(fraction, linear_fraction=None):
    """The 'auto' penalty for a noise fraction and a linear fit's error
    fraction (see the module's constants); ``None`` for the latter takes the
    noise's penalty alone."""
    alpha = REFERENCE_ALPHA * (fraction / REFERENCE_FRACTION) ** POWER
    alpha = min(MAX_ALPHA, max(MIN_ALPHA, alpha))
    if linear_fraction is None:
        return float(alpha)
    low, high = NONLINEAR_SHARES
    t = min(1.0, max(0.0, (linear_fraction - fraction - low) / (high - low)))
    return float(alpha ** (1 - t) * NONLINEAR_ALPHA ** t)
