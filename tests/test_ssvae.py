"""Tests of the M2 kernels (skdeep/_kernels/ssvae.py) and SemiSupervisedVAE."""

import pickle

import numpy as np
import pytest
from finite_differences import numerical_gradient
from scipy.special import logsumexp, softmax
from scipy.stats import norm
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from test_vae import _check_log_jacobian

from skdeep import SemiSupervisedVAE, VariationalAutoencoder
from skdeep._kernels import ssvae, vae
from skdeep._kernels.network import forward
from skdeep._training import DivergenceError
from skdeep._vae import resolve_likelihood

# short fits stop at max_iter on purpose
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_FEATURES, N_CLASSES, N_LATENT = 5, 3, 2


# ---------------------------------------------------------------- kernels
def test_learned_variance_likelihood_closed_form_gradient_and_draws(rng):
    lik = vae.GaussianLearnedVarianceLikelihood
    x, out = rng.normal(size=(4, 3)), rng.normal(size=(4, 6))
    expected = norm.logpdf(x, loc=out[:, :3], scale=np.exp(out[:, 3:] / 2)).sum(axis=1)
    np.testing.assert_allclose(lik.log_prob(x, out), expected, rtol=1e-12)
    fd = numerical_gradient(lambda: lik.log_prob(x, out).sum(), out)
    # central differences at eps=1e-6 in float64: error ~1e-9
    np.testing.assert_allclose(lik.gradient(x, out), fd, atol=1e-7)
    np.testing.assert_array_equal(lik.mean(out), out[:, :3])
    draws = lik.sample(np.broadcast_to(out[0], (100_000, 6)), rng)
    # 100k draws: standard errors ~0.3% of the standard deviation
    sd = np.exp(out[0, 3:] / 2)
    assert np.all(np.abs(draws.mean(axis=0) - out[0, :3]) < 0.02 * sd)
    np.testing.assert_allclose(draws.var(axis=0), np.exp(out[0, 3:]), rtol=0.02)
    X = rng.normal(loc=3, scale=2, size=(50, 3))
    m, log_var = np.split(lik.initial_bias(X), 2)
    np.testing.assert_allclose(m, X.mean(axis=0))
    np.testing.assert_allclose(np.exp(log_var), X.var(axis=0))


def _tiny_networks(rng, encoder_hidden=(4,), likelihood="bernoulli"):
    def net(sizes):
        coefs = [rng.normal(scale=0.7, size=s) for s in zip(sizes[:-1], sizes[1:])]
        intercepts = [rng.normal(scale=0.3, size=s) for s in sizes[1:]]
        return coefs, intercepts, ["tanh"] * (len(coefs) - 1) + ["identity"]

    n_outputs = vae.LIKELIHOODS[likelihood].n_outputs(N_FEATURES)
    return (net([N_FEATURES + N_CLASSES, *encoder_hidden, 2 * N_LATENT]),
            net([N_LATENT + N_CLASSES, 3, n_outputs]),
            net([N_FEATURES, 3, N_CLASSES]))


def _batch(rng, likelihood, y):
    n = len(y)
    X = (rng.random((n, N_FEATURES)) < 0.5) * 1.0 if likelihood == "bernoulli" \
        else rng.normal(size=(n, N_FEATURES))
    n_copies = int(np.sum(y >= 0) + N_CLASSES * np.sum(y < 0))
    return X, rng.standard_normal((n_copies, N_LATENT))  # fixed noise: a smooth objective


def _independent_bounds(X, y, eps, encoder, decoder, classifier, likelihood):
    """L(x, y) and U(x) from plain forward passes on [x, one_hot(y)] and
    [z, one_hot(y)], the noise taken in the kernel's order (labeled rows, then
    the unlabeled rows class by class)."""
    eye = np.eye(N_CLASSES)
    noise = iter(eps)

    def L(x, k):
        h = forward(np.concatenate([x, eye[k]])[None], *encoder).output[0]
        mu, log_var = h[:N_LATENT], h[N_LATENT:]
        z = mu + np.exp(log_var / 2) * next(noise)
        out = forward(np.concatenate([z, eye[k]])[None], *decoder).output
        return (vae.LIKELIHOODS[likelihood].log_prob(x[None], out)[0]
                - vae.gaussian_kl(mu[None], log_var[None])[0] - np.log(N_CLASSES))

    bound = np.empty(len(y))
    labeled, unlabeled = np.flatnonzero(y >= 0), np.flatnonzero(y < 0)
    for i in labeled:
        bound[i] = L(X[i], y[i])
    L_u = np.array([[L(X[i], k) for i in unlabeled] for k in range(N_CLASSES)]).T
    q = softmax(forward(X[unlabeled], *classifier).output, axis=1)
    entropy = -np.sum(q * np.log(q), axis=1)
    bound[unlabeled] = np.sum(q * L_u, axis=1) + entropy
    return bound


LIKELIHOODS = ["bernoulli", "gaussian", "gaussian_learned_variance"]


@pytest.mark.parametrize("likelihood", LIKELIHOODS)
@pytest.mark.parametrize("encoder_hidden", [(4,), ()], ids=["hidden", "linear"])
def test_bounds_match_an_independent_computation(rng, likelihood, encoder_hidden):
    encoder, decoder, classifier = _tiny_networks(rng, encoder_hidden, likelihood)
    y = np.array([2, -1, 0, -1, -1, 1])
    X, eps = _batch(rng, likelihood, y)
    bound, *_ = ssvae.objective_gradients(X, y, X[:0], y[:0], eps, encoder, decoder, classifier,
                                          likelihood, N_CLASSES, 1.0, 0.0)
    expected = _independent_bounds(X, y, eps, encoder, decoder, classifier, likelihood)
    # the same float64 sums in another order: agreement to rounding
    np.testing.assert_allclose(bound, expected, rtol=1e-12, atol=1e-12)


CASES = {  # (labels of the bound's rows, rows classified, bound weight, classification weight)
    "labeled": ([2, 0, 1, 0], 0, 0.25, 0.0),
    "unlabeled": ([-1, -1, -1], 0, 1 / 3, 0.0),
    "classification": ([-1, 1], 4, 0.0, 0.7),
    "all": ([2, -1, 0, -1, 1], 3, 0.2, 0.3),
}


@pytest.mark.parametrize("likelihood", LIKELIHOODS)
@pytest.mark.parametrize("case", CASES)
def test_objective_gradients_match_finite_differences(rng, likelihood, case):
    labels, n_classify, bound_weight, classification_weight = CASES[case]
    y = np.array(labels)
    encoder, decoder, classifier = _tiny_networks(rng, likelihood=likelihood)
    X, eps = _batch(rng, likelihood, y)
    X_c = rng.random((n_classify, N_FEATURES))
    y_c = rng.integers(N_CLASSES, size=n_classify)

    def run():
        return ssvae.objective_gradients(X, y, X_c, y_c, eps, encoder, decoder, classifier,
                                         likelihood, N_CLASSES, bound_weight,
                                         classification_weight)

    def loss():
        bound, nll, *_ = run()
        return (-bound_weight * bound.sum()
                + classification_weight * (nll.mean() if len(nll) else 0))

    grads = run()[2:]
    for net, g in zip((encoder, decoder, classifier), grads):
        for a, ga in zip(net[0] + net[1], g.coefs + g.intercepts):
            # central differences at eps=1e-6 in float64: truncation and rounding ~1e-9
            np.testing.assert_allclose(ga, numerical_gradient(loss, a), atol=1e-7)


def test_unlabeled_bound_is_below_log_sum_exp_and_tight_at_the_posterior(rng):
    # U = sum_y q (L - log q) <= log sum_y exp L (Gibbs' inequality), with
    # equality at q = softmax(L); and log sum exp L <= max L + log K
    L = rng.normal(scale=5, size=(50, 4))
    log_q = np.log(rng.dirichlet(np.ones(4), size=50))
    U = ssvae.unlabeled_bound(L, log_q)
    assert np.all(U <= logsumexp(L, axis=1) + 1e-12)
    assert np.all(logsumexp(L, axis=1) <= L.max(axis=1) + np.log(4) + 1e-12)
    posterior = L - logsumexp(L, axis=1, keepdims=True)
    np.testing.assert_allclose(ssvae.unlabeled_bound(L, posterior), logsumexp(L, axis=1),
                               rtol=1e-12)


# ---------------------------------------------------------------- estimator
@pytest.fixture(scope="module")
def two_prototypes():
    """200 rows of 8 bits from two prototypes (the classes) with 10% flips;
    20 rows labeled, the others -1."""
    r = np.random.default_rng(1)
    protos = np.array([[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 1]], dtype=float)
    y = r.integers(0, 2, 200)
    X = np.abs(protos[y] - (r.random((200, 8)) < 0.1))
    y_partial = np.where(np.arange(200) < 20, y, -1)
    return X, y, y_partial


def test_bounds_are_below_the_exact_log_likelihood(two_prototypes):
    # A 1-D latent space and 2 classes: log p(x, y) = log p(y) + log int N(z; 0, 1)
    # p(x | y, z) dz by quadrature on a fine grid, from the decoder's pixel means.
    X, _, y_partial = two_prototypes
    m2 = SemiSupervisedVAE(encoder_layer_sizes=(16,), n_components=1, classifier_layer_sizes=(8,),
                           batch_size=20, max_iter=100, learning_rate=0.01,
                           random_state=0).fit(X, y_partial)
    decoder = m2._decoder()
    z = np.linspace(-10, 10, 8001)
    states = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(float)
    log_pxy = np.empty((256, 2))
    for k in range(2):
        p = vae.BernoulliLikelihood.mean(ssvae.decode(z[:, None], np.full(len(z), k), decoder, 2))
        log_px_z = states @ np.log(p).T + (1 - states) @ np.log1p(-p).T
        log_pxy[:, k] = (np.log(0.5) + np.log(z[1] - z[0])
                         + logsumexp(log_px_z - 0.5 * z**2 - 0.5 * np.log(2 * np.pi), axis=1))
    # the quadrature is right: p(x, y) sums to 1 over the 256 x 2 outcomes
    np.testing.assert_allclose(logsumexp(log_pxy), 0.0, atol=1e-8)

    # E_eps[L(x, y)] <= log p(x, y) for each distinct row and class, by Monte Carlo
    codes, first, inverse = np.unique((X.astype(int) << np.arange(8)).sum(axis=1),
                                      return_index=True, return_inverse=True)
    X_distinct, exact = X[first], log_pxy[codes]
    n, draws = len(X_distinct), 4000
    # every distinct row with each class, 4000 times, as labeled copies
    rows, classes = np.tile(np.arange(n), 2 * draws), np.tile(np.repeat([0, 1], n), draws)
    eps = np.random.default_rng(0).standard_normal((len(rows), 1))
    L = ssvae.labeled_bound(X_distinct[rows], classes, eps, m2._encoder(), decoder,
                            "bernoulli", 2).reshape(draws, 2, n)
    mean_L, stderr = L.mean(axis=0).T, L.std(axis=0).T / np.sqrt(draws)
    # 4000 draws: each mean within 4 standard errors of its expectation
    assert np.all(mean_L <= exact + 4 * stderr), np.max(mean_L - exact - 4 * stderr)
    # E[U(x)] = sum_y q (E L - log q) <= log sum_y exp E L <= log p(x)
    log_q = m2.predict_log_proba(X_distinct)
    expected_U = ssvae.unlabeled_bound(mean_L, log_q)
    assert np.all(expected_U <= logsumexp(exact, axis=1) + 4 * stderr.max(axis=1))
    # score_samples (one draw per row and class) estimates the same E[U(x)]
    scores = m2.score_samples(X)
    diff = scores - expected_U[inverse]
    # the mean of 200 single draws: within 4 standard errors of its expectation
    assert abs(diff.mean()) < 4 * diff.std() / np.sqrt(len(diff))
    # after training the bound is nearly tight: the gap E KL(q(y, z | x) || p(y, z | x))
    # is small next to log p(x) (about -5 nats on these 8 bits)
    assert np.mean(logsumexp(exact, axis=1) - expected_U) < 0.2


def _small(**params):
    settings = dict(encoder_layer_sizes=(32,), n_components=4, classifier_layer_sizes=(32,),
                    batch_size=50, max_iter=3, random_state=0)
    return SemiSupervisedVAE(**{**settings, **params})


def test_all_labeled_the_classifier_does_not_touch_the_generative_model(digits):
    # With every row labeled the bound is L(x, y) alone: q(y | x) enters only
    # through the classification term, so the encoder and decoder train the same
    # whatever its weight, and with weight 0 the classifier keeps its initial values.
    X, y = digits[0][:300], digits[1][:300]
    fits = {w: _small(classification_weight=w).fit(X, y) for w in (0.0, 5.0)}
    for a, b in zip(fits[0.0]._params()[:-4], fits[5.0]._params()[:-4]):
        np.testing.assert_array_equal(a, b)
    initial = _small(max_iter=1)
    initial._encode_labels(y, None)
    initial.likelihood_ = resolve_likelihood(initial, X)
    initial._initialize(X)
    for a, b in zip(fits[0.0].classifier_coefs_, initial.classifier_coefs_):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(fits[5.0].classifier_coefs_[0], initial.classifier_coefs_[0])


@pytest.mark.parametrize("kind", ["int", "str", "object"])
def test_the_unlabeled_marker_is_never_a_class(digits, kind):
    X, y = digits[0][:200], digits[1][:200]
    y_partial = np.where(np.arange(200) % 4 == 0, y, -1)
    if kind == "str":
        y_partial = y_partial.astype(str)  # the marker becomes "-1"
    elif kind == "object":
        y_partial = np.array([f"d{v}" if v >= 0 else -1 for v in y_partial], dtype=object)
    m2 = _small().fit(X, y_partial)
    assert len(m2.classes_) == 10
    assert not np.any(np.isin(m2.classes_.astype(str), ["-1"]))
    assert set(m2.predict(X)) <= set(m2.classes_)
    # score counts the labeled rows only
    labeled = y_partial != (-1 if kind != "str" else "-1")
    expected = np.mean(m2.predict(X[labeled]) == y_partial[labeled])
    assert m2.score(X, y_partial) == pytest.approx(expected)


def test_fit_needs_labeled_rows_of_two_classes(digits):
    X = digits[0][:50]
    with pytest.raises(ValueError, match="at least one labeled row"):
        _small().fit(X, np.full(50, -1))
    with pytest.raises(ValueError, match="at least 2 classes"):
        _small().fit(X, np.r_[3, np.full(49, -1)])
    with pytest.raises(ValueError, match="not in classes_"):
        m2 = _small().partial_fit(X, np.r_[0, 1, np.full(48, -1)])
        m2.partial_fit(X, np.r_[2, np.full(49, -1)])


def test_partial_fit_once_per_epoch_equals_fit(digits):
    X, y = digits[0][:200], np.where(np.arange(200) % 3 == 0, digits[1][:200], -1)
    fitted = _small(max_iter=3).fit(X, y)
    partial = _small()
    for _ in range(3):
        assert partial.partial_fit(X, y) is partial
    assert partial.n_iter_ == fitted.n_iter_ == 3
    np.testing.assert_array_equal(partial.loss_curve_, fitted.loss_curve_)
    for a, b in zip(fitted._params(), partial._params()):
        np.testing.assert_array_equal(a, b)


def test_pickle_clone_and_row_independent_scores(digits):
    X, y = digits[0][:200].copy(), np.where(np.arange(200) % 3 == 0, digits[1][:200], -1)
    X_before = X.copy()
    m2 = _small().fit(X, y)
    np.testing.assert_array_equal(X, X_before)
    restored = pickle.loads(pickle.dumps(m2))
    for method in ("predict_proba", "transform", "score_samples"):
        np.testing.assert_array_equal(getattr(restored, method)(X), getattr(m2, method)(X))
    np.testing.assert_array_equal(restored.sample(5, random_state=1)[0],
                                  m2.sample(5, random_state=1)[0])
    cloned = clone(m2)
    assert cloned.get_params() == m2.get_params()
    assert not hasattr(cloned, "encoder_coefs_")
    # each row's score is seeded by the row: independent of the other rows given
    full = m2.score_samples(X[:40])
    np.testing.assert_array_equal(m2.score_samples(X[:40][::-1]), full[::-1])
    np.testing.assert_array_equal(m2.score_samples(X[5:9]), full[5:9])


def test_transform_is_the_posterior_mean_of_z_under_the_mixture(digits):
    X = digits[0][:30]
    m2 = _small().fit(digits[0][:200], digits[1][:200])
    q = m2.predict_proba(X)
    expected = np.zeros((30, m2.n_components))
    for k in range(10):  # the encoder on [x, one_hot(k)], done here by a plain forward pass
        inputs = np.hstack([X, np.tile(np.eye(10)[k], (30, 1))])
        expected += q[:, [k]] * forward(inputs, *m2._encoder()).output[:, :m2.n_components]
    np.testing.assert_allclose(m2.transform(X), expected, rtol=1e-10, atol=1e-12)
    assert m2.fit_transform(digits[0][:200], digits[1][:200]).shape == (200, 4)


def test_float32_is_preserved(digits):
    X, y = digits[0][:200], np.where(np.arange(200) % 3 == 0, digits[1][:200], -1)
    m64 = _small().fit(X, y)
    m32 = _small().fit(X.astype(np.float32), y)
    assert all(p.dtype == np.float32 for p in m32._params())
    X32 = X.astype(np.float32)
    for out in (m32.transform(X32), m32.score_samples(X32), m32.predict_proba(X32),
                m32.sample(3)[0]):
        assert out.dtype == np.float32
    # 3 epochs from the same seed: float32 rounding (~1e-7) grows to ~1e-4 relative
    np.testing.assert_allclose(m32.predict_proba(X32), m64.predict_proba(X), atol=1e-3)


def test_sample_is_conditioned_on_the_given_classes(digits):
    m2 = _small().fit(digits[0][:200], digits[1][:200])
    X, y = m2.sample(6, y=[1, 2, 3, 1, 2, 3], mean=True, random_state=0)
    np.testing.assert_array_equal(y, [1, 2, 3, 1, 2, 3])
    assert X.shape == (6, 64) and np.all((X > 0) & (X < 1))
    X, y = m2.sample(500, random_state=0)
    assert set(np.unique(X)) <= {0.0, 1.0}
    # classes from the uniform prior: each of 10 about 50 times (binomial sd ~6.7)
    assert np.all(np.abs(np.bincount(y, minlength=10) - 50) < 25)
    with pytest.raises(ValueError, match="not in classes_"):
        m2.sample(2, y=11)


def test_gaussian_likelihood_warning_and_divergence(digits):
    X, y = digits[0][:200], digits[1][:200]
    with pytest.warns(UserWarning, match="likelihood='gaussian'"):
        _small(likelihood="bernoulli", max_iter=1).fit(X * 16, y)
    assert _small(max_iter=1).fit(X * 16, y).likelihood_ == "gaussian"  # 'auto'
    unlabeled_outside = np.vstack([X[:100], X[100:] - 0.5])
    y_partial = np.where(np.arange(len(y)) < 100, y, -1)
    assert _small(max_iter=1).fit(unlabeled_outside, y_partial).likelihood_ == "gaussian"
    assert _small(max_iter=1).fit(X, y_partial).likelihood_ == "bernoulli"
    m2 = _small(likelihood="gaussian", decoder_layer_sizes=(8, 16)).fit(X * 4 - 2, y)
    assert [c.shape for c in m2.decoder_coefs_] == [(14, 8), (8, 16), (16, 64)]
    assert [c.shape for c in m2.encoder_coefs_] == [(74, 32), (32, 8)]
    assert np.isfinite(m2.score_samples(X)).all()
    with np.errstate(all="ignore"), pytest.raises(DivergenceError, match="learning_rate"):
        _small(optimizer="sgd", learning_rate=1e6).fit(X, y)


def test_auto_gaussian_likelihood_fits_standardized_columns(rng):
    """As the VAE's: on ``a X + b`` the model, predictions and codes of ``X``,
    samples ``a x + b``, and log-densities those of its networks on the
    standardized rows less ``sum log input_scale_``."""
    X = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6))
    y = (X[:, 0] > 0).astype(int)
    a, b = np.array([1.0, 3.0, 50.0, 400.0, 1e3, 5e3]), rng.normal(size=6) * 100
    base, moved = _small().fit(X, y), _small().fit(a * X + b, y)
    assert moved.likelihood_ == "gaussian" and moved.input_scale_ is not None
    np.testing.assert_allclose(moved.predict_proba(a * X + b), base.predict_proba(X),
                               rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(moved.transform(a * X + b), base.transform(X), rtol=1e-6,
                               atol=1e-9)
    drawn, moved_drawn = base.sample(4, random_state=0), moved.sample(4, random_state=0)
    np.testing.assert_allclose(moved_drawn[0], a * drawn[0] + b, rtol=1e-6)
    _check_log_jacobian(moved, a * X + b)


def test_m1_m2_pipeline_with_unlabeled_rows(digits):
    # M1+M2: the VAE ignores y, so the -1 rows pass through to the M2 model
    X, y = digits
    y_partial = np.where(np.arange(len(y)) % 10 == 0, y, -1)
    pipe = make_pipeline(
        VariationalAutoencoder(encoder_layer_sizes=(32,), n_components=8, max_iter=3,
                               random_state=0),
        _small(likelihood="gaussian_learned_variance"),
    ).fit(X, y_partial)
    np.testing.assert_array_equal(pipe.classes_, np.arange(10))
    assert pipe.predict_proba(X[:3]).shape == (3, 10)
    labeled = y_partial >= 0
    expected = np.mean(pipe.predict(X[labeled]) == y[labeled])
    assert pipe.score(X, y_partial) == pytest.approx(expected)


@pytest.mark.parametrize("seed", [0, 1])
def test_unlabeled_rows_help_with_two_labels_per_class(seed):
    # Two noisy binary prototypes (30% of 30 bits flipped), 2 labeled rows per
    # class out of 600. Trained on the 4 labeled rows alone the model is at
    # 0.69-0.82 accuracy (seeds 0-5); with the unlabeled rows it finds the two
    # clusters and comes within 0.02 of the Bayes rule (measured on seeds 0-5).
    r = np.random.default_rng(seed)
    protos = (r.random((2, 30)) < 0.5).astype(float)
    y = r.integers(0, 2, 600)
    X = np.abs(protos[y] - (r.random((600, 30)) < 0.3))
    labeled = np.r_[np.flatnonzero(y == 0)[:2], np.flatnonzero(y == 1)[:2]]
    y_partial = np.full(600, -1)
    y_partial[labeled] = y[labeled]
    log_odds = np.log(np.where(protos, 0.7, 0.3)) - np.log(np.where(protos, 0.3, 0.7))
    bayes = np.mean((X @ log_odds.T).argmax(axis=1) == y)  # the prototypes known
    params = dict(encoder_layer_sizes=16, n_components=2, classifier_layer_sizes=16,
                  classification_weight=1.0, batch_size=50, max_iter=30,
                  learning_rate=0.01, random_state=seed)
    semi = SemiSupervisedVAE(**params).fit(X, y_partial).score(X, y)
    alone = SemiSupervisedVAE(**params).fit(X[labeled], y[labeled]).score(X, y)
    assert semi > bayes - 0.04, (semi, bayes)
    assert semi > alone + 0.08, (semi, alone)


def test_samples_of_a_class_are_classified_as_that_class(digits):
    # If the decoder ignored y (z carrying the class), about 10% of the samples
    # would be classified as the class asked for; trained 10 epochs on digits
    # with half the rows labeled, 95-100% are (seeds 0-2).
    X, y = digits
    m2 = SemiSupervisedVAE(encoder_layer_sizes=64, n_components=4, classifier_layer_sizes=64,
                           max_iter=10, learning_rate=3e-3, random_state=0)
    m2.fit(X, np.where(np.arange(len(y)) % 2 == 0, y, -1))
    X_new, y_new = m2.sample(500, mean=True, random_state=0)
    assert np.mean(m2.predict(X_new) == y_new) > 0.9


@pytest.mark.parametrize("n_samples, expected, stop", [(200, 500, 51), (1198, 417, 10),
                                                       (12000, 50, 2)])
def test_max_iter_auto_gives_about_5000_updates(n_samples, expected, stop):
    # ceil(5000 / ceil(n / 100)) epochs of batches of 100, within [50, 500]:
    # 2 batches an epoch -> 2500, capped at 500; 12 -> 417; 120 -> 42, raised to 50
    r = np.random.default_rng(0)
    X = r.random((n_samples, 3))
    y = np.where(np.arange(n_samples) < 10, np.arange(n_samples) % 2, -1)
    # a tolerance nothing meets: training stops after the first epoch and
    # n_iter_no_change=1 more, or as many as make 100 updates (2 batches an
    # epoch: 50; 12: 9; 120: 1), max_iter_ resolved
    m2 = SemiSupervisedVAE(encoder_layer_sizes=4, n_components=1, classifier_layer_sizes=4,
                           tol=1e9, n_iter_no_change=1, random_state=0).fit(X, y)
    assert m2.n_iter_ == stop and m2.max_iter_ == expected
    assert m2.set_params(max_iter=7).fit(X[:200], y[:200]).max_iter_ == 7
