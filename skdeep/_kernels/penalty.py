"""The 'auto' L2 penalty of a rectifier regressor, from the noise in its targets.

The best ridge penalty is the noise variance over the weights' prior variance
(lambda = alpha / beta, Bishop 2006, section 3.3.1): noisier targets want a
larger one. Half the mean squared difference between each row's target and
its nearest neighbour's estimates the noise variance, the error of the best
predictor (Devroye, Ferrario, Gyorfi & Walk 2013); over the targets' variance
it is the share of the variance that no function of ``X`` explains, plus a
bias that grows as the neighbours grow apart (few rows, many columns), where
a network overfits too.
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
#: noise), 1.0 from ~0.45 (diabetes, noisy linear sets), 0.1 below ~0.2 (the
#: panel's clean sets); measured on the regression sets of
#: ``benchmarks/defaults.py`` and the user guide's "Defaults" section
REFERENCE_ALPHA, REFERENCE_FRACTION, POWER = 0.3, 0.3, 3
MIN_ALPHA, MAX_ALPHA = 0.1, 1.0


def evenly_spaced_rows(n_samples, n_rows=NOISE_ROWS):
    """At most ``n_rows`` row indices, spread evenly over ``n_samples``."""
    if n_samples <= n_rows:
        return np.arange(n_samples)
    # steps of at least 1: the rounded indices are distinct
    return np.linspace(0, n_samples - 1, n_rows).round().astype(np.intp)


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
    Y = np.asarray(Y, dtype=np.float64).reshape(Y.shape[0], -1)
    if sample_weight is None:
        w = np.ones(Y.shape[0])
    else:
        w = np.asarray(sample_weight, dtype=np.float64)
        kept = np.flatnonzero(w > 0)
        X, Y, w = X[kept], Y[kept], w[kept]
    n = Y.shape[0]
    if n < 3:
        return 1.0
    mean = np.average(Y, axis=0, weights=w)
    total = float(np.sum(np.average((Y - mean) ** 2, axis=0, weights=w)))
    if total == 0.0:
        return 0.0
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


def noise_scaled_alpha(fraction):
    """The 'auto' penalty for a noise fraction (see the module's constants)."""
    alpha = REFERENCE_ALPHA * (fraction / REFERENCE_FRACTION) ** POWER
    return float(min(MAX_ALPHA, max(MIN_ALPHA, alpha)))
