"""Column-wise affine scaling of a network's input, folded into its first layer.

A network fitted on ``x_s = (x - m) / r`` (each column scaled to [0, 1] by its
training minimum ``m`` and range ``r``, or standardized by its mean and
standard deviation) computes the same first-layer pre-activation on raw ``x``
with ``W / r`` and ``b - (m / r) W``: ``x_s W + b = x (W / r) + b - (m / r) W``.
A network whose linear output ``z W + b`` is such an ``x_s`` outputs ``x``
with ``W r`` and ``b r + m``.
"""

from .backend import astype, errstate, get_namespace


def unit_interval_scaling(*arrays):
    """``(m, r)``: the columns' minimum and range over the rows of ``arrays``
    (a range of 0, a constant column, counts as 1)."""
    xp = get_namespace(arrays[0])
    low = xp.min(xp.stack([xp.min(a, axis=0) for a in arrays]), axis=0)
    high = xp.max(xp.stack([xp.max(a, axis=0) for a in arrays]), axis=0)
    span = high - low
    return low, xp.where(span > 0, span, xp.ones_like(span))


def _root_mean_square(a, weights=None, axis=None):
    """``sqrt(mean(a ** 2))`` (weights summing to 1: ``sqrt(sum(w a ** 2))``),
    as ``t sqrt(mean((a / t) ** 2))`` with ``t = max |a|`` where the squares
    overflow (values of 1e30 in float32)."""
    xp = get_namespace(a)

    def rms(v):
        return xp.sqrt(xp.mean(v ** 2, axis=axis) if weights is None
                       else xp.sum(weights * v ** 2, axis=axis))

    with errstate(xp, over="ignore"):
        result = rms(a)
    if bool(xp.all(xp.isfinite(result))):
        return result
    top = xp.max(xp.abs(a), axis=axis, keepdims=True)
    top = xp.where(top > 0, top, xp.ones_like(top))
    return xp.reshape(top, result.shape) * rms(a / top)


def _means_and_deviations(X, sample_weight=None):
    """The columns' (weighted) means and standard deviations, 0 for a
    constant column (whose mean, rounded, would leave one of about 1e-17)."""
    xp = get_namespace(X)
    if sample_weight is None:
        w = None
        m = xp.mean(X, axis=0)
    else:
        w = sample_weight[:, None] / xp.sum(sample_weight)
        m = xp.sum(w * X, axis=0)
    deviation = _root_mean_square(X - m, w, axis=0)
    constant = xp.max(X, axis=0) == xp.min(X, axis=0)
    return m, xp.where(constant, xp.zeros_like(deviation), deviation)


def standardization(X, sample_weight=None):
    """``(m, r)``: the columns' (weighted) mean and standard deviation (a
    deviation of 0, a constant column, counts as 1)."""
    xp = get_namespace(X)
    m, r = _means_and_deviations(X, sample_weight)
    return m, xp.where(r > 0, r, xp.ones_like(r))


def common_scale_standardization(X, sample_weight=None):
    """``(m, r)``: the columns' (weighted) means, and for every column one
    scale, the root mean square of their standard deviations (1 for constant
    data). Squared error in these units is squared error in ``X``'s divided
    by ``r ** 2``: the same minimiser, in units of mean variance 1."""
    xp = get_namespace(X)
    m, deviation = _means_and_deviations(X, sample_weight)
    scale = _root_mean_square(deviation)
    return m, xp.ones_like(m) * xp.where(scale > 0, scale, xp.ones_like(scale))


def binary_variance_share(X, sample_weight=None):
    """The columns' summed (weighted) variance over ``sum m (1 - m)``, the
    variance of binary columns of the same means ``m``, for ``X`` in [0, 1]: 1
    for binary data, the most any values in [0, 1] reach (``x^2 <= x``), and
    near 0 for values that crowd the middle of the interval (1 where every
    column is constant at 0 or 1)."""
    xp = get_namespace(X)
    m, deviation = _means_and_deviations(X, sample_weight)
    binary = xp.sum(m * (1 - m))
    return float(xp.sum(deviation ** 2) / binary) if float(binary) > 0 else 1.0


def scaled(X, m, r):
    """``(X - m) / r``, in the dtype of ``m`` (the fitted model's)."""
    return (astype(X, m.dtype, copy=False) - m) / r


def unscaled(X, m, r):
    """``X r + m``, the inverse of :func:`scaled`."""
    return X * r + m


def fold_scaling(W, b, m, r):
    """The layer ``(W, b)`` of scaled input as a layer of raw input."""
    W_raw = W / r[:, None]
    return W_raw, b - m @ W_raw


def unfold_scaling(W, b, m, r):
    """Inverse of :func:`fold_scaling`: the layer of raw input ``(W, b)`` as a
    layer of scaled input."""
    return W * r[:, None], b + m @ W


def fold_output_scaling(W, b, m, r):
    """The linear output layer ``(W, b)`` of scaled units as a layer of raw
    units (``x = x_s r + m``)."""
    return W * r, b * r + m


def unfold_output_scaling(W, b, m, r):
    """Inverse of :func:`fold_output_scaling`."""
    return W / r, (b - m) / r
