"""The variational autoencoder's own maths (Kingma & Welling 2014).

The encoder gives a diagonal Gaussian posterior q(z | x) = N(mu, diag(exp(log_var)));
the decoder's output ``out`` parameterizes p(x | z): Bernoulli logits, or the
mean of a unit-variance Gaussian. Everything here is per sample (one value per
row) and in nats; gradients are of the quantity itself (to be maximised), with
respect to the arrays named, so a caller minimising ``-ELBO`` negates them.

The networks are ``(coefs, intercepts, activations)`` triples of
:mod:`.network`; the encoder's output is ``[mu, log_var]`` side by side.
"""

import math
import zlib

import numpy as np
from scipy.special import expit, logsumexp

from .network import backward, forward
from .partition import base_rate_biases
from .units import softplus

LOG_2PI = float(np.log(2.0 * np.pi))


def draw_noise(rng, shape, dtype):
    """Standard normal noise eps for the reparameterization, drawn in float64 so
    that a seed gives the same noise whatever the dtype."""
    return rng.standard_normal(shape).astype(dtype, copy=False)


def row_noise(X, seed, k, n_components):
    """(n, k, n_components) standard normal noise, each row's drawn from a
    generator seeded by ``seed`` and the row's bytes, so that a row's noise does
    not depend on the other rows given with it."""
    noise = np.empty((X.shape[0], k, n_components), dtype=X.dtype)
    for i, row in enumerate(X):
        rng = np.random.default_rng([seed, zlib.crc32(np.ascontiguousarray(row).tobytes())])
        noise[i] = draw_noise(rng, (k, n_components), X.dtype)
    return noise


def reparameterize(mu, log_var, eps):
    """z = mu + exp(log_var / 2) * eps (Kingma & Welling 2014, eq. 10)."""
    return mu + np.exp(0.5 * log_var) * eps


def reparameterize_backward(grad_z, log_var, eps):
    """Pull d/dz back through :func:`reparameterize`: (d/dmu, d/dlog_var)."""
    return grad_z, grad_z * eps * (0.5 * np.exp(0.5 * log_var))


def gaussian_kl(mu, log_var):
    """KL(N(mu, diag exp(log_var)) || N(0, I)) per row, in closed form
    (Kingma & Welling 2014, appendix B): 1/2 sum(mu^2 + exp(log_var) - 1 - log_var)."""
    return 0.5 * np.sum(mu * mu + np.expm1(log_var) - log_var, axis=1)


def gaussian_kl_gradient(mu, log_var):
    """(dKL/dmu, dKL/dlog_var) of :func:`gaussian_kl`."""
    return mu, 0.5 * np.expm1(log_var)


def log_normal(z, mu=None, log_var=None):
    """log N(z; mu, diag exp(log_var)) summed over the last axis; the standard
    normal when ``mu`` and ``log_var`` are None. Broadcasts over leading axes."""
    d = z.shape[-1]
    if mu is None:
        return -0.5 * (np.sum(z * z, axis=-1) + d * LOG_2PI)
    diff = z - mu
    return -0.5 * (np.sum(diff * diff * np.exp(-log_var) + log_var, axis=-1) + d * LOG_2PI)


class BernoulliLikelihood:
    """p(x | z) = prod_i Bernoulli(x_i; sigmoid(out_i)), ``out`` the logits."""

    name = "bernoulli"

    @staticmethod
    def n_outputs(n_features):
        """Decoder outputs per sample: one logit per feature."""
        return n_features

    @staticmethod
    def initial_bias(X):
        """Output biases of the independent-feature model fitted to ``X``: the
        smoothed log-odds of each feature's mean (the base rates)."""
        return base_rate_biases(X.mean(axis=0), X.shape[0], "bernoulli")

    @staticmethod
    def log_prob(x, out):
        """sum_i x_i out_i - log(1 + exp(out_i)), the negative cross-entropy."""
        ll = x * out
        ll -= softplus(out)
        return np.sum(ll, axis=-1)

    @staticmethod
    def gradient(x, out):
        """d log_prob / d out = x - sigmoid(out)."""
        return x - expit(out)

    @staticmethod
    def log_prob_and_gradient(x, out):
        """:meth:`log_prob` and :meth:`gradient` from one exponential: with
        e = exp(-|out|) and r = 1 / (1 + e), softplus(out) = max(out, 0) +
        log(1 + e) and sigmoid(out) = 1/2 + sign(out) (r - 1/2)."""
        e = np.abs(out)
        np.negative(e, out=e)
        np.exp(e, out=e)
        e += 1
        grad = np.reciprocal(e)
        grad -= 0.5
        np.copysign(grad, out, out=grad)
        grad += 0.5
        np.subtract(x, grad, out=grad)
        ll = x * out
        ll -= np.maximum(out, 0)
        ll -= np.log(e, out=e)
        return np.sum(ll, axis=-1), grad

    @staticmethod
    def mean(out):
        return expit(out)

    @staticmethod
    def sample(out, rng):
        return (rng.random(out.shape, dtype=out.dtype) < expit(out)).astype(out.dtype)


class GaussianLikelihood:
    """p(x | z) = N(x; out, I): unit variance, for standardized real-valued data."""

    name = "gaussian"

    @staticmethod
    def n_outputs(n_features):
        """Decoder outputs per sample: one mean per feature."""
        return n_features

    @staticmethod
    def initial_bias(X):
        """Output biases of the independent-feature model: the data's mean."""
        return X.mean(axis=0)

    @staticmethod
    def log_prob(x, out):
        """-||x - out||^2 / 2 - d log(2 pi) / 2."""
        diff = x - out
        return -0.5 * (np.sum(diff * diff, axis=-1) + x.shape[-1] * LOG_2PI)

    @staticmethod
    def gradient(x, out):
        return x - out

    @classmethod
    def log_prob_and_gradient(cls, x, out):
        return cls.log_prob(x, out), cls.gradient(x, out)

    @staticmethod
    def mean(out):
        return out

    @staticmethod
    def sample(out, rng):
        return out + rng.standard_normal(out.shape, dtype=out.dtype)


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
    def initial_bias(X):
        """Output biases of the independent-feature model: the data's mean and
        the log of its variance, floored at 1% of the mean variance (a constant
        feature does not start at zero variance)."""
        var = X.var(axis=0)
        return np.concatenate([X.mean(axis=0), np.log(np.maximum(var, 0.01 * var.mean() + 1e-12))])

    @staticmethod
    def _split(out):
        d = out.shape[-1] // 2
        return out[..., :d], out[..., d:]

    @classmethod
    def log_prob(cls, x, out):
        """-sum_i ((x_i - m_i)^2 exp(-v_i) + v_i + log(2 pi)) / 2."""
        m, v = cls._split(out)
        diff = x - m
        return -0.5 * (np.sum(diff * diff * np.exp(-v) + v, axis=-1) + x.shape[-1] * LOG_2PI)

    @classmethod
    def gradient(cls, x, out):
        """d log_prob / d out: ``(x - m) exp(-v)`` and ``((x - m)^2 exp(-v) - 1) / 2``."""
        m, v = cls._split(out)
        scaled = (x - m) * np.exp(-v)
        return np.concatenate([scaled, 0.5 * (scaled * (x - m) - 1)], axis=-1)

    @classmethod
    def log_prob_and_gradient(cls, x, out):
        return cls.log_prob(x, out), cls.gradient(x, out)

    @classmethod
    def mean(cls, out):
        return cls._split(out)[0].copy()

    @classmethod
    def sample(cls, out, rng):
        m, v = cls._split(out)
        return m + np.exp(0.5 * v) * rng.standard_normal(m.shape, dtype=out.dtype)


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


def elbo_gradients(X, eps, encoder, decoder, likelihood="bernoulli"):
    """Single-sample ELBO of each row with the noise ``eps``, and the gradients
    of ``-mean(ELBO)`` (the loss minimised) for the encoder and the decoder.

    Returns ``(elbo, encoder_gradients, decoder_gradients)``, the gradients as
    :class:`.network.Gradients`. The KL term is in closed form, so only the
    reconstruction term is a Monte Carlo estimate (Kingma & Welling 2014, eq. 10).
    """
    enc = forward(X, *encoder)
    d = eps.shape[1]
    mu, log_var = enc.output[:, :d], enc.output[:, d:]
    value, dec_grads, g_mu, g_log_var = posterior_elbo_gradients(
        X, mu, log_var, eps, decoder, 1.0 / X.shape[0], likelihood)
    enc_grads = backward(enc, np.concatenate([g_mu, g_log_var], axis=1), encoder[0], encoder[2])
    return value, enc_grads, dec_grads


def posterior_elbo_gradients(X, mu, log_var, eps, decoder, weights, likelihood="bernoulli",
                             condition=None):
    """Single-sample ELBO of each row from its posterior parameters, and the
    gradients of the loss ``-sum_rows weights * ELBO``.

    ``weights`` is a scalar or one value per row. With ``condition`` (an array
    of shape (n_samples, n_conditions)) the decoder's input is ``[z, condition]``,
    a conditional model p(x | z, condition). Returns ``(elbo, decoder_gradients,
    d loss / d mu, d loss / d log_var)``; the encoder's backward pass takes it from there.
    """
    z = reparameterize(mu, log_var, eps)
    dec = forward(z if condition is None else np.concatenate([z, condition], axis=1), *decoder)
    lik = LIKELIHOODS[likelihood]
    value, delta = lik.log_prob_and_gradient(X, dec.output)
    value -= gaussian_kl(mu, log_var)
    weights = np.asarray(weights, dtype=mu.dtype)
    if weights.ndim:
        weights = weights[:, None]
    delta *= -weights
    dec_grads = backward(dec, delta, decoder[0], decoder[2], input_delta=True)
    g_mu, g_log_var = reparameterize_backward(dec_grads.input_delta[:, : mu.shape[1]], log_var, eps)
    kl_mu, kl_log_var = gaussian_kl_gradient(mu, log_var)
    return value, dec_grads, g_mu + kl_mu * weights, g_log_var + kl_log_var * weights


def importance_weighted_log_likelihood(X, eps, encoder, decoder, likelihood="bernoulli",
                                       max_elements=1 << 22):
    """The importance-weighted bound of each row (Burda et al. 2016) with the
    ``k`` draws ``z_k = mu + sigma * eps[k]`` from q(z | x), ``eps`` of shape
    (k, n_samples, n_components); decodes at most ``max_elements`` outputs at once."""
    mu, log_var = encode(X, encoder)
    n_draws, n, d = eps.shape
    log_w = np.empty((n_draws, n), dtype=mu.dtype)
    per_chunk = max(1, max_elements // max(1, n * X.shape[1]))
    for start in range(0, n_draws, per_chunk):
        z = reparameterize(mu, log_var, eps[start : start + per_chunk])
        k = z.shape[0]
        out = decode(z.reshape(k * n, d), decoder).reshape(k, n, -1)
        log_w[start : start + k] = log_importance_weights(X, out, z, mu, log_var, likelihood)
    return importance_weighted_bound(log_w)
