"""The RBM partition function: exact enumeration and annealed importance sampling.

Both run in the namespace and on the device of the weights, in the widest float
the device has (float64 but on devices without it); the annealing schedule is a
list of Python floats on the host and only log Z comes back.
"""

import numpy as np

from .backend import (
    astype,
    device,
    empty,
    get_namespace,
    logsumexp,
    to_numpy,
    vecdot,
    widest_float,
    zeros,
)
from .rbm import free_energy, hidden_free_energy
from .units import UNITS, softplus

MAX_EXACT_UNITS = 20
LOG_2PI = float(np.log(2 * np.pi))
#: the fewest inverse temperatures :func:`ais_schedule` honours exactly (its three
#: stages take at least two each)
MIN_BETAS = 6


def binary_configurations(n, start, stop, dtype, like=None):
    """Rows ``start..stop-1`` of the 2**n binary configurations, as a float
    array in ``like``'s namespace and on its device (numpy when None)."""
    xp = get_namespace(like)
    dev = {} if xp is np else {"device": device(like)}
    codes = xp.arange(start, stop, dtype=xp.int64, **dev)[:, None]
    return astype((codes >> xp.arange(n, dtype=xp.int64, **dev)) & 1, dtype)


def exact_log_partition(W, b, c, visible="bernoulli", hidden="bernoulli",
                        chunk=1 << 14):
    """log Z by summing exp(-F) over every state of the smaller binary layer.

    Gaussian layers are integrated analytically through the free energy, so at
    least one layer must be binary; the enumerated layer has at most
    ``MAX_EXACT_UNITS`` units. Computed in float64 (the widest float of the
    weights' device), in their namespace and on their device.
    """
    xp = get_namespace(W, b, c)
    dtype = widest_float(xp, device(W))
    W, b, c = (astype(a, dtype, copy=False) for a in (W, b, c))
    n_hidden, n_visible = W.shape
    sides = []
    if UNITS[hidden].binary:
        sides.append((n_hidden, "hidden"))
    if UNITS[visible].binary:
        sides.append((n_visible, "visible"))
    n, side = min(sides)
    if n > MAX_EXACT_UNITS:
        raise ValueError(
            f"Exact enumeration needs 2**{n} states of the {side} layer; it is "
            f"limited to {MAX_EXACT_UNITS} units. Use method='ais'."
        )
    parts = []
    for start in range(0, 1 << n, chunk):
        states = binary_configurations(n, start, min(start + chunk, 1 << n), dtype, like=W)
        if side == "hidden":
            f = hidden_free_energy(states, W, b, c, visible, hidden)
        else:
            f = free_energy(states, W, b, c, visible, hidden)
        parts.append(logsumexp(-f))
    return float(logsumexp(parts if xp is np else xp.stack(parts)))


def base_rate_biases(mean, n_samples, visible="bernoulli", pseudo_count=0.05):
    """Visible biases of the base-rate model (Salakhutdinov & Murray 2008).

    ``mean`` is the data's mean over ``n_samples`` rows. Binary units: the
    log-odds of each feature's marginal, smoothed by ``pseudo_count``; Gaussian
    units: the mean itself. In ``mean``'s namespace and widest float.
    """
    xp = get_namespace(mean)
    mean = astype(mean, widest_float(xp, device(mean)), copy=False)
    if visible == "gaussian":
        return mean
    mean = xp.clip(mean, 0.0, 1.0)
    p = (mean * n_samples + pseudo_count) / (n_samples + 2 * pseudo_count)
    return xp.log(p) - xp.log1p(-p)


def _log_base_partition(b_base, n_hidden, visible, hidden):
    """log Z of the base model: visible units with bias ``b_base``, no weights,
    hidden units with zero bias."""
    if visible == "bernoulli":
        log_zv = float(get_namespace(b_base).sum(softplus(b_base)))
    else:
        log_zv = 0.5 * b_base.shape[0] * np.log(2 * np.pi)
    log_zh = n_hidden * (np.log(2.0) if hidden == "bernoulli"
                         else 0.5 * np.log(2 * np.pi))
    return float(log_zv + log_zh)


def _log_unnormalized(x, beta, e_base, e_model, c, hidden):
    """log p*_beta(v) of the geometric path E_beta = (1 - beta) E_base + beta E_model.

    ``x = v W^T + c``; ``e_base`` and ``e_model`` are the visible energies of
    ``v`` under the base model and the model. The base model has visible bias
    ``b_base``, no weights, and hidden units with zero bias (standard normal for
    linear hidden units).
    """
    log_p = -((1 - beta) * e_base + beta * e_model)
    if hidden == "bernoulli":
        log_p += get_namespace(x).sum(softplus(beta * x), axis=1)
    else:  # integral of exp(-||h||^2/2 - beta ||c||^2/2 + beta h.x) over h
        log_p += 0.5 * (beta * beta * vecdot(x, x, axis=1) - beta * (c @ c))
        log_p += 0.5 * x.shape[1] * LOG_2PI
    return log_p


def ais_log_partition(W, b, c, b_base, rng, *, n_runs=100, n_betas=14500,
                      visible="bernoulli", hidden="bernoulli", progress=None,
                      progress_steps=10):
    """Annealed importance sampling estimate of log Z (Neal 2001).

    Follows Salakhutdinov & Murray (2008): the path starts at the base-rate model
    with visible biases ``b_base``; ``n_betas`` inverse temperatures spaced as
    theirs (see :func:`ais_schedule`) and ``n_runs`` independent runs.
    ``progress(done, total)``, if given, is called after each of
    ``progress_steps`` equal shares of the ``total = n_betas - 1`` transitions.

    Returns ``(log_z, log_w)``: the estimate ``log mean exp(log_w)`` (a float)
    and the per-run log importance weights (on the weights' device), both
    including ``log Z_base``. The runs stay on the device; ``rng`` is a
    generator of :mod:`.draws` for it.
    """
    xp = get_namespace(W, b, c, b_base)
    dtype = widest_float(xp, device(W))
    W, b, c, b_base = (astype(a, dtype, copy=False) for a in (W, b, c, b_base))
    vis, hid = UNITS[visible], UNITS[hidden]
    betas = ais_schedule(n_betas).tolist()
    v = vis.mean(xp.tile(b_base, (n_runs, 1)))
    v = vis.sample(v, rng, xp.empty_like(v), xp.empty_like(v))
    log_w = zeros(n_runs, dtype, like=W)
    scratch_h = empty((n_runs, W.shape[0]), dtype, like=W)
    scratch_v = xp.empty_like(v)
    total = len(betas) - 1
    checkpoints = set() if progress is None else {
        -(-total * i // progress_steps) for i in range(1, progress_steps + 1)}
    for done, (beta_prev, beta) in enumerate(zip(betas[:-1], betas[1:]), start=1):
        x = v @ W.T
        x += c
        e_base, e_model = vis.energy(v, b_base), vis.energy(v, b)
        log_w += _log_unnormalized(x, beta, e_base, e_model, c, hidden)
        log_w -= _log_unnormalized(x, beta_prev, e_base, e_model, c, hidden)
        if beta < 1.0:  # one Gibbs step v -> h -> v leaving p_beta invariant
            x *= beta
            h = hid.sample(hid.mean(x, out=x), rng, x, scratch_h)
            pre = h @ W
            pre *= beta
            pre += (1 - beta) * b_base + beta * b
            v = vis.sample(vis.mean(pre, out=pre), rng, pre, scratch_v)
        if done in checkpoints:
            progress(done, total)
    log_w += _log_base_partition(b_base, W.shape[0], visible, hidden)
    return float(logsumexp(log_w)) - float(np.log(n_runs)), log_w


def ais_schedule(n_betas):
    """Inverse temperatures from 0 to 1 spaced as Salakhutdinov & Murray (2008)."""
    n1 = max(2, round(n_betas * 500 / 14500))
    n2 = max(2, round(n_betas * 4000 / 14500))
    n3 = max(2, n_betas - n1 - n2)
    return np.concatenate([
        np.linspace(0.0, 0.5, n1, endpoint=False),
        np.linspace(0.5, 0.9, n2, endpoint=False),
        np.linspace(0.9, 1.0, n3),
    ])


def log_mean_exp_interval(log_w, n_std=3.0):
    """log of (mean(w) -+ n_std * standard error of the mean), from log weights.

    The lower end is -inf when the interval reaches zero. Computed on the host
    (``log_w`` has one value per AIS run).
    """
    log_w = np.asarray(to_numpy(log_w), dtype=np.float64)
    shift = log_w.max()
    w = np.exp(log_w - shift)
    mean = w.mean()
    sem = w.std(ddof=1) / np.sqrt(w.size) if w.size > 1 else 0.0
    lower = np.log(mean - n_std * sem) + shift if mean > n_std * sem else -np.inf
    upper = np.log(mean + n_std * sem) + shift
    return float(lower), float(upper), float(sem / mean)
