"""Tests of the VAE kernels (skdeep/_kernels/vae.py) and VariationalAutoencoder."""

import numpy as np
import pytest
from scipy.special import expit

from skdeep._kernels import vae


# ---------------------------------------------------------------- kernels
def test_gaussian_kl_matches_monte_carlo(rng):
    mu = rng.normal(size=(3, 4))
    log_var = rng.normal(scale=0.5, size=(3, 4))
    z = vae.reparameterize(mu, log_var, rng.standard_normal((200_000, 3, 4)))
    mc = np.mean(vae.log_normal(z, mu, log_var) - vae.log_normal(z), axis=0)
    # 200k draws: the Monte Carlo standard error of log q - log p is ~0.005 here
    np.testing.assert_allclose(vae.gaussian_kl(mu, log_var), mc, atol=0.03)


def test_log_normal_matches_scipy(rng):
    from scipy.stats import multivariate_normal

    mu, log_var, z = rng.normal(size=3), rng.normal(size=3), rng.normal(size=(5, 3))
    expected = multivariate_normal(mu, np.diag(np.exp(log_var))).logpdf(z)
    np.testing.assert_allclose(vae.log_normal(z, mu, log_var), expected, rtol=1e-12)
    np.testing.assert_allclose(vae.log_normal(z), multivariate_normal(np.zeros(3)).logpdf(z),
                               rtol=1e-12)


def _finite_difference(f, a, eps=1e-6):
    """Central differences of a scalar function of the array ``a``."""
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        old = a[i]
        a[i] = old + eps
        up = f()
        a[i] = old - eps
        down = f()
        a[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_likelihood_gradient_matches_finite_differences(rng, likelihood):
    lik = vae.LIKELIHOODS[likelihood]
    x = rng.random((4, 5)) if likelihood == "gaussian" else (rng.random((4, 5)) < 0.5) * 1.0
    out = rng.normal(size=(4, 5))
    fd = _finite_difference(lambda: lik.log_prob(x, out).sum(), out)
    # central differences at eps=1e-6 in float64: error ~1e-9
    np.testing.assert_allclose(lik.gradient(x, out), fd, atol=1e-7)


def test_likelihood_log_prob_closed_forms(rng):
    x = (rng.random((3, 4)) < 0.5) * 1.0
    out = rng.normal(size=(3, 4))
    p = expit(out)
    expected = np.sum(x * np.log(p) + (1 - x) * np.log1p(-p), axis=1)
    np.testing.assert_allclose(vae.BernoulliLikelihood.log_prob(x, out), expected, rtol=1e-12)
    from scipy.stats import norm

    np.testing.assert_allclose(vae.GaussianLikelihood.log_prob(x, out),
                               norm.logpdf(x, loc=out).sum(axis=1), rtol=1e-12)


def test_kl_and_reparameterize_gradients_match_finite_differences(rng):
    mu, log_var = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    eps = rng.standard_normal((3, 2))
    w = rng.normal(size=(3, 2))  # a linear function of z to pull back
    g_mu, g_lv = vae.gaussian_kl_gradient(mu, log_var)
    # central differences at eps=1e-6 in float64: error ~1e-9
    np.testing.assert_allclose(g_mu, _finite_difference(lambda: vae.gaussian_kl(mu, log_var).sum(), mu), atol=1e-7)
    np.testing.assert_allclose(g_lv, _finite_difference(lambda: vae.gaussian_kl(mu, log_var).sum(), log_var), atol=1e-7)
    r_mu, r_lv = vae.reparameterize_backward(w, log_var, eps)
    f = lambda: np.sum(w * vae.reparameterize(mu, log_var, eps))  # noqa: E731
    np.testing.assert_allclose(r_mu, _finite_difference(f, mu), atol=1e-7)
    np.testing.assert_allclose(r_lv, _finite_difference(f, log_var), atol=1e-7)


def test_importance_weighted_bound_is_log_mean_exp(rng):
    log_w = rng.normal(size=(7, 3)) * 50
    expected = np.log(np.mean(np.exp(log_w - 100), axis=0)) + 100
    np.testing.assert_allclose(vae.importance_weighted_bound(log_w), expected, rtol=1e-12)
    # one sample: the bound is that sample's log weight (the ELBO)
    np.testing.assert_array_equal(vae.importance_weighted_bound(log_w[:1]), log_w[0])


def test_importance_weights_with_exact_posterior_give_log_likelihood(rng):
    # Linear-Gaussian model x = a z + noise, z ~ N(0, 1): the posterior is
    # Gaussian, and with q = the exact posterior every weight equals p(x).
    a, x = 1.5, rng.normal(size=(4, 1))
    post_var = 1.0 / (1.0 + a * a)
    mu, log_var = (a * x * post_var), np.full((4, 1), np.log(post_var))
    z = vae.reparameterize(mu, log_var, rng.standard_normal((5, 4, 1)))
    log_w = vae.log_importance_weights(x, a * z, z, mu, log_var, "gaussian")
    from scipy.stats import norm

    exact = norm.logpdf(x[:, 0], scale=np.sqrt(1 + a * a))
    np.testing.assert_allclose(log_w, np.broadcast_to(exact, (5, 4)), rtol=1e-12)
    # and the ELBO's expectation is log p(x) (the KL to the posterior is zero)
    z = vae.reparameterize(mu, log_var, rng.standard_normal((100_000, 4, 1)))
    elbo = vae.elbo(x, a * z, mu, log_var, "gaussian").mean(axis=0)
    # 100k draws: the standard error of the mean is ~0.01 here
    np.testing.assert_allclose(elbo, exact, atol=0.05)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernels_preserve_dtype(rng, dtype):
    mu = rng.normal(size=(3, 2)).astype(dtype)
    log_var = rng.normal(size=(3, 2)).astype(dtype)
    eps = vae.draw_noise(rng, (3, 2), dtype)
    z = vae.reparameterize(mu, log_var, eps)
    x = (rng.random((3, 4)) < 0.5).astype(dtype)
    out = rng.normal(size=(3, 4)).astype(dtype)
    assert z.dtype == dtype
    assert vae.gaussian_kl(mu, log_var).dtype == dtype
    assert vae.elbo(x, out, mu, log_var).dtype == dtype
    assert vae.BernoulliLikelihood.gradient(x, out).dtype == dtype
    log_w = vae.log_importance_weights(x, out[None], z[None], mu, log_var)
    assert vae.importance_weighted_bound(log_w).dtype == dtype


# ---------------------------------------------------------------- ELBO gradient
def _tiny_networks(rng, n_features, n_latent, dtype=np.float64):
    def net(sizes, activation):
        coefs = [rng.normal(scale=0.7, size=s).astype(dtype) for s in zip(sizes[:-1], sizes[1:])]
        intercepts = [rng.normal(scale=0.3, size=s).astype(dtype) for s in sizes[1:]]
        return coefs, intercepts, [activation] * (len(coefs) - 1) + ["identity"]

    return net([n_features, 4, 2 * n_latent], "tanh"), net([n_latent, 3, n_features], "tanh")


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_elbo_gradients_match_finite_differences(rng, likelihood):
    X = (rng.random((6, 5)) < 0.5) * 1.0 if likelihood == "bernoulli" else rng.normal(size=(6, 5))
    encoder, decoder = _tiny_networks(rng, 5, 2)
    eps = rng.standard_normal((6, 2))  # fixed noise: the ELBO is a smooth function

    def loss():
        return -vae.elbo_gradients(X, eps, encoder, decoder, likelihood)[0].mean()

    _, g_enc, g_dec = vae.elbo_gradients(X, eps, encoder, decoder, likelihood)
    arrays = encoder[0] + encoder[1] + decoder[0] + decoder[1]
    grads = g_enc.coefs + g_enc.intercepts + g_dec.coefs + g_dec.intercepts
    for a, g in zip(arrays, grads):
        # central differences at eps=1e-6 in float64: truncation and rounding ~1e-9
        np.testing.assert_allclose(g, _finite_difference(loss, a), atol=1e-6)

