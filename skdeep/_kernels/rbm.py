"""Restricted Boltzmann machine maths.

Notation (Hinton 2002; Hinton 2010, "A practical guide to training RBMs"):
weights ``W`` of shape (n_hidden, n_visible), visible bias ``b``, hidden bias
``c``, energy ``E(v, h) = phi_v(v; b) + phi_h(h; c) - h W v`` where ``phi`` is
given by the unit type (see :mod:`skdeep._kernels.units`).
"""

from collections import namedtuple

import numpy as np

from .backend import (
    as_scalar,
    astype,
    concat,
    empty,
    full,
    get_namespace,
    may_share_memory,
    noise_dtype,
    vecdot,
    weight_total,
    zeros,
)
from .parallel import map_rows
from .units import UNITS


def _activate(pre, bias, unit):
    """pre <- mean of ``unit`` units with total input ``pre + bias``, in row blocks
    on the BLAS threads."""
    mean = UNITS[unit].mean

    def block(rows):
        rows += bias
        mean(rows, out=rows)

    map_rows(block, (pre,))
    return pre


def hidden_mean(v, W, c, hidden="bernoulli", out=None):
    """E[h | v]: sigmoid(v W^T + c) for binary units, v W^T + c for Gaussian.

    ``v`` may be a scipy sparse matrix when ``out`` is None.
    """
    pre = v @ W.T if out is None else get_namespace(v, W).matmul(v, W.T, out=out)
    return _activate(pre, c, hidden)


def visible_mean(h, W, b, visible="bernoulli", out=None):
    """E[v | h]: sigmoid(h W + b) for binary units, h W + b for Gaussian."""
    pre = h @ W if out is None else get_namespace(h, W).matmul(h, W, out=out)
    return _activate(pre, b, visible)


#: dtype of the uniform and normal draws, whatever the model's dtype: float32
#: draws are faster, and a float32 and a float64 model fitted with the same seed
#: see the same random numbers (other libraries: their float32, see
#: :func:`.backend.noise_dtype`)
NOISE_DTYPE = np.float32


def sample_units(mean, rng, unit="bernoulli"):
    """One sample of units whose conditional mean is ``mean``."""
    xp = get_namespace(mean)
    out = xp.empty_like(mean)
    noise = empty(mean.shape, noise_dtype(xp), like=mean)
    return UNITS[unit].sample(mean, rng, out, noise)


def free_energy(v, W, b, c, visible="bernoulli", hidden="bernoulli"):
    """F(v) = -log sum_h exp(-E(v, h)), one value per row of ``v``."""
    x = v @ W.T
    x += c
    return UNITS[visible].energy(v, b) - UNITS[hidden].log_marginal(x, c)


def hidden_free_energy(h, W, b, c, visible="bernoulli", hidden="bernoulli"):
    """F(h) = -log sum_v exp(-E(v, h)) (an integral for Gaussian visible units)."""
    x = h @ W
    x += b
    return UNITS[hidden].energy(h, c) - UNITS[visible].log_marginal(x, b)


def gibbs_step(v, W, b, c, rng, visible="bernoulli", hidden="bernoulli"):
    """One step v -> h -> v' of block Gibbs sampling; returns (v', E[h|v])."""
    ph = hidden_mean(v, W, c, hidden)
    h = sample_units(ph, rng, hidden)
    return sample_units(visible_mean(h, W, b, visible), rng, visible), ph


def pseudo_log_likelihood(v, W, b, c, visible="bernoulli", hidden="bernoulli"):
    """Deterministic pseudo-log-likelihood of binary rows: sum_i log p(v_i | v_-i).

    Every bit is flipped in turn (Besag 1975), so the value is exact, not the
    one-random-bit estimate scaled by n_features.
    """
    xp = get_namespace(v, W)
    x = v @ W.T
    x += c
    f0 = UNITS[visible].energy(v, b) - UNITS[hidden].log_marginal(x, c)
    total = zeros(v.shape[0], xp.result_type(v, W), like=W)
    for i in range(v.shape[1]):
        sign = 1.0 - 2.0 * v[:, i]  # +1 when the bit turns on, -1 when off
        xi = x + sign[:, None] * W[:, i][None, :]
        fi = -sign * b[i] - v @ b - UNITS[hidden].log_marginal(xi, c)
        # log p(v_i | v_-i) = -F(v) - log(exp(-F(v)) + exp(-F(v flipped)))
        total -= xp.logaddexp(0, f0 - fi)
    return total


class CDWorkspace:
    """Preallocated buffers for contrastive-divergence steps on batches of up to
    ``n``, in the namespace and on the device of ``like`` (numpy when None).

    The views a batch of ``m`` rows uses are made once per ``m`` (slicing a
    PyTorch tensor costs microseconds) and kept in a slot, so that the
    instance's ``__dict__`` holds the buffers alone.
    """

    __slots__ = ("__dict__", "_batches")

    def __init__(self, n, n_visible, n_hidden, dtype, like=None):
        noise = noise_dtype(get_namespace(like))
        self.V = empty((2 * n, n_visible), dtype, like)  # [v0; vk]
        self.H = empty((2 * n, n_hidden), dtype, like)  # [E(h|v0); E(h|vk)]
        self.h = empty((n, n_hidden), dtype, like)
        self.noise_h = empty((n, n_hidden), noise, like)
        self.noise_v = empty((n, n_visible), noise, like)
        self.grad_W = empty((n_hidden, n_visible), dtype, like)
        self._batches = {}

    def batch(self, m):
        """The views of a batch of ``m`` rows: ``V, H`` (2m rows), their
        positive and negative halves, the noise buffers, the hidden states and
        the row weights ``signs`` (-1/m on the positive rows, +1/m on the
        negative ones)."""
        views = self._batches.get(m)
        if views is None:
            V, H = self.V[: 2 * m, :], self.H[: 2 * m, :]
            # weights -1/m on the positive rows, +1/m on the negative ones: the
            # bias gradients are two matrix-vector products, and scaling the
            # (2m, n_hidden) factor scales the (n_hidden, n_visible) weight gradient
            signs = full(2 * m, 1.0 / m, H.dtype, like=H)
            signs[:m] *= -1
            views = self._batches[m] = _BatchViews(
                V, H, V[:m, :], V[m:, :], H[:m, :], H[m:, :], self.noise_h[:m, :],
                self.noise_v[:m, :], self.h[:m, :], signs)
        return views


_BatchViews = namedtuple("_BatchViews", "V H v_pos v_neg ph_pos ph_neg noise_h noise_v h signs")


def cd_gradient(v0, W, b, c, rng, ws, *, k=1, chain=None, visible="bernoulli",
                hidden="bernoulli", sample_weight=None):
    """Gradient of the negative log-likelihood estimated by CD-k or PCD-k.

    With ``chain=None`` the negative chain starts from a sample of h | v0 (CD-k,
    Hinton 2002); otherwise it continues from the persistent hidden states
    ``chain`` (PCD-k, Tieleman 2008), whose first ``len(v0)`` rows advance in
    place. Returns ``(grad_W, grad_b, grad_c)`` averaged over the rows of ``v0``
    (weighted by ``sample_weight``: the data statistics, and those of the CD
    chains that start at the rows; PCD's chains sample the model and count
    alike); ``grad_W`` is ``ws.grad_W``.

    The weight gradient is one stacked product,
    ``[-E(h|v0); E(h|vk)]^T [v0; vk] / n`` (Hinton 2002, eq. 5).
    """
    xp = get_namespace(v0, W)
    vis, hid = UNITS[visible], UNITS[hidden]
    n = v0.shape[0]
    V, H, v_pos, v_neg, ph_pos, ph_neg, noise_h, noise_v, h, signs = ws.batch(n)
    if sample_weight is not None:
        positive = astype(sample_weight, H.dtype) / weight_total(sample_weight)
        # PCD's chains sample the model: they count alike, in a batch with weight
        negative = (positive if chain is None
                    else signs[n:] * astype(xp.sum(sample_weight) > 0, H.dtype))
        signs = concat([-positive, negative])
    if not may_share_memory(v0, v_pos):
        v_pos[...] = v0
    if chain is None:
        hidden_mean(v_pos, W, c, hidden, out=ph_pos)
        hid.sample(ph_pos, rng, h, noise_h)
    else:
        h = chain[:n, :]
    for step in range(k):
        visible_mean(h, W, b, visible, out=v_neg)
        vis.sample(v_neg, rng, v_neg, noise_v)
        if step < k - 1:
            hidden_mean(v_neg, W, c, hidden, out=ph_neg)
            hid.sample(ph_neg, rng, h, noise_h)
    if chain is None:
        hidden_mean(v_neg, W, c, hidden, out=ph_neg)
    else:
        # the positive phase and the last negative one in one product
        hidden_mean(V, W, c, hidden, out=H)
        hid.sample(ph_neg, rng, h, noise_h)

    grad_b = signs @ V
    grad_c = signs @ H
    H *= signs[:, None]
    grad_W = xp.matmul(H.T, V, out=ws.grad_W)
    return grad_W, grad_b, grad_c


def reconstruction_error(v, W, b, c, visible="bernoulli", hidden="bernoulli"):
    """Mean over rows of ||v - E[v | E[h | v]]||^2 (a deterministic mean-field
    pass): a float for numpy, a 0-d array on the device otherwise."""
    r = visible_mean(hidden_mean(v, W, c, hidden), W, b, visible)
    r -= v
    return as_scalar(vecdot(r, r, axis=None)) / v.shape[0]
