"""Defaults that adapt to the optimizer, the data size, the unit type and the
target scale; each test fails with the fixed defaults they replaced."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone, is_classifier
from sklearn.datasets import (
    load_breast_cancer,
    load_wine,
    make_classification,
    make_regression,
)
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.neural_network import BernoulliRBM
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import KBinsDiscretizer, MinMaxScaler, StandardScaler

import skdeep
from skdeep import (
    DBN,
    Autoencoder,
    DBNAutoencoder,
    DBNClassifier,
    DBNRegressor,
    SemiSupervisedVAE,
    VariationalAutoencoder,
)
from skdeep._kernels.network import forward, loss_and_gradients
from skdeep._kernels.optimizers import (
    AUTOENCODER_LEARNING_RATES,
    DEFAULT_LEARNING_RATES,
    OPTIMIZERS,
    VAE_LEARNING_RATES,
)
from skdeep._kernels.penalty import (
    DISTANCE_BLOCK,
    MAX_ALPHA,
    MIN_ALPHA,
    NONLINEAR_ALPHA,
    NONLINEAR_SHARES,
    evenly_spaced_rows,
    linear_error_fraction,
    neighbour_noise_fraction,
    noise_scaled_alpha,
    ridge_loo_errors,
)
from skdeep._pretraining import (
    AUTOENCODER_PRETRAIN_UPDATES,
    MAX_EPOCHS,
    PRETRAIN_UPDATES,
    auto_batch_size,
    auto_epochs,
)
from skdeep._training import DivergenceError, InputRangeWarning


@pytest.fixture(scope="module")
def digits_split(digits):
    X, y = digits
    return train_test_split(X, y, train_size=1200, random_state=0)


def test_every_optimizer_has_a_default_step():
    assert set(DEFAULT_LEARNING_RATES) == set(OPTIMIZERS)
    # the papers' own steps where they are scale-free
    assert DEFAULT_LEARNING_RATES["adadelta"] == 1.0  # Zeiler 2012
    assert DEFAULT_LEARNING_RATES["adam"] == 0.001  # Kingma & Ba 2015


@pytest.mark.parametrize("optimizer", ["adadelta", "sgd", "momentum", "adagrad", "radam"])
def test_optimizer_at_its_default_step_learns_digits(optimizer, digits_split):
    # At the former shared step of 0.001 these reached 0.02-0.67 test accuracy
    # in 30 epochs; at their own default step they learn.
    X_train, X_test, y_train, y_test = digits_split
    clf = DBNClassifier(hidden_layer_sizes=(64,), pretraining=None, optimizer=optimizer,
                        max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X_train, y_train)
    assert clf.learning_rate_init_ == DEFAULT_LEARNING_RATES[optimizer]
    assert clf.score(X_test, y_test) > 0.9


def _held_out_error(model, X_train, X_test):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train)
    return np.mean(np.sum((X_test - model.inverse_transform(model.transform(X_test))) ** 2,
                          axis=1))


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("scaling", ["unit interval", "standardized"])
def test_vae_optimizer_at_its_default_step_learns_digits(optimizer, scaling, digits):
    """At the former shared step of 0.001, AdaDelta reconstructed the digits
    no better than their mean (on standardized digits, at 3.3 times its
    error), and momentum and Nesterov diverged on standardized digits."""
    X_train, X_test = train_test_split(digits[0], train_size=600, random_state=0)
    if scaling == "standardized":
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    vae = VariationalAutoencoder(optimizer=optimizer, random_state=0)
    error = _held_out_error(vae, X_train, X_test)
    likelihood = "bernoulli" if scaling == "unit interval" else "gaussian"
    assert vae.learning_rate_ == VAE_LEARNING_RATES[likelihood][optimizer]
    mean_image = np.mean(np.sum((X_test - X_train.mean(axis=0)) ** 2, axis=1))
    assert error < 0.6 * mean_image


def test_semi_supervised_vae_takes_the_vae_steps(digits):
    X, y = digits[0][:200], digits[1][:200].copy()
    y[20:] = -1
    for optimizer, scale in (("adadelta", 1.0), ("momentum", 4.0)):
        model = SemiSupervisedVAE(encoder_layer_sizes=(16,), n_components=2, optimizer=optimizer,
                                  max_iter=1, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", (ConvergenceWarning, InputRangeWarning))
            model.fit(scale * X, y)
        assert model.likelihood_ == ("bernoulli" if scale == 1.0 else "gaussian")
        assert model.learning_rate_ == VAE_LEARNING_RATES[model.likelihood_][optimizer]
    assert SemiSupervisedVAE(learning_rate=0.02, max_iter=1).fit(X, y).learning_rate_ == 0.02


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_autoencoder_optimizer_at_its_default_step_learns_digits(optimizer, digits):
    """At the former shared step of 0.1, AdaDelta's held-out error was 0.83
    of the mean image's; at its own step, 0.29."""
    X_train, X_test = train_test_split(digits[0], train_size=600, random_state=0)
    ae = Autoencoder(n_components=32, optimizer=optimizer, random_state=0)
    error = _held_out_error(ae, X_train, X_test)
    assert ae.learning_rate_ == AUTOENCODER_LEARNING_RATES[optimizer]
    mean_image = np.mean(np.sum((X_test - X_train.mean(axis=0)) ** 2, axis=1))
    assert error < 0.35 * mean_image
    assert Autoencoder(learning_rate=0.3).fit(X_train).learning_rate_ == 0.3


def test_alpha_is_scaled_by_the_batch_as_in_mlp_classifier(rng):
    # scikit-learn's MLP objective: mean loss + alpha / (2 n) * sum ||W||^2
    X = rng.random((7, 3))
    Y = np.eye(2)[rng.integers(0, 2, 7)]
    coefs = [rng.standard_normal((3, 4)), rng.standard_normal((4, 2))]
    intercepts = [np.zeros(4), np.zeros(2)]
    alpha = 0.3
    value, summed, grads = loss_and_gradients(X, Y, coefs, intercepts, ["relu", "softmax"],
                                              "log_loss", alpha=alpha)
    expected = summed / 7 + alpha / (2 * 7) * sum(np.sum(W**2) for W in coefs)
    assert value == pytest.approx(expected, rel=1e-12)
    _, _, plain = loss_and_gradients(X, Y, coefs, intercepts, ["relu", "softmax"], "log_loss")
    np.testing.assert_allclose(grads.coefs[0] - plain.coefs[0], alpha / 7 * coefs[0],
                               rtol=1e-10, atol=1e-12)


def test_batch_size_auto_is_min_200_n_samples(digits):
    X, y = digits
    small = DBNClassifier(hidden_layer_sizes=(8,), pretraining=None, max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert small.fit(X[:150], y[:150]).batch_size_ == 150
        assert small.fit(X, y).batch_size_ == 200
        assert small.set_params(batch_size=32).fit(X, y).batch_size_ == 32


def test_pretraining_updates_scale_with_the_data_size(digits):
    # a 1,800-row set gets as many updates per layer as MNIST's 60,000 rows
    for n in (300, 1797, 60000):
        batch = auto_batch_size(n)
        epochs = auto_epochs(n, batch)
        updates = epochs * -(-n // batch)
        assert updates >= min(PRETRAIN_UPDATES, 10 * -(-n // batch))
    X = digits[0][:600]
    dbn = DBN(hidden_layer_sizes=(16,), random_state=0).fit(X)
    rbm = dbn.estimators_[0]
    assert rbm.n_iter_ * -(-600 // rbm.batch_size) >= PRETRAIN_UPDATES


def test_deep_autoencoder_is_pretrained_longer_than_a_classifier(digits):
    # its code is fine-tuned from the stacked reconstructions: 4000 updates a
    # layer against 500 lowered the held-out error of benchmarks/defaults.py
    X = digits[0][:400]
    ae = DBNAutoencoder(hidden_layer_sizes=(16, 4), max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ae.fit(X)
    for layer in ae.pretrained_layers_:
        per_epoch = -(-400 // layer.batch_size)
        assert layer.n_iter_ == min(MAX_EPOCHS, -(-AUTOENCODER_PRETRAIN_UPDATES // per_epoch))
        assert layer.n_iter_ * per_epoch > 4 * PRETRAIN_UPDATES


def test_deep_autoencoder_rectifiers_reconstruct_better(digits):
    # activation='auto' is relu under denoising pre-training: held-out digits
    # are reconstructed better than by the logistic units of the former default
    X = digits[0]
    errors = {}
    for activation in ("auto", "logistic"):
        ae = DBNAutoencoder(hidden_layer_sizes=(64, 6), activation=activation,
                            pretrain_n_iter=20, max_iter=50, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            ae.fit(X[:1000])
        errors[ae.activations_[0]] = -ae.score(X[1000:])
    assert errors["relu"] < 0.95 * errors["logistic"]


def test_alpha_auto_follows_the_estimator_and_its_units(digits):
    X, y = digits[0][:150], digits[1][:150]
    small = dict(hidden_layer_sizes=(8,), pretrain_n_iter=1, max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert DBNClassifier(**small).fit(X, y).alpha_ == 0.0001  # scikit-learn's
        auto = DBNRegressor(**small).fit(X, y).alpha_
        assert NONLINEAR_ALPHA <= auto <= MAX_ALPHA  # from the targets' noise
        assert DBNRegressor(pretraining="rbm", **small).fit(X, y).alpha_ == 0.0001
        assert DBNRegressor(alpha=0.01, **small).fit(X, y).alpha_ == 0.01
        # a batch of 15 rows, not min(200, 150): each update penalized as at the default
        assert DBNRegressor(batch_size=15, **small).fit(X, y).alpha_ == pytest.approx(
            auto * 15 / 150)


def test_neighbour_noise_fraction_by_hand():
    # nearest neighbours of 0, 1, 3, 7 on a line: 1, 0, 1, 3
    X, Y = np.array([[0.0], [1.0], [3.0], [7.0]]), np.array([0.0, 1.0, 1.0, 4.0])
    differences = (0 - 1) ** 2 + (1 - 0) ** 2 + (1 - 1) ** 2 + (4 - 1) ** 2
    expected = differences / (2 * 4) / np.var(Y)
    assert neighbour_noise_fraction(X, Y) == pytest.approx(expected, rel=1e-12)
    assert neighbour_noise_fraction(sp.csr_matrix(X), Y[:, None]) == pytest.approx(expected)
    assert neighbour_noise_fraction(X.astype(np.float32), Y) == pytest.approx(expected)
    # weights 1, 2, 1, 1: weighted differences 1 + 2 + 0 + 9 over 2 * 5, and
    # the weighted variance about the weighted mean 7 / 5
    w = np.array([1.0, 2.0, 1.0, 1.0])
    variance = np.sum(w * (Y - 7 / 5) ** 2) / 5
    assert neighbour_noise_fraction(X, Y, w) == pytest.approx(12 / 10 / variance, rel=1e-12)
    # a row of weight 0 is neither a row nor a neighbour
    X5, Y5 = np.vstack([X, [[0.9]]]), np.append(Y, 100.0)
    assert neighbour_noise_fraction(X5, Y5, np.append(np.ones(4), 0.0)) == pytest.approx(
        expected, rel=1e-12)
    # two targets: both columns' differences over both variances
    Y2 = np.column_stack([Y, 2 * Y])
    assert neighbour_noise_fraction(X, Y2) == pytest.approx(expected, rel=1e-12)
    # k copies of a row are the row at weight k: a copy is not a neighbour
    repeats = np.array([1, 3, 2, 1])
    assert neighbour_noise_fraction(np.repeat(X, repeats, axis=0), np.repeat(Y, repeats)) == (
        pytest.approx(neighbour_noise_fraction(X, Y, repeats.astype(float)), rel=1e-12))
    assert neighbour_noise_fraction(np.zeros((5, 2)), np.arange(5.0)) == 1.0
    assert neighbour_noise_fraction(X, np.ones(4)) == 0.0
    assert neighbour_noise_fraction(X[:2], Y[:2]) == 1.0



def test_neighbour_noise_fraction_matches_nearest_neighbors_over_blocks(rng):
    # more rows than one block of distances, dense and sparse, against
    # scikit-learn's exact neighbour search
    from sklearn.neighbors import NearestNeighbors

    X = rng.normal(size=(3 * DISTANCE_BLOCK + 17, 5))
    Y = X[:, 0] + rng.normal(size=X.shape[0])
    nearest = NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[1][:, 1]
    expected = np.mean((Y - Y[nearest]) ** 2) / 2 / np.var(Y)
    assert neighbour_noise_fraction(X, Y) == pytest.approx(expected, rel=1e-12)
    assert neighbour_noise_fraction(sp.csr_matrix(X), Y) == pytest.approx(expected, rel=1e-12)

def test_noise_scaled_alpha_rises_with_the_noise():
    fractions = np.linspace(0, 1.2, 25)
    alphas = [noise_scaled_alpha(f) for f in fractions]
    assert np.all(np.diff(alphas) >= 0)
    assert alphas[0] == MIN_ALPHA == 0.1 and alphas[-1] == MAX_ALPHA == 3.0
    assert noise_scaled_alpha(0.3) == pytest.approx(0.3)


def test_noise_scaled_alpha_falls_with_a_nonlinear_signal():
    """A linear fit leaving no more than the noise keeps the noise's penalty;
    one leaving much more (a signal no linear function follows) takes the
    small NONLINEAR_ALPHA, by a geometric ramp between the two shares."""
    low, high = NONLINEAR_SHARES
    for noise in (0.1, 0.3, 0.5, 0.7):
        alone = noise_scaled_alpha(noise)
        assert noise_scaled_alpha(noise, noise - 0.2) == alone  # a linear signal
        assert noise_scaled_alpha(noise, noise + low) == pytest.approx(alone)
        assert noise_scaled_alpha(noise, noise + high) == pytest.approx(NONLINEAR_ALPHA)
        assert noise_scaled_alpha(noise, 1.0 + high) == pytest.approx(NONLINEAR_ALPHA)
        middle = noise_scaled_alpha(noise, noise + (low + high) / 2)
        assert middle == pytest.approx(np.sqrt(alone * NONLINEAR_ALPHA))
        ramp = [noise_scaled_alpha(noise, noise + s) for s in np.linspace(0, 0.3, 31)]
        assert np.all(np.diff(ramp) <= 1e-15)


def _leave_one_out_by_refitting(X, Y, w, lam):
    """Each row predicted by a weighted ridge fitted without it."""
    from sklearn.linear_model import Ridge

    errors = 0.0
    for i in range(Y.shape[0]):
        rest = np.arange(Y.shape[0]) != i
        ridge = Ridge(alpha=lam, solver="svd").fit(X[rest], Y[rest], sample_weight=w[rest])
        errors += w[i] * np.sum((Y[i] - ridge.predict(X[i:i + 1])[0]) ** 2)
    return errors / w.sum()


@pytest.mark.parametrize("shape", [(14, 3), (9, 20)])  # more rows, more columns
def test_ridge_loo_errors_equal_refitting_without_each_row(rng, shape):
    X = rng.normal(size=shape)
    Y = np.column_stack([X[:, 0] - X[:, 1] + rng.normal(size=shape[0]),
                         rng.normal(size=shape[0])])
    w = rng.uniform(0.5, 2.0, shape[0])
    penalties = np.array([1e-4, 0.05, 1.0])
    # the penalties are in units of the largest squared singular value of
    # the weighted, centred rows
    share = w / w.sum()
    top = np.linalg.svd(np.sqrt(w)[:, None] * (X - share @ X), compute_uv=False)[0] ** 2
    expected = [_leave_one_out_by_refitting(X, Y, w, p * top) for p in penalties]
    np.testing.assert_allclose(ridge_loo_errors(X, Y, w, penalties), expected, rtol=1e-9)
    np.testing.assert_allclose(ridge_loo_errors(sp.csr_matrix(X), Y, w, penalties), expected,
                               rtol=1e-9)
    # unweighted, and a row of weight 0 takes no part
    ones = np.ones(shape[0])
    top = np.linalg.svd(X - X.mean(0), compute_uv=False)[0] ** 2
    plain = [_leave_one_out_by_refitting(X, Y, ones, p * top) for p in penalties]
    np.testing.assert_allclose(ridge_loo_errors(X, Y[:, 0], None, penalties),
                               [_leave_one_out_by_refitting(X, Y[:, :1], ones, p * top)
                                for p in penalties], rtol=1e-9)
    np.testing.assert_allclose(ridge_loo_errors(X, Y, None, penalties), plain, rtol=1e-9)
    X_zero, Y_zero = np.vstack([X, 100 * X[:1]]), np.vstack([Y, [[1e3, -1e3]]])
    np.testing.assert_allclose(ridge_loo_errors(X_zero, Y_zero, np.append(ones, 0.0), penalties),
                               plain, rtol=1e-9)


def test_linear_error_fraction_tells_a_linear_signal_from_others(rng):
    X = rng.uniform(-2, 2, size=(400, 2))
    noise = rng.normal(size=400)
    linear = X @ [1.0, -2.0]
    assert linear_error_fraction(X, linear) < 1e-6  # exactly linear
    line = linear_error_fraction(X, linear + noise)
    assert line == pytest.approx(np.var(noise) / np.var(linear + noise), rel=0.1)
    # a target no linear function follows: its whole variance
    assert linear_error_fraction(X, np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1])) > 0.95
    assert linear_error_fraction(X, np.ones(400)) == 0.0
    assert linear_error_fraction(X[:2], linear[:2]) == 1.0


def test_evenly_spaced_rows_cover_the_data():
    np.testing.assert_array_equal(evenly_spaced_rows(5, 10), np.arange(5))
    rows = evenly_spaced_rows(10_000, 2000)
    assert len(rows) == 2000 and rows[0] == 0 and rows[-1] == 9999
    assert np.all(np.diff(rows) >= 4)


def test_regressor_alpha_auto_follows_the_noise_in_the_targets(rng):
    x = rng.uniform(size=(400, 1))
    small = dict(hidden_layer_sizes=(8,), pretrain_n_iter=1, max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        line = DBNRegressor(**small).fit(x, 100 * x[:, 0])
        wave = DBNRegressor(**small).fit(x, 100 * np.sin(9 * x[:, 0]))
        noisy = DBNRegressor(**small).fit(x, rng.standard_normal(400))
        assert line.alpha_ == MIN_ALPHA and noisy.alpha_ == MAX_ALPHA
        assert wave.alpha_ == NONLINEAR_ALPHA  # no linear function follows it
        # noisy rows of weight 0 leave the clean rows' penalty
        both = np.vstack([x, x + 1e-3])
        targets = np.concatenate([100 * x[:, 0], 100 * rng.standard_normal(400)])
        weights = np.concatenate([np.ones(400), np.zeros(400)])
        assert DBNRegressor(**small).fit(both, targets, sample_weight=weights).alpha_ == MIN_ALPHA
        assert DBNRegressor(**small).fit(both, targets).alpha_ == MAX_ALPHA
        # a later partial_fit keeps the penalty of the first fit
        noisy.partial_fit(x[:200], x[:200, 0])
    assert noisy.alpha_ == MAX_ALPHA


def _cv_r2(X, y, *alphas):
    """Mean held-out R^2 of DBNRegressor() at each penalty (3-fold CV)."""
    cv = KFold(3, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return [cross_val_score(DBNRegressor(alpha=alpha, random_state=0), X, y, cv=cv).mean()
                for alpha in alphas]


@pytest.mark.parametrize("seed", [0, 1])
def test_regressor_alpha_auto_fits_noisier_data_better_than_a_fixed_penalty(seed):
    """300 rows of a noisy linear problem: 'auto' takes 0.9 to 1.6 from the
    noise, where the former fixed 0.3 overfits (1.8 and 1.9 points of R^2
    lower)."""
    X, y = make_regression(n_samples=300, n_features=20, n_informative=10, noise=50,
                           random_state=seed)
    auto, fixed = _cv_r2(X, y, "auto", 0.3)
    assert auto > fixed + 0.005


@pytest.mark.parametrize("seed", [0, 1])
def test_regressor_alpha_auto_is_small_for_a_signal_no_line_follows(seed):
    """A noisy wave over two inputs: the nearest neighbours find half the
    variance noise, as on a noisy linear set, but a linear fit explains
    none of it. 'auto' takes NONLINEAR_ALPHA there; the noise's penalty alone
    (1.0 to 3) flattened the wave (held-out R^2 0.36 and 0.34 against 0.01
    and 0.05 at 1.0)."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(600, 2))
    y = np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1]) + 0.5 * rng.normal(size=600)
    auto, noise_only = _cv_r2(X, y, "auto", 1.0)
    assert auto > noise_only + 0.2


@pytest.mark.parametrize("seed", [0, 1])
def test_regressor_alpha_auto_exceeds_one_on_noisy_rows_of_many_columns(seed):
    """600 noisy rows of 40 correlated columns (a linear target): the
    neighbours leave most of the variance, 'auto' takes 2 to 3, and the
    former cap of 1.0 overfits (3.8 and 14.8 points of R^2 lower)."""
    X, y = make_regression(n_samples=600, n_features=40, effective_rank=4, noise=3,
                           random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert DBNRegressor(random_state=0).fit(X, y).alpha_ > 2
    auto, capped = _cv_r2(X, y, "auto", 1.0)
    assert auto > capped + 0.02


def test_a_smaller_last_batch_takes_a_full_batchs_penalty(digits, rng):
    """scikit-learn's alpha / (2 n) with n the rows of the batch would
    penalize the last 5 rows of an epoch 40 times as much as a full batch."""
    X, y = digits[0][:250], digits[1][:250].astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = DBNRegressor(hidden_layer_sizes=(8,), pretrain_n_iter=1, max_iter=2,
                           random_state=0).fit(X, y)
    assert reg.batch_size_ == 200
    alpha = reg.alpha_
    Y = rng.standard_normal((5, 1))
    penalized = reg._loss_and_gradients(X[:5], Y, None)[2]
    reg.alpha_ = 0.0
    plain = reg._loss_and_gradients(X[:5], Y, None)[2]
    np.testing.assert_allclose(penalized.coefs[0] - plain.coefs[0], alpha / 200 * reg.coefs_[0],
                               rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("seed", [0, 1])
def test_regressor_alpha_auto_fits_noisy_data_better(seed):
    """On 225 noisy rows of a linear problem the rectifier regressor's 'auto'
    penalty (1.7 and 1.8, from the noise) generalizes 8 to 10 points better
    than scikit-learn's 0.0001."""
    X, y = make_regression(n_samples=300, n_features=20, n_informative=10, noise=50,
                           random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    auto, mlp_alpha = (DBNRegressor(alpha=alpha, random_state=0).fit(X_train, y_train)
                       .score(X_test, y_test) for alpha in ("auto", 0.0001))
    assert auto > mlp_alpha + 0.02


def test_regressor_standardizes_targets(rng):
    # raw targets of scale 1e3 around 5e3: R^2 was near 0 without scaling
    X, y = make_regression(n_samples=400, n_features=5, noise=1.0, random_state=3)
    y = 1000 * y + 5000
    X = (X - X.min(0)) / (X.max(0) - X.min(0))
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    reg = DBNRegressor(random_state=0).fit(X_train, y_train)
    assert reg.score(X_test, y_test) > 0.9
    assert abs(reg.predict(X_test).mean() - y_test.mean()) < 0.1 * y_test.std()
    np.testing.assert_allclose(reg.target_mean_, [y_train.mean()])


def test_linear_code_pretrained_stably_by_autoencoders(digits):
    # the linear code layer's autoencoder pre-training used to diverge (weights
    # ~1e111) and the net returned the mean image
    X = digits[0][:600]
    ae = DBNAutoencoder(hidden_layer_sizes=(64, 8), pretraining="autoencoder", max_iter=20,
                        random_state=0).fit(X)
    assert all(np.abs(W).max() < 100 for W in ae.coefs_)
    error = np.mean(np.sum((X - ae.inverse_transform(ae.transform(X))) ** 2, axis=1))
    mean_image_error = np.mean(np.sum((X - X.mean(0)) ** 2, axis=1))
    assert error < 0.5 * mean_image_error


def test_gaussian_visible_units_take_a_smaller_step(digits):
    X = digits[0][:300]
    X = (X - X.mean(0)) / (X.std(0) + 1e-8)
    dbn = DBN(hidden_layer_sizes=(8, 4), visible_unit="gaussian", n_iter=2,
              random_state=0).fit(X)
    assert dbn.estimators_[0].learning_rate == pytest.approx(0.001)
    assert dbn.estimators_[1].learning_rate == pytest.approx(0.1)


def _deep_models():
    """(estimator, setting its range warning names): each deep estimator under
    RBM and denoising pre-training, and the DBN."""
    binary = dict(visible_unit="bernoulli")  # 'auto' chooses real-valued units for these data
    for pretraining in ("rbm", "denoising"):
        common = dict(pretraining=pretraining, pretrain_n_iter=1, max_iter=2, random_state=0)
        yield (DBNClassifier(hidden_layer_sizes=(8, 4), **common, **binary),
               "visible_unit='gaussian'")
        yield (DBNRegressor(hidden_layer_sizes=(8, 4), **common, **binary),
               "visible_unit='gaussian'")
        yield (DBNAutoencoder(hidden_layer_sizes=(8, 2), loss="cross_entropy", **common),
               "loss='squared_error'")
    yield DBN(hidden_layer_sizes=(8, 4), n_iter=1, random_state=0, **binary), "visible_unit"


@pytest.mark.parametrize("model, setting", list(_deep_models()))
def test_range_warning_names_the_parameter_of_the_estimator_called(digits, model, setting):
    """Data outside [0, 1] warn once per call, naming the estimator called and
    its parameter, never a layer learner it built (the layers' fit and their
    transform between layers included)."""
    X, y = digits
    model = clone(model)
    for method in ("fit", "transform" if hasattr(model, "transform") else "predict"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if method == "fit":
                model.fit(16 * X[:200], y[:200])
            else:
                getattr(model, method)(16 * X[:20])
        messages = [str(w.message) for w in caught if issubclass(w.category, InputRangeWarning)]
        assert len(messages) <= 1, messages
        assert all(m.startswith(type(model).__name__ + " ") and setting in m for m in messages)
        if method == "fit":
            assert len(messages) == 1


@pytest.mark.parametrize("model, parameter", [
    (DBN(hidden_layer_sizes=(8,), visible_unit="bernoulli", random_state=0), "learning_rate"),
    (DBNClassifier(hidden_layer_sizes=(8,), pretraining="rbm", visible_unit="bernoulli",
                   random_state=0), "pretrain_learning_rate"),
    (DBNAutoencoder(hidden_layer_sizes=(8, 2), pretraining="rbm", loss="cross_entropy",
                    random_state=0), "pretrain_learning_rate"),
], ids=["DBN", "DBNClassifier", "DBNAutoencoder"])
def test_pre_training_divergence_names_the_estimator_called(digits, model, parameter):
    """A layer that diverges (binary units fed values up to 1000) stops the fit
    in the name of the estimator called, naming its own step-size parameter,
    not the layer learner's."""
    X, y = 1000 * digits[0][:200], digits[1][:200]
    with (warnings.catch_warnings(), np.errstate(all="ignore"),
          pytest.raises(DivergenceError) as caught):
        warnings.simplefilter("ignore", InputRangeWarning)
        clone(model).fit(X, y)
    message = str(caught.value)
    assert message.startswith(f"{type(model).__name__}: pre-training layer 1 ")
    assert f"Lower {parameter} (now 0.1 in this layer)" in message


def test_activation_auto_follows_pretraining(digits):
    X, y = digits[0][:200], digits[1][:200]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        rbm = DBNClassifier(hidden_layer_sizes=(8,), pretraining="rbm", pretrain_n_iter=1,
                            max_iter=1).fit(X, y)
        none = DBNClassifier(hidden_layer_sizes=(8,), pretraining=None, max_iter=1).fit(X, y)
    assert rbm.activations_ == ["logistic", "softmax"]
    assert none.activations_ == ["relu", "softmax"]


def test_pretraining_auto_takes_rbms_for_binary_inputs(digits):
    """'auto' pre-trains RBMs (logistic units) on binary rows, dense or
    sparse, and denoising autoencoders (rectifiers) on real values, on
    binary rows with real-valued unlabeled ones, and above transferred
    layers. On one-hot binned features RBMs gain over denoising
    autoencoders (measured 0.720 against 0.672 and 0.755 against 0.741)."""
    X, y = digits[0][:200], digits[1][:200]
    binary = (X > 0.5).astype(float)
    settings = dict(hidden_layer_sizes=(8,), pretrain_n_iter=1, max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for data, labels, expected in [
                (binary, y, "rbm"), (sp.csr_matrix(binary), y, "rbm"), (X, y, "denoising"),
                (np.vstack([binary, X[:10]]), np.r_[y, [-1] * 10], "denoising")]:
            model = DBNClassifier(**settings).fit(data, labels)
            assert model.pretraining_ == expected
            assert model.activations_[0] == ("logistic" if expected == "rbm" else "relu")
        assert DBNRegressor(**settings).fit(binary, y.astype(float)).pretraining_ == "rbm"
        source = DBNClassifier(**settings).fit(binary, y)
        transferred = DBNClassifier(**{**settings, "hidden_layer_sizes": (8, 8)},
                                    init_layers=source).fit(binary, y)
        assert transferred.pretraining_ == "denoising"

    gains = []
    for seed in (0, 1):
        X, y = make_classification(n_samples=1500, n_features=20, n_informative=10,
                                   n_classes=3, random_state=seed)
        X = KBinsDiscretizer(n_bins=10, encode="onehot",
                             quantile_method="averaged_inverted_cdf").fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        rbm, denoising = (DBNClassifier(pretraining=p, random_state=0).fit(X_train, y_train)
                          for p in ("auto", "denoising"))
        gains.append(rbm.score(X_test, y_test) - denoising.score(X_test, y_test))
    assert np.mean(gains) > 0.015


def test_too_few_updates_warn(digits):
    X = digits[0][:40]
    with pytest.warns(ConvergenceWarning, match="too few"):
        DBN(hidden_layer_sizes=(4,), n_iter=1, batch_size=20, random_state=0).fit(X)


def test_dbn_features_at_defaults_beat_scikit_learns_rbm(digits):
    """DBN() features + logistic regression on the digits: above scikit-learn's
    BernoulliRBM() features, where the former two-layer default was below."""
    X_train, X_test, y_train, y_test = train_test_split(*digits, train_size=1200,
                                                        random_state=0)

    def accuracy(features):
        model = make_pipeline(features, LogisticRegression(max_iter=1000))
        return model.fit(X_train, y_train).score(X_test, y_test)

    ours = accuracy(DBN(random_state=0))
    assert ours > accuracy(BernoulliRBM(random_state=0)) + 0.01
    assert ours > accuracy(DBN(hidden_layer_sizes=(256, 256), random_state=0)) + 0.02


def test_dbn_visible_unit_auto_follows_the_training_data(digits):
    """DBN's 'auto' fits binary input units to data in [0, 1] and to sparse
    data, Gaussian units to other real values, without a range warning."""
    X = digits[0][:100]
    model = DBN(hidden_layer_sizes=(8,), n_iter=1, random_state=0)
    expected = {"bernoulli": "BernoulliRBM", "gaussian": "GaussianBernoulliRBM"}
    for data, unit in [(X, "bernoulli"), (16 * X, "gaussian"), (X - 0.5, "gaussian"),
                       (sp.csr_matrix(16 * X), "bernoulli")]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fitted = clone(model).fit(data)
        assert fitted.visible_unit_ == unit
        assert type(fitted.estimators_[0]).__name__ == expected[unit]
        ranged = [w for w in caught if issubclass(w.category, InputRangeWarning)]
        assert len(ranged) == (unit == "bernoulli" and sp.issparse(data))


def test_dbn_auto_takes_gaussian_units_for_a_table_scaled_to_the_unit_interval(digits):
    """On min-max scaled wine (values crowding the middle of [0, 1]) 'auto'
    takes standardized Gaussian units, whose features beat binary units' by
    far (measured 0.91 against 0.69); binarized digits keep binary units, and
    sparse rows given to the Gaussian model are made dense."""
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    scaler = MinMaxScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), np.clip(scaler.transform(X_test), 0, 1)

    def accuracy(dbn):
        model = make_pipeline(dbn, LogisticRegression(max_iter=1000))
        return model.fit(X_train, y_train).score(X_test, y_test)

    auto = DBN(random_state=0).fit(X_train)
    assert auto.visible_unit_ == "gaussian" and auto.input_mean_ is not None
    assert accuracy(DBN(random_state=0)) > accuracy(DBN(visible_unit="bernoulli",
                                                        random_state=0)) + 0.15
    np.testing.assert_allclose(auto.transform(sp.csr_matrix(X_test)), auto.transform(X_test))
    binarized = (digits[0][:300] > 0.5).astype(float)
    assert DBN(n_iter=1, random_state=0).fit(binarized).visible_unit_ == "bernoulli"


NETWORKS = [DBNClassifier(hidden_layer_sizes=(8,), pretrain_n_iter=2, max_iter=3, random_state=0),
            DBNRegressor(hidden_layer_sizes=(8,), pretrain_n_iter=2, max_iter=3, random_state=0)]


@pytest.mark.parametrize("model", NETWORKS, ids=["DBNClassifier", "DBNRegressor"])
def test_auto_input_scaling_fits_as_min_max_scaled_data(digits, model):
    """visible_unit='auto' fits dense data outside [0, 1] as its min-max scaled
    copy, with binary input units and no range warning, the scaling folded
    into the first layer: predictions on raw rows equal those of the model
    fitted on scaled rows."""
    X, y = 16 * digits[0][:200] - 3, digits[1][:200]
    X[:, 5] = 7.0  # a constant column
    low, span = X.min(axis=0), np.ptp(X, axis=0)
    span[span == 0] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputRangeWarning)
        raw = clone(model).fit(X, y)
    on_scaled = clone(model).fit((X - low) / span, y)
    assert raw.visible_unit_ == "bernoulli" and on_scaled.input_min_ is None
    np.testing.assert_allclose(raw.input_min_, low)
    np.testing.assert_allclose(raw.input_scale_, span)
    X_new = X[:50] + 0.5  # rows beyond the training range too
    predict = "predict_proba" if hasattr(model, "predict_proba") else "predict"
    np.testing.assert_allclose(getattr(raw, predict)(X_new),
                               getattr(on_scaled, predict)((X_new - low) / span),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("model", NETWORKS, ids=["DBNClassifier", "DBNRegressor"])
def test_auto_input_scaling_survives_partial_fit(digits, model):
    """Later partial_fit calls train in the first call's units: one call per
    epoch equals the fit of as many epochs."""
    X, y = 16 * digits[0][:200] - 3, digits[1][:200]
    model = clone(model).set_params(shuffle=False)
    fitted = clone(model).fit(X, y)
    stepped = clone(model)
    stepped.partial_fit(X, y, **({"classes": np.unique(y)} if is_classifier(model) else {}))
    for _ in range(2):
        stepped.partial_fit(X, y)
    for a, b in zip(fitted.coefs_, stepped.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("case", ["in [0, 1]", "sparse", "bernoulli", "gaussian"])
def test_no_input_scaling_where_auto_is_not_asked_or_not_needed(digits, case):
    X, y = digits[0][:100], digits[1][:100]
    params = {"visible_unit": case} if case in ("bernoulli", "gaussian") else {}
    data = {"in [0, 1]": X, "sparse": sp.csr_matrix(16 * X)}.get(case, 16 * X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputRangeWarning)
        model = clone(NETWORKS[0]).set_params(**params).fit(data, y)
    assert model.input_min_ is None and model.input_scale_ is None
    assert model.visible_unit_ == params.get("visible_unit", "bernoulli")


def test_auto_input_scaling_counts_the_unlabeled_rows(digits):
    """Unlabeled rows (y = -1) are pre-trained on, so their range counts."""
    X, y = digits[0][:100], digits[1][:100].copy()
    y[50:] = -1
    X_out = np.vstack([X[:50], X[50:] - 0.5])
    model = clone(NETWORKS[0])
    assert model.fit(X, y).input_min_ is None
    np.testing.assert_allclose(model.fit(X_out, y).input_min_, X_out.min(axis=0))


@pytest.mark.parametrize("model", [
    DBN(hidden_layer_sizes=(8,), n_iter=1, random_state=0),
    DBNClassifier(hidden_layer_sizes=(8,), pretrain_n_iter=1, max_iter=1, random_state=0),
    skdeep.BernoulliRBM(n_components=8, n_iter=1, random_state=0),
], ids=["DBN", "DBNClassifier", "BernoulliRBM"])
def test_sparse_counts_warning_advises_a_sparse_scaler(digits, model):
    """Sparse data outside [0, 1] are advised a scaler that keeps them sparse,
    never Gaussian units, which take no sparse matrix."""
    X, y = sp.csr_matrix(16 * digits[0][:100]), digits[1][:100]
    with pytest.warns(InputRangeWarning) as caught:
        clone(model).fit(X, y)
    message = str(caught[0].message)
    assert "MaxAbsScaler" in message and "aussian" not in message


def test_dbn_fitted_with_auto_binary_units_warns_for_data_outside_them(digits):
    X = digits[0][:100]
    dbn = DBN(hidden_layer_sizes=(8,), n_iter=1, random_state=0).fit(X)
    with pytest.warns(InputRangeWarning, match=r"DBN with visible_unit='auto' \(binary"):
        dbn.transform(16 * X)


def test_deep_autoencoder_loss_auto_follows_the_training_data(digits):
    """loss='auto' reconstructs data in [0, 1] by cross-entropy and other real
    values by squared error, which on standardized digits beats PCA at the
    same code where cross-entropy, the former default, is far above it."""
    X_train, X_test = train_test_split(digits[0], train_size=600, random_state=0)
    small = dict(hidden_layer_sizes=(64, 6), max_iter=30, random_state=0)
    assert DBNAutoencoder(**small).fit(X_train[:100]).reconstruction_loss_ == "cross_entropy"
    scaler = StandardScaler().fit(X_train)
    Z_train, Z_test = scaler.transform(X_train), scaler.transform(X_test)
    pca = PCA(6).fit(Z_train)

    def error(reconstruct):
        return np.mean(np.sum((Z_test - reconstruct(Z_test)) ** 2, axis=1))

    with warnings.catch_warnings():
        warnings.simplefilter("error", InputRangeWarning)
        auto = DBNAutoencoder(**small).fit(Z_train)
    assert auto.reconstruction_loss_ == "squared_error"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputRangeWarning)
        cross = DBNAutoencoder(loss="cross_entropy", **small).fit(Z_train)
        cross_error = error(lambda Z: cross.inverse_transform(cross.transform(Z)))
    ours = error(lambda Z: auto.inverse_transform(auto.transform(Z)))
    assert ours < error(lambda Z: pca.inverse_transform(pca.transform(Z)))
    assert ours < 0.7 * cross_error


def test_deep_autoencoder_squared_error_fits_alike_in_any_units(digits):
    """With squared error, DBNAutoencoder fits X centred and divided by one
    scale, folded into its first and last layers: 1000 X + 5 gives the same
    code and the same reconstructions in its units; the former fit on such
    values as given ended at the mean image or diverged."""
    X = digits[0][:300].copy()
    X[:, 5] = 0.25  # a constant column
    small = dict(hidden_layer_sizes=(32, 16, 4), loss="squared_error", max_iter=20,
                 random_state=0)
    unit, big = (DBNAutoencoder(**small).fit(Z) for Z in (X, 1000 * X + 5))
    np.testing.assert_allclose(unit.input_mean_, X.mean(axis=0))
    deviations = np.delete(X.std(axis=0), 5)
    np.testing.assert_allclose(unit.input_scale_, np.sqrt(np.sum(deviations ** 2) / 64))
    np.testing.assert_allclose(big.transform(1000 * X + 5), unit.transform(X), atol=1e-9)
    np.testing.assert_allclose(big.inverse_transform(big.transform(1000 * X + 5)),
                               1000 * unit.inverse_transform(unit.transform(X)) + 5,
                               rtol=1e-9, atol=1e-6)
    mean_image = np.mean(np.sum((X - X.mean(axis=0)) ** 2, axis=1))
    assert -unit.score(X) < 0.6 * mean_image
    assert DBNAutoencoder(**{**small, "loss": "cross_entropy"}).fit(X).input_mean_ is None


def test_deep_autoencoder_stops_early_from_100_rows():
    """On 400 rows of a low-rank Gaussian matrix the network overfits what
    PCA's code does not: 'auto' holds out a tenth of the rows and keeps the
    best epoch, a held-out error of 1.68 against 2.22 without (PCA 1.60);
    below 100 rows it trains on them all."""
    from sklearn.datasets import make_low_rank_matrix

    X = make_low_rank_matrix(600, 100, effective_rank=10, random_state=0)
    X = (X - X.min(0)) / (X.max(0) - X.min(0))
    X_train, X_test = X[:400], X[400:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        auto, full = (DBNAutoencoder((256, 128, 10), early_stopping=stop, random_state=0)
                      .fit(X_train) for stop in ("auto", False))
        small = DBNAutoencoder((8, 2), pretrain_n_iter=1, max_iter=2).fit(X_train[:99])
    assert auto.validation_scores_ is not None and full.validation_scores_ is None
    assert small.validation_scores_ is None
    assert -auto.score(X_test) < 0.85 * -full.score(X_test)


def test_deep_autoencoder_scaling_survives_partial_fit(digits):
    """Later partial_fit calls train in the first call's units."""
    X = 16 * digits[0][:200] - 3
    # every row in both: partial_fit holds out no validation split
    model = DBNAutoencoder(hidden_layer_sizes=(16, 4), max_iter=3, shuffle=False,
                           early_stopping=False, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = clone(model).fit(X)
        stepped = clone(model)
        for _ in range(3):
            stepped.partial_fit(X)
    assert fitted.reconstruction_loss_ == "squared_error"
    for a, b in zip(fitted.coefs_, stepped.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)


def test_deep_autoencoder_rbm_squared_error_learns_unit_interval_data(digits):
    """Gaussian input units model unit variance: on pixels in [0, 1] (0.27 on
    average) as given, RBM pre-training with squared error learned weights
    of 0.002 and the fit ended at the mean image."""
    X_train, X_test = train_test_split(digits[0], train_size=600, random_state=0)
    ae = DBNAutoencoder(hidden_layer_sizes=(32, 16, 6), pretraining="rbm",
                        loss="squared_error", max_iter=30, random_state=0).fit(X_train)
    mean_image = np.mean(np.sum((X_test - X_train.mean(axis=0)) ** 2, axis=1))
    assert -ae.score(X_test) < 0.6 * mean_image


def test_deep_autoencoder_fitted_with_auto_cross_entropy_warns_outside_it(digits):
    X = digits[0][:100]
    ae = DBNAutoencoder(hidden_layer_sizes=(8, 2), pretrain_n_iter=1, max_iter=2,
                        random_state=0).fit(X)
    with pytest.warns(InputRangeWarning, match=r"DBNAutoencoder with loss='auto' \(cross"):
        ae.transform(16 * X)


def test_classifier_at_defaults_learns_raw_pixels(digits):
    """On the digits' raw pixels (0 to 16) DBNClassifier() learns, where binary
    input units on the raw values, the former default, gave 0.41."""
    X_train, X_test, y_train, y_test = train_test_split(16 * digits[0], digits[1],
                                                        train_size=1200, random_state=0)
    classifier = DBNClassifier(random_state=0).fit(X_train, y_train)
    assert classifier.score(X_test, y_test) > 0.95


def test_dbn_auto_standardizes_real_valued_data():
    """DBN() fits real-valued data standardized (Gaussian units of unit
    variance): its features on raw rows equal those of the DBN fitted on
    standardized rows, its samples are in the data's units, and its layers
    transferred to a network take raw rows. On raw breast-cancer features (0.001
    to 4,000) they beat those of Gaussian units on the raw values by far."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    raw = DBN(random_state=0).fit(X_train)
    on_standardized = DBN(visible_unit="gaussian", random_state=0).fit(
        scaler.transform(X_train))
    np.testing.assert_allclose(raw.input_mean_, scaler.mean_)
    np.testing.assert_allclose(raw.input_scale_, scaler.scale_)
    np.testing.assert_allclose(raw.transform(X_test),
                               on_standardized.transform(scaler.transform(X_test)),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(raw.sample(3, n_steps=5, random_state=0),
                               scaler.inverse_transform(
                                   on_standardized.sample(3, n_steps=5, random_state=0)),
                               rtol=1e-6, atol=1e-9)
    W, b, act = raw._encoder_layers()[0]
    top = forward(X_test, [W], [b], [act]).output
    np.testing.assert_allclose(top, raw.transform(X_test), rtol=1e-6, atol=1e-9)

    def accuracy(dbn):
        model = make_pipeline(dbn, LogisticRegression(max_iter=1000))
        return model.fit(X_train, y_train).score(X_test, y_test)

    assert accuracy(DBN(random_state=0)) > accuracy(
        DBN(visible_unit="gaussian", random_state=0)) + 0.1


def test_deep_autoencoder_default_layers_suit_small_data(digits):
    """DBNAutoencoder() on 600 digits: held-out error within 2x PCA(30)'s at
    the same code (1.5x), where the paper's 1000-500-250-30 layers, the
    former default, gave 2.9x in fifteen times the time."""
    X_train, X_test = train_test_split(digits[0], train_size=600, random_state=0)
    model = DBNAutoencoder(random_state=0).fit(X_train)
    pca = PCA(model.transform(X_test[:1]).shape[1]).fit(X_train)  # the same code size, 30

    def error(reconstruct):
        return np.mean(np.sum((X_test - reconstruct(X_test)) ** 2, axis=1))

    ours = error(lambda X: model.inverse_transform(model.transform(X)))
    assert ours < 2 * error(lambda X: pca.inverse_transform(pca.transform(X)))
