"""Tests of the VAE kernels (skdeep/_kernels/vae.py) and VariationalAutoencoder."""

import copy
import pickle
import warnings

import numpy as np
import pytest
from finite_differences import numerical_gradient
from scipy.special import expit, logsumexp
from scipy.stats import multivariate_normal, norm
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skdeep import VariationalAutoencoder
from skdeep._kernels import vae
from skdeep._training import DivergenceError, InputRangeWarning

# short fits stop at max_iter on purpose
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


# ---------------------------------------------------------------- kernels
def test_gaussian_kl_matches_monte_carlo(rng):
    mu = rng.normal(size=(3, 4))
    log_var = rng.normal(scale=0.5, size=(3, 4))
    z = vae.reparameterize(mu, log_var, rng.standard_normal((200_000, 3, 4)))
    mc = np.mean(vae.log_normal(z, mu, log_var) - vae.log_normal(z), axis=0)
    # 200k draws: the Monte Carlo standard error of log q - log p is ~0.005 here
    np.testing.assert_allclose(vae.gaussian_kl(mu, log_var), mc, atol=0.03)


def test_log_normal_matches_scipy(rng):
    mu, log_var, z = rng.normal(size=3), rng.normal(size=3), rng.normal(size=(5, 3))
    expected = multivariate_normal(mu, np.diag(np.exp(log_var))).logpdf(z)
    np.testing.assert_allclose(vae.log_normal(z, mu, log_var), expected, rtol=1e-12)
    np.testing.assert_allclose(vae.log_normal(z), multivariate_normal(np.zeros(3)).logpdf(z),
                               rtol=1e-12)


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_likelihood_gradient_matches_finite_differences(rng, likelihood):
    lik = vae.LIKELIHOODS[likelihood]
    x = rng.random((4, 5)) if likelihood == "gaussian" else (rng.random((4, 5)) < 0.5) * 1.0
    out = rng.normal(size=(4, 5))
    fd = numerical_gradient(lambda: lik.log_prob(x, out).sum(), out)
    # central differences at eps=1e-6 in float64: error ~1e-9
    np.testing.assert_allclose(lik.gradient(x, out), fd, atol=1e-7)


def test_likelihood_log_prob_closed_forms(rng):
    x = (rng.random((3, 4)) < 0.5) * 1.0
    out = rng.normal(size=(3, 4))
    p = expit(out)
    expected = np.sum(x * np.log(p) + (1 - x) * np.log1p(-p), axis=1)
    np.testing.assert_allclose(vae.BernoulliLikelihood.log_prob(x, out), expected, rtol=1e-12)
    np.testing.assert_allclose(vae.GaussianLikelihood.log_prob(x, out),
                               norm.logpdf(x, loc=out).sum(axis=1), rtol=1e-12)


def test_kl_and_reparameterize_gradients_match_finite_differences(rng):
    mu, log_var = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    eps = rng.standard_normal((3, 2))
    w = rng.normal(size=(3, 2))  # a linear function of z to pull back
    g_mu, g_lv = vae.gaussian_kl_gradient(mu, log_var)
    # central differences at eps=1e-6 in float64: error ~1e-9
    np.testing.assert_allclose(
        g_mu, numerical_gradient(lambda: vae.gaussian_kl(mu, log_var).sum(), mu), atol=1e-7
    )
    np.testing.assert_allclose(
        g_lv, numerical_gradient(lambda: vae.gaussian_kl(mu, log_var).sum(), log_var), atol=1e-7
    )
    r_mu, r_lv = vae.reparameterize_backward(w, log_var, eps)
    f = lambda: np.sum(w * vae.reparameterize(mu, log_var, eps))  # noqa: E731
    np.testing.assert_allclose(r_mu, numerical_gradient(f, mu), atol=1e-7)
    np.testing.assert_allclose(r_lv, numerical_gradient(f, log_var), atol=1e-7)


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
        np.testing.assert_allclose(g, numerical_gradient(loss, a), atol=1e-6)



# ---------------------------------------------------------------- estimator
def _fitted(X, **params):
    settings = dict(encoder_layer_sizes=(32,), n_components=4, batch_size=50,
                    max_iter=20, random_state=0)
    return VariationalAutoencoder(**{**settings, **params}).fit(X)


@pytest.fixture(scope="module")
def binary_digits(digits):
    return (digits[0] > 0.5).astype(float)


def test_elbo_below_importance_weighted_bound_and_both_rise_with_training(binary_digits):
    X = binary_digits
    scores = {}
    for epochs in (1, 15):
        vae_ = _fitted(X, max_iter=epochs)
        scores[epochs] = [vae_.set_params(n_importance_samples=k).score(X) for k in (1, 5, 50)]
    for epochs, (elbo, iw5, iw50) in scores.items():
        # in expectation ELBO <= IW_5 <= IW_50 (Burda et al. 2016, theorem 1); over
        # 1797 rows the Monte Carlo noise of each mean is ~0.05 nats, far below the gaps
        assert elbo < iw5 < iw50, (epochs, scores[epochs])
    # 14 more epochs raise both bounds by several nats on binarized digits
    assert scores[15][0] > scores[1][0] + 2
    assert scores[15][2] > scores[1][2] + 2


def test_importance_weighted_bound_approaches_the_exact_log_likelihood(tiny_binary):
    # A 1-D latent space: log p(x) = log int N(z; 0, 1) p(x | z) dz by quadrature
    # on a fine grid, with p(x | z) computed here from the decoder's pixel means.
    vae_ = _fitted(tiny_binary, encoder_layer_sizes=(16,), n_components=1,
                   batch_size=20, max_iter=150, learning_rate=0.01)
    z = np.linspace(-10, 10, 8001)
    p = vae_.inverse_transform(z[:, None])
    all_states = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(float)
    log_px_z = all_states @ np.log(p).T + (1 - all_states) @ np.log1p(-p).T
    log_prior = -0.5 * z**2 - 0.5 * np.log(2 * np.pi)
    exact = logsumexp(log_px_z + log_prior, axis=1) + np.log(z[1] - z[0])
    # the quadrature is right: p(x) sums to 1 over the 256 binary vectors
    np.testing.assert_allclose(logsumexp(exact), 0.0, atol=1e-8)
    X = np.unique(tiny_binary, axis=0)
    exact = exact[(X.astype(int) << np.arange(8)).sum(axis=1)]
    gaps = {k: exact - vae_.set_params(n_importance_samples=k).score_samples(X)
            for k in (1, 10, 2000)}
    # the ELBO's gap is E KL(q || posterior) > 0; the bound tightens with k
    assert gaps[1].mean() > gaps[10].mean() > abs(gaps[2000].mean())
    assert gaps[1].mean() > 0.1
    # 2000 draws: each row's estimate has Monte Carlo noise ~0.015 nats here, its
    # bias ~var(w) / (2 k E[w]^2) is far smaller; 31 distinct rows average the noise
    assert abs(gaps[2000].mean()) < 0.01
    assert np.max(np.abs(gaps[2000])) < 0.1


def test_score_samples_of_a_row_does_not_depend_on_the_other_rows(digits):
    vae_ = _fitted(digits[0][:300], max_iter=2, n_importance_samples=3)
    X = digits[0][:40]
    full = vae_.score_samples(X)
    np.testing.assert_array_equal(vae_.score_samples(X[::-1]), full[::-1])
    np.testing.assert_array_equal(vae_.score_samples(X[5:9]), full[5:9])


def test_partial_fit_once_per_epoch_equals_fit(digits):
    X = digits[0][:200]
    params = dict(encoder_layer_sizes=(16,), n_components=3, batch_size=32, random_state=3)
    fitted = _fitted(X, max_iter=3, **params)
    partial = VariationalAutoencoder(**params)
    for _ in range(3):
        assert partial.partial_fit(X) is partial
    assert partial.n_iter_ == fitted.n_iter_ == 3
    np.testing.assert_array_equal(partial.loss_curve_, fitted.loss_curve_)
    for a, b in zip(fitted.encoder_coefs_ + fitted.decoder_coefs_,
                    partial.encoder_coefs_ + partial.decoder_coefs_):
        np.testing.assert_array_equal(a, b)


def test_fit_does_not_mutate_X_and_pickle_clone_round_trip(digits):
    X = digits[0][:200].copy()
    X_before = X.copy()
    vae_ = _fitted(X, max_iter=2, n_importance_samples=4)
    np.testing.assert_array_equal(X, X_before)
    restored = pickle.loads(pickle.dumps(vae_))
    np.testing.assert_array_equal(restored.transform(X), vae_.transform(X))
    np.testing.assert_array_equal(restored.score_samples(X), vae_.score_samples(X))
    np.testing.assert_array_equal(restored.sample(5, random_state=1),
                                  vae_.sample(5, random_state=1))
    cloned = clone(vae_)
    assert cloned.get_params() == vae_.get_params()
    assert not hasattr(cloned, "encoder_coefs_")


def test_float32_is_preserved_and_close_to_float64(digits):
    X = digits[0][:300]
    v64 = _fitted(X, max_iter=3)
    v32 = _fitted(X.astype(np.float32), max_iter=3)
    assert all(c.dtype == np.float32 for c in v32.encoder_coefs_ + v32.decoder_coefs_)
    for out in (v32.transform(X.astype(np.float32)), v32.score_samples(X.astype(np.float32)),
                v32.sample(3), v32.inverse_transform(np.zeros((2, 4), np.float32))):
        assert out.dtype == np.float32
    # 3 epochs from the same seed: float32 rounding (~1e-7) grows to ~1e-4 relative
    np.testing.assert_allclose(v32.transform(X.astype(np.float32)), v64.transform(X),
                               rtol=1e-2, atol=1e-3)


def test_sample_and_inverse_transform(digits):
    vae_ = _fitted(digits[0][:300], max_iter=2)
    means = vae_.sample(20, mean=True, random_state=0)
    draws = vae_.sample(20, random_state=0)
    assert means.shape == draws.shape == (20, 64)
    assert np.all((means > 0) & (means < 1))
    assert set(np.unique(draws)) <= {0.0, 1.0}
    np.testing.assert_array_equal(vae_.sample(20, random_state=0), draws)
    with pytest.raises(ValueError, match="4 latent components"):
        vae_.inverse_transform(np.zeros((2, 3)))


def test_gaussian_likelihood_and_decoder_layer_sizes(digits):
    X = StandardScaler().fit_transform(digits[0][:300])
    vae_ = _fitted(X, likelihood="gaussian", encoder_layer_sizes=32,
                   decoder_layer_sizes=(8, 16), max_iter=3)
    assert [c.shape for c in vae_.decoder_coefs_] == [(4, 8), (8, 16), (16, 64)]
    assert [c.shape for c in vae_.encoder_coefs_] == [(64, 32), (32, 8)]
    assert np.isfinite(vae_.score(X))


def test_bernoulli_likelihood_warns_on_data_outside_unit_interval(digits):
    with pytest.warns(UserWarning, match="likelihood='gaussian'"):
        _fitted(digits[0][:100] * 16, likelihood="bernoulli", max_iter=1)


def test_likelihood_auto_follows_the_training_data(digits):
    """'auto' fits the Bernoulli likelihood to data in [0, 1] (and warns when
    later data leave it), the Gaussian to other values without a warning."""
    X = digits[0][:100]
    unit = _fitted(X, max_iter=1)
    assert unit.likelihood_ == "bernoulli"
    with pytest.warns(InputRangeWarning, match=r"likelihood='auto' \(Bernoulli\)"):
        unit.transform(16 * X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputRangeWarning)
        assert _fitted(16 * X, max_iter=1).likelihood_ == "gaussian"
        assert _fitted(X - 0.5, max_iter=1).likelihood_ == "gaussian"


def test_likelihood_auto_reconstructs_standardized_data(digits):
    """On standardized digits likelihood='auto' (Gaussian) reconstructs held-out
    rows far better than the Bernoulli likelihood, the former default, whose
    decoder means cannot leave [0, 1]."""
    X_train, X_test = train_test_split(digits[0], train_size=600, random_state=0)
    scaler = StandardScaler().fit(X_train)
    Z_train, Z_test = scaler.transform(X_train), scaler.transform(X_test)

    def error(**params):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", (InputRangeWarning, ConvergenceWarning))
            model = VariationalAutoencoder(random_state=0, **params).fit(Z_train)
            R = model.inverse_transform(model.transform(Z_test))
        return np.mean(np.sum((Z_test - R) ** 2, axis=1))

    assert error() < 0.5 * error(likelihood="bernoulli")


def test_divergence_raises_an_error_naming_the_learning_rate(digits):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow warnings first
        with pytest.raises(DivergenceError, match="learning_rate"):
            _fitted(digits[0][:200], optimizer="sgd", learning_rate=1e6, max_iter=3)
    # advice to change the likelihood only where it is not already Gaussian
    with np.errstate(all="ignore"), pytest.raises(DivergenceError) as caught:
        _fitted(digits[0][:200] * 16e3, likelihood="gaussian", max_iter=3)
    assert str(caught.value).endswith("standardize it.")


def _check_log_jacobian(model, X):
    """``model``'s log-densities of ``X`` are those of the same networks on
    the standardized rows, less ``sum log input_scale_`` (the rows, and so the
    noise drawn for each, are the same)."""
    standardized = copy.deepcopy(model)
    standardized.input_mean_ = standardized.input_scale_ = None
    Z = (X - model.input_mean_) / model.input_scale_
    np.testing.assert_allclose(model.score_samples(X),
                               standardized.score_samples(Z) - np.log(model.input_scale_).sum(),
                               rtol=1e-12)


def test_auto_likelihood_takes_the_gaussian_for_a_table_in_the_unit_interval(digits):
    """Min-max scaled columns crowd the middle of [0, 1] (wine has 0.18 of
    binary data's variance): 'auto' takes the Gaussian on the standardized
    columns, which reconstructs held-out rows with half the Bernoulli's error
    (measured 0.25 against 0.54 here); images keep the Bernoulli."""
    from sklearn.datasets import load_wine
    from sklearn.preprocessing import MinMaxScaler

    X = load_wine().data
    train, test = train_test_split(X, test_size=0.3, random_state=0)
    scaler = MinMaxScaler(clip=True).fit(train)
    train, test = scaler.transform(train), scaler.transform(test)

    def held_out_error(model):
        model.fit(train)
        return np.mean(np.sum((test - model.inverse_transform(model.transform(test))) ** 2, 1))

    auto = VariationalAutoencoder(n_components=6, random_state=0)
    bernoulli = VariationalAutoencoder(n_components=6, likelihood="bernoulli", random_state=0)
    assert held_out_error(auto) < 0.7 * held_out_error(bernoulli)
    assert auto.likelihood_ == "gaussian" and auto.input_scale_ is not None
    assert _fitted(digits[0][:300], max_iter=1).likelihood_ == "bernoulli"
    assert _fitted((digits[0][:300] > 0.5) * 1.0, max_iter=1).likelihood_ == "bernoulli"


def test_auto_gaussian_likelihood_fits_standardized_columns(rng):
    """'auto''s unit-variance Gaussian models the standardized columns: a
    model fitted on ``a X + b`` (columns of scale 1 to 5,000) is the model of
    ``X``, its codes the same, its reconstructions and samples ``a R + b``,
    and its log-densities those of its networks on the standardized rows
    less ``sum log input_scale_``, the change of variables' log-Jacobian.
    The likelihood as given takes the values as they
    are, and on these columns diverges."""
    X = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6))
    a, b = np.array([1.0, 3.0, 50.0, 400.0, 1e3, 5e3]), rng.normal(size=6) * 100
    small = dict(max_iter=3, n_importance_samples=3)
    base, moved = _fitted(X, **small), _fitted(a * X + b, **small)
    assert moved.likelihood_ == "gaussian" and moved.input_mean_ is not None
    np.testing.assert_allclose(moved.transform(a * X + b), base.transform(X), rtol=1e-6,
                               atol=1e-9)
    Z = base.transform(X)
    np.testing.assert_allclose(moved.inverse_transform(Z), a * base.inverse_transform(Z) + b,
                               rtol=1e-6)
    np.testing.assert_allclose(moved.sample(5, random_state=0),
                               a * base.sample(5, random_state=0) + b, rtol=1e-6)
    _check_log_jacobian(moved, a * X + b)
    given = _fitted(X, likelihood="gaussian", max_iter=1)
    assert given.input_mean_ is None and given.input_scale_ is None
    with np.errstate(all="ignore"), pytest.raises(DivergenceError):
        _fitted(a * X + b, likelihood="gaussian", max_iter=3)


def test_early_stopping_keeps_the_best_validation_score(digits):
    vae_ = _fitted(digits[0][:400], early_stopping=True, max_iter=8)
    assert len(vae_.validation_scores_) == vae_.n_iter_
    assert vae_.best_validation_score_ == max(vae_.validation_scores_)


def test_a_latent_code_no_smaller_than_the_input_warns():
    X = np.random.default_rng(0).random((60, 4))
    with pytest.warns(UserWarning, match="20 units for 4 input features.*n_components"):
        VariationalAutoencoder(encoder_layer_sizes=(8,), max_iter=1, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*need not reduce")
        VariationalAutoencoder(encoder_layer_sizes=(8,), n_components=2, max_iter=1,
                               random_state=0).fit(X)
