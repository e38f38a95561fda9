"""The variational autoencoder's own maths (Kingma & Welling 2014).

The encoder gives a diagonal Gaussian posterior q(z | x) = N(mu, diag(exp(log_var)));
the decoder's output ``out`` parameterizes p(x | z): Bernoulli logits, or the
mean of a unit-variance Gaussian. Everything here is per sample (one value per
row) and in nats; gradients are of the quantity itself (to be maximised), with
respect to the arrays named, so a caller minimising ``-ELBO`` negates them.
"""

import math

import numpy as np
from scipy.special import expit, logsumexp

LOG_2PI = float(np.log(2.0 * np.pi))


def draw_noise(rng, shape, dtype):
    """Standard normal noise eps for the reparameterization."""
    return rng.standard_normal(shape, dtype=dtype)


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
    def log_prob(x, out):
        """sum_i x_i out_i - log(1 + exp(out_i)), the negative cross-entropy."""
        return np.sum(x * out - np.logaddexp(0, out), axis=-1)

    @staticmethod
    def gradient(x, out):
        """d log_prob / d out = x - sigmoid(out)."""
        return x - expit(out)

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
    def log_prob(x, out):
        """-||x - out||^2 / 2 - d log(2 pi) / 2."""
        diff = x - out
        return -0.5 * (np.sum(diff * diff, axis=-1) + x.shape[-1] * LOG_2PI)

    @staticmethod
    def gradient(x, out):
        return x - out

    @staticmethod
    def mean(out):
        return out

    @staticmethod
    def sample(out, rng):
        return out + rng.standard_normal(out.shape, dtype=out.dtype)


LIKELIHOODS = {"bernoulli": BernoulliLikelihood, "gaussian": GaussianLikelihood}


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
