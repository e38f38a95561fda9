"""The variational autoencoder's own maths (Kingma & Welling 2014).

The encoder gives a diagonal Gaussian posterior q(z | x) = N(mu, diag(exp(log_var)));
the decoder's output ``out`` parameterizes p(x | z): Bernoulli logits, the
mean of a unit-variance Gaussian, or a Gaussian's mean and log-variance.
Everything here is per sample (one value per row) and in nats; gradients are
of the quantity itself (to be maximised), with respect to the arrays named, so
a caller minimising ``-ELBO`` negates them.

The networks are ``(coefs, intercepts, activations)`` triples of
:mod:`.network`; the encoder's output is ``[mu, log_var]`` side by side.
"""

import math
import zlib

import numpy as np

from .backend import (
    as_scalar,
    astype,
    concat,
    copy,
    empty,
    expit,
    get_namespace,
    logsumexp,
    reshape,
    to_numpy,
    weight_total,
)
from .draws import normal, random
from .network import backward, forward
from .partition import base_rate_biases
from .units import softplus

LOG_2PI = float(np.log(2.0 * np.pi))


def feature_moments(X, sample_weight=None):
    """``(mean, variance, n)`` of each feature over the rows of ``X``, weighted
    by ``sample_weight`` (``n`` is then the sum of the weights)."""
    xp = get_namespace(X)
    if sample_weight is None:
        return xp.mean(X, axis=0), xp.var(X, axis=0), X.shape[0]
    n = as_scalar(xp.sum(sample_weight))
    w = sample_weight[:, None] / n
    mean = xp.sum(X * w, axis=0)
    return mean, xp.sum((X - mean) ** 2 * w, axis=0), n


def draw_noise(rng, shape, dtype, like=None):
    """Standard normal noise eps for the reparameterization, drawn in float64
    (the widest float of the device) so that a seed gives the same noise
    whatever the dtype; in ``like``'s namespace and device when given, else the
    generator's."""
    return astype(normal(rng, shape, like=like), dtype, copy=False)


def row_noise(X, seed, k, n_components):
    """(n, k, n_components) standard normal noise, each row's drawn from a
    generator seeded by ``seed`` and the row's bytes, so that a row's noise does
    not depend on the other rows given with it: numpy's, on the host (rows of
    another library are copied there), so that the noise of a row is the same
    in every library."""
    X = to_numpy(X)
    noise = np.empty((X.shape[0], k, n_components), dtype=X.dtype)
    for i, row in enumerate(X):
        rng = np.random.default_rng([seed, zlib.crc32(np.ascontiguousarray(row).tobytes())])
        noise[i] = draw_noise(rng, (k, n_components), X.dtype)
    return noise


def reparameterize(mu, log_var, eps):
    """z = mu + exp(log_var / 2) * eps (Kingma & Welling 2014, eq. 10)."""
    return mu + get_namespace(log_var).exp(0.5 * log_var) * eps


def reparameterize_backward(grad_z, log_var, eps):
    """Pull d/dz back through :func:`reparameterize`: (d/dmu, d/dlog_var)."""
    return grad_z, grad_z * eps * (0.5 * get_namespace(log_var).exp(0.5 * log_var))


def gaussian_kl(mu, log_var):
    """KL(N(mu, diag exp(log_var)) || N(0, I)) per row, in closed form
    (Kingma & Welling 2014, appendix B): 1/2 sum(mu^2 + exp(log_var) - 1 - log_var)."""
    xp = get_namespace(mu, log_var)
    return 0.5 * xp.sum(mu * mu + xp.expm1(log_var) - log_var, axis=1)


def gaussian_kl_gradient(mu, log_var):
    """(dKL/dmu, dKL/dlog_var) of :func:`gaussian_kl`."""
    return mu, 0.5 * get_namespace(log_var).expm1(log_var)


def log_normal(z, mu=None, log_var=None):
    """log N(z; mu, diag exp(log_var)) summed over the last axis; the standard
    normal when ``mu`` and ``log_var`` are None. Broadcasts over leading axes."""
    xp = get_namespace(z)
    d = z.shape[-1]
    if mu is None:
        return -0.5 * (xp.sum(z * z, axis=-1) + d * LOG_2PI)
    diff = z - mu
    return -0.5 * (xp.sum(diff * diff * xp.exp(-log_var) + log_var, axis=-1) + d * LOG_2PI)


class BernoulliLikelihood:
    """p(x | z) = prod_i Bernoulli(x_i; sigmoid(out_i)), ``out`` the logits."""

    name = "bernoulli"

    @staticmethod
    def n_outputs(n_features):
        """Decoder outputs per sample: one logit per feature."""
        return n_features

    @staticmethod
    def initial_bias(X, sample_weight=None):
        """Output biases of the independent-feature model fitted to ``X``: the
        smoothed log-odds of each feature's mean (the base rates)."""
        mean, _, n = feature_moments(X, sample_weight)
        return base_rate_biases(mean, n, "bernoulli")

    @staticmethod
    def log_prob(x, out):
        """sum_i x_i out_i - log(1 + exp(out_i)), the negative cross-entropy."""
        ll = x * out
        ll -= softplus(out)
        return get_namespace(ll).sum(ll, axis=-1)

    @staticmethod
    def gradient(x, out):
        """d log_prob / d out = x - sigmoid(out)."""
        return x - expit(out)

    @staticmethod
    def mean(out):
        return expit(out)

    @staticmethod
    def sample(out, rng):
        return astype(random(rng, out.shape, out.dtype, like=out) < expit(out), out.dtype)


class GaussianLikelihood:
    """p(x | z) = N(x; out, I): unit variance, for standardized real-valued data."""

    name = "gaussian"

    @staticmethod
    def n_outputs(n_features):
        """Decoder outputs per sample: one mean per feature."""
        return n_features

    @staticmethod
    def initial_bias(X, sample_weight=None):
        """Output biases of the independent-feature model: the data's mean."""
        return feature_moments(X, sample_weight)[0]

    @staticmethod
    def log_prob(x, out):
        """-||x - out||^2 / 2 - d log(2 pi) / 2."""
        diff = x - out
        return -0.5 * (get_namespace(diff).sum(diff * diff, axis=-1) + x.shape[-1] * LOG_2PI)

    @staticmethod
    def gradient(x, out):
        return x - out

    @staticmethod
    def mean(out):
        return out

    @staticmethod
    def sample(out, rng):
        return out + normal(rng, out.shape, out.dtype, like=out)


class GaussianLearnedVarianceLikelihood:
    """p(x | z) = N(x; m, diag exp(v)), ``out = [m, v]``: the decoder gives each
    feature's mean and log-variance (Kingma & Welling 2014, appendix C.2), so
    that the model learns how precisely each feature is predicted."""

    name = "gaussian_learned_variance"

    @staticmethod
    def n_outputs(n_features):
        """Decoder outputs per sample: a mean and a log-variance per feature."""
        return 2 * n_features

    @staticmethod
    def initial_bias(X, sample_weight=None):
        """Output biases of the independent-feature model: the data's mean and
        the log of its variance, floored at 1% of the mean variance (a constant
        feature does not start at zero variance)."""
        xp = get_namespace(X)
        mean, var, _ = feature_moments(X, sample_weight)
        floor = 0.01 * float(xp.mean(var)) + 1e-12
        return concat([mean, xp.log(xp.maximum(var, xp.full_like(var, floor)))])

    @staticmethod
    def _split(out):
        d = out.shape[-1] // 2
        return out[..., :d], out[..., d:]

    @classmethod
    def log_prob(cls, x, out):
        """-sum_i ((x_i - m_i)^2 exp(-v_i) + v_i + log(2 pi)) / 2."""
        m, v = cls._split(out)
        xp = get_namespace(out)
        diff = x - m
        return -0.5 * (xp.sum(diff * diff * xp.exp(-v) + v, axis=-1) + x.shape[-1] * LOG_2PI)

    @classmethod
    def gradient(cls, x, out):
        """d log_prob / d out: ``(x - m) exp(-v)`` and ``((x - m)^2 exp(-v) - 1) / 2``."""
        m, v = cls._split(out)
        diff = x - m
        scaled = diff * get_namespace(out).exp(-v)
        return concat([scaled, 0.5 * (scaled * diff - 1)], axis=-1)

    @classmethod
    def mean(cls, out):
        return copy(cls._split(out)[0])

    @classmethod
    def sample(cls, out, rng):
        m, v = cls._split(out)
        return m + get_namespace(out).exp(0.5 * v) * normal(rng, m.shape, out.dtype, like=out)


LIKELIHOODS = {
    "bernoulli": BernoulliLikelihood,
    "gaussian": GaussianLikelihood,
    "gaussian_learned_variance": GaussianLearnedVarianceLikelihood,
}


def elbo(x, out, mu, log_var, likelihood="bernoulli"):
    """Single-sample ELBO per row: log p(x | z) - KL(q(z | x) || p(z)) (eq. 10),
    with ``out`` the decoder output at z drawn by :func:`reparameterize`."""
    return LIKELIHOODS[likelihood].log_prob(x, out) - gaussian_kl(mu, log_var)


def log_importance_weights(x, out, z, mu, log_var, likelihood="bernoulli"):
    """log w = log p(x | z) + log p(z) - log q(z | x) for z of shape (k, n, d),
    ``out`` of shape (k, n, n_features); returns shape (k, n)."""
    return (LIKELIHOODS[likelihood].log_prob(x, out) + log_normal(z)
            - log_normal(z, mu, log_var))


def importance_weighted_bound(log_w):
    """log (1/k) sum_k w_k over axis 0 (Burda et al. 2016, eq. 8), with
    log-sum-exp; it is the ELBO for k = 1 and rises to log p(x) as k grows."""
    return logsumexp(log_w, axis=0) - math.log(log_w.shape[0])


def encode(X, encoder):
    """Posterior parameters ``(mu, log_var)`` of each row of ``X``."""
    h = forward(X, *encoder).output
    d = h.shape[1] // 2
    return h[:, :d], h[:, d:]


def decode(Z, decoder):
    """Decoder output (logits or means) of each row of ``Z``."""
    return forward(Z, *decoder).output


def elbo_gradients(X, eps, encoder, decoder, likelihood="bernoulli", sample_weight=None):
    """Single-sample ELBO of each row with the noise ``eps``, and the gradients
    of ``-mean(ELBO)`` (the loss minimised; a mean weighted by
    ``sample_weight`` if given) for the encoder and the decoder.

    Returns ``(elbo, encoder_gradients, decoder_gradients)``, the gradients as
    :class:`.network.Gradients`. The KL term is in closed form, so only the
    reconstruction term is a Monte Carlo estimate (Kingma & Welling 2014, eq. 10).
    """
    enc = forward(X, *encoder)
    d = eps.shape[1]
    mu, log_var = enc.output[:, :d], enc.output[:, d:]
    n_rows = X.shape[0] if sample_weight is None else weight_total(sample_weight)
    value, dec_grads, g_mu, g_log_var = posterior_elbo_gradients(
        X, mu, log_var, eps, decoder, likelihood, n_rows=n_rows, weights=sample_weight)
    enc_grads = backward(enc, concat([g_mu, g_log_var], axis=1), encoder[0], encoder[2])
    return value, enc_grads, dec_grads


def posterior_elbo_gradients(X, mu, log_var, eps, decoder, likelihood="bernoulli", *,
                             n_rows=1, weights=None, condition=None):
    """Single-sample ELBO of each row from its posterior parameters, and the
    gradients of the loss ``-sum_rows weights * ELBO / n_rows``.

    ``weights`` is None (every row's weight 1) or one value per row. With
    ``condition`` (an array of shape (n_samples, n_conditions)) the decoder's
    input is ``[z, condition]``, a conditional model p(x | z, condition).
    Returns ``(elbo, decoder_gradients, d loss / d mu, d loss / d log_var)``;
    the encoder's backward pass takes it from there.
    """
    z = reparameterize(mu, log_var, eps)
    dec = forward(z if condition is None else concat([z, condition], axis=1), *decoder)
    lik = LIKELIHOODS[likelihood]
    value = lik.log_prob(X, dec.output) - gaussian_kl(mu, log_var)
    delta = lik.gradient(X, dec.output)
    if weights is not None:
        weights = weights[:, None]
        delta *= weights
    delta *= -1.0 / n_rows
    dec_grads = backward(dec, delta, decoder[0], decoder[2], input_delta=True)
    g_z = dec_grads.input_delta
    if condition is not None:
        g_z = g_z[:, : mu.shape[1]]
    g_mu, g_log_var = reparameterize_backward(g_z, log_var, eps)
    kl_mu, kl_log_var = gaussian_kl_gradient(mu, log_var)
    if weights is not None:
        kl_mu, kl_log_var = kl_mu * weights, kl_log_var * weights
    return value, dec_grads, g_mu + kl_mu / n_rows, g_log_var + kl_log_var / n_rows


def importance_weighted_log_likelihood(X, eps, encoder, decoder, likelihood="bernoulli",
                                       max_elements=1 << 22):
    """The importance-weighted bound of each row (Burda et al. 2016) with the
    ``k`` draws ``z_k = mu + sigma * eps[k]`` from q(z | x), ``eps`` of shape
    (k, n_samples, n_components); decodes at most ``max_elements`` outputs at once."""
    mu, log_var = encode(X, encoder)
    n_draws, n, d = eps.shape
    log_w = empty((n_draws, n), mu.dtype, like=mu)
    per_chunk = max(1, max_elements // max(1, n * X.shape[1]))
    for start in range(0, n_draws, per_chunk):
        z = reparameterize(mu, log_var, eps[start : min(start + per_chunk, n_draws), ...])
        k = z.shape[0]
        out = reshape(decode(reshape(z, (k * n, d)), decoder), (k, n, -1))
        log_w[start : start + k, :] = log_importance_weights(X, out, z, mu, log_var, likelihood)
    return importance_weighted_bound(log_w)
