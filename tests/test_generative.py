import pickle
import re

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.naive_bayes import GaussianNB

from skdeep import GaussianMixtureClassifier, SemiSupervisedNB


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_one_diagonal_component_is_gaussian_naive_bayes(digits):
    X, y = digits
    reg_covar = 1e-2
    # GaussianNB adds var_smoothing * (largest feature variance) to every variance;
    # GaussianMixture adds reg_covar: make the two additions equal.
    nb = GaussianNB(var_smoothing=reg_covar / X.var(axis=0).max()).fit(X, y)
    gmc = GaussianMixtureClassifier(covariance_type="diag", reg_covar=reg_covar).fit(X, y)
    np.testing.assert_allclose(gmc.class_prior_, nb.class_prior_)
    # Same closed-form estimates (EM with one component converges in one step); the
    # log-posteriors differ only by float rounding of sums over 64 features (~1e-12).
    np.testing.assert_allclose(gmc.predict_log_proba(X), nb.predict_log_proba(X), atol=1e-8)
    np.testing.assert_allclose(gmc.predict_proba(X), nb.predict_proba(X), atol=1e-10)
    np.testing.assert_array_equal(gmc.predict(X), nb.predict(X))


def _mixture_log_density(gm, X):
    """log p(x) of a fitted full-covariance GaussianMixture, from its parameters."""
    per_component = [
        np.log(w) + multivariate_normal(mean, cov).logpdf(X)
        for w, mean, cov in zip(gm.weights_, gm.means_, gm.covariances_)
    ]
    return logsumexp(per_component, axis=0)


def test_score_samples_and_posteriors_from_the_mixtures(iris):
    X, y = iris
    gmc = GaussianMixtureClassifier(n_components=2, random_state=0).fit(X, y)
    assert [gm.n_components for gm in gmc.estimators_] == [2, 2, 2]
    joint = np.column_stack(
        [np.log(p) + _mixture_log_density(gm, X)
         for p, gm in zip(gmc.class_prior_, gmc.estimators_)]
    )
    # scipy's logpdf vs scikit-learn's Cholesky route: agree to float rounding
    np.testing.assert_allclose(gmc.score_samples(X), logsumexp(joint, axis=1), rtol=1e-9)
    np.testing.assert_allclose(
        gmc.predict_log_proba(X), joint - logsumexp(joint, axis=1, keepdims=True), atol=1e-9
    )
    np.testing.assert_allclose(gmc.predict_proba(X).sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(gmc.class_prior_, [1 / 3] * 3)


def test_priors_are_used(iris):
    X, y = iris
    priors = [0.2, 0.3, 0.5]
    learned = GaussianMixtureClassifier(random_state=0).fit(X, y)
    given = GaussianMixtureClassifier(priors=priors, random_state=0).fit(X, y)
    np.testing.assert_array_equal(given.class_prior_, priors)
    # Same class densities; the log posterior moves by log(prior ratio), renormalized.
    shifted = learned.predict_log_proba(X) + np.log(np.array(priors) * 3)
    expected = shifted - logsumexp(shifted, axis=1, keepdims=True)
    np.testing.assert_allclose(given.predict_log_proba(X), expected, atol=1e-9)
    only_first = GaussianMixtureClassifier(priors=[1.0, 0.0, 0.0]).fit(X, y)
    assert (only_first.predict(X) == 0).all()
    assert np.isfinite(only_first.score_samples(X)).all()


def test_string_labels(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    gmc = GaussianMixtureClassifier(covariance_type="diag").fit(X, names)
    assert list(gmc.classes_) == ["setosa", "versicolor", "virginica"]
    assert gmc.predict(X[:1])[0] == "setosa"
    assert gmc.score(X, names) > 0.9


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(priors=[0.5, 0.5]), "Number of priors"),
        (dict(priors=[1.2, -0.1, -0.1]), "non-negative"),
        (dict(priors=[0.3, 0.3, 0.3]), "sum to 1"),
        (dict(n_components=60), "fewer than n_components=60"),
    ],
)
def test_bad_parameters_raise(iris, params, message):
    X, y = iris
    with pytest.raises(ValueError, match=message):
        GaussianMixtureClassifier(**params).fit(X, y)


# ------------------------------------------------------------ semi-supervised EM
def hide_labels(rng, y, per_class):
    """``y`` with all but ``per_class`` rows of each class marked unlabeled (-1)."""
    y_partial = np.full_like(y, -1)
    for k in np.unique(y):
        y_partial[rng.choice(np.flatnonzero(y == k), per_class, replace=False)] = k
    return y_partial


def three_blobs(rng, n):
    """Three unit-variance Gaussian classes in 2-D, centers 4 apart."""
    centers = np.array([[0.0, 0.0], [4.0, 0.0], [2.0, 3.5]])
    y = rng.integers(0, 3, n)
    return centers[y] + rng.normal(size=(n, 2)), y


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    X, y = three_blobs(rng, 300)
    return X, y, hide_labels(rng, y, 2)


def observed_log_likelihood(clf, X, y_partial, unlabeled_weight=1.0):
    """The objective of semi-supervised EM, from the fitted GaussianMixture objects."""
    labeled = y_partial != -1
    k = np.searchsorted(clf.classes_, y_partial[labeled])
    per_class = np.column_stack([gm.score_samples(X) for gm in clf.estimators_])
    joint = np.log(clf.class_prior_) + per_class
    return (joint[labeled][np.arange(labeled.sum()), k].sum()
            + unlabeled_weight * logsumexp(joint[~labeled], axis=1).sum())


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_em_raises_the_observed_log_likelihood(covariance_type):
    rng = np.random.default_rng(1)
    X, y = three_blobs(rng, 200)
    y_partial = hide_labels(rng, y, 10)  # enough rows for two components without reg_covar
    # reg_covar=0: each M-step is then the exact maximiser, so EM cannot lower the
    # objective (reg_covar > 0 adds to the variances after the maximisation).
    clf = GaussianMixtureClassifier(n_components=2, covariance_type=covariance_type,
                                    reg_covar=0.0, tol=1e-5, max_iter=500, random_state=0)
    clf.fit(X, y_partial)
    curve = clf.log_likelihood_curve_
    assert clf.em_n_iter_ >= 3 and len(curve) == clf.em_n_iter_ + 1
    # rounding of sums over 200 rows: 1e-9 relative
    assert np.all(np.diff(curve) >= -1e-9 * np.abs(curve[1:]))
    assert curve[-1] > curve[0]
    # the last entry is the objective of the fitted model, computed here through
    # GaussianMixture.score_samples rather than the EM code
    np.testing.assert_allclose(curve[-1], observed_log_likelihood(clf, X, y_partial), rtol=1e-10)


def test_one_em_iteration_by_hand(blobs):
    """With one diagonal component per class the start is closed form; one EM
    iteration is then the weighted mean/variance of labeled rows plus unlabeled
    rows weighted by lambda * p(k | x)."""
    X, _, y_partial = blobs
    lam, reg = 0.5, 1e-3
    labeled = y_partial != -1
    start = GaussianMixtureClassifier(covariance_type="diag", reg_covar=reg).fit(
        X[labeled], y_partial[labeled])
    resp = start.predict_proba(X[~labeled])
    with pytest.warns(ConvergenceWarning):  # one iteration cannot meet tol
        clf = GaussianMixtureClassifier(covariance_type="diag", reg_covar=reg, max_iter=1,
                                        unlabeled_weight=lam).fit(X, y_partial)
    masses = []
    for k, gm in enumerate(clf.estimators_):
        w = np.concatenate([np.ones((y_partial == k).sum()), lam * resp[:, k]])
        Xk = np.vstack([X[y_partial == k], X[~labeled]])
        mean = np.average(Xk, axis=0, weights=w)
        var = np.average((Xk - mean) ** 2, axis=0, weights=w) + reg
        np.testing.assert_allclose(gm.means_[0], mean, rtol=1e-12)
        np.testing.assert_allclose(gm.covariances_[0], var, rtol=1e-12)
        masses.append(w.sum())
    np.testing.assert_allclose(clf.class_prior_, np.array(masses) / sum(masses), rtol=1e-12)


def test_unlabeled_rows_improve_accuracy():
    """Three Gaussian classes, 2 labels each and 294 unlabeled rows. The 6 labeled
    rows alone give noisy means and variances; EM with the unlabeled rows finds the
    clusters. Over seeds 0-29 the mean test accuracy goes from 0.82 to 0.95 (EM
    better on 28 of 30); seed 0: 0.66 -> 0.95."""
    rng = np.random.default_rng(0)
    X, y = three_blobs(rng, 300)
    X_test, y_test = three_blobs(rng, 1000)
    y_partial = hide_labels(rng, y, 2)
    labeled = y_partial != -1
    clf = GaussianMixtureClassifier(covariance_type="spherical")
    only_labeled = clf.fit(X[labeled], y[labeled]).score(X_test, y_test)
    semi = clf.fit(X, y_partial).score(X_test, y_test)
    assert semi > only_labeled + 0.2
    assert semi > 0.93  # the Bayes rate of these classes is about 0.96


def test_unlabeled_weight_zero_is_the_labeled_fit(blobs):
    X, _, y_partial = blobs
    labeled = y_partial != -1
    params = dict(n_components=2, covariance_type="diag", random_state=3)
    ignored = GaussianMixtureClassifier(unlabeled_weight=0.0, **params).fit(X, y_partial)
    alone = GaussianMixtureClassifier(**params).fit(X[labeled], y_partial[labeled])
    np.testing.assert_array_equal(ignored.predict_log_proba(X), alone.predict_log_proba(X))
    assert ignored.em_n_iter_ == 0 and len(ignored.log_likelihood_curve_) == 1


def test_unlabeled_weight_is_a_sample_weight_on_unlabeled_rows(blobs):
    X, _, y_partial = blobs
    params = dict(covariance_type="diag", tol=1e-8, random_state=0)
    lam = 0.3
    a = GaussianMixtureClassifier(unlabeled_weight=lam, **params).fit(X, y_partial)
    b = GaussianMixtureClassifier(**params).fit(
        X, y_partial, sample_weight=np.where(y_partial == -1, lam, 1.0))
    # the same EM; b's start goes through the weighted code rather than
    # GaussianMixture.fit, which differ by rounding only
    np.testing.assert_allclose(a.predict_log_proba(X), b.predict_log_proba(X), atol=1e-8)
    assert a.em_n_iter_ == b.em_n_iter_


# ------------------------------------------------------------ sample weights
def test_one_component_weighted_fit_is_the_weighted_moments(iris):
    X, y = iris
    w = np.random.default_rng(0).uniform(0.1, 3.0, size=len(y))
    clf = GaussianMixtureClassifier(reg_covar=1e-6).fit(X, y, sample_weight=w)
    for k, gm in enumerate(clf.estimators_):
        mean = np.average(X[y == k], axis=0, weights=w[y == k])
        cov = np.cov(X[y == k].T, aweights=w[y == k], bias=True) + 1e-6 * np.eye(4)
        np.testing.assert_allclose(gm.means_[0], mean, rtol=1e-12)
        np.testing.assert_allclose(gm.covariances_[0], cov, rtol=1e-10, atol=1e-14)
    masses = np.bincount(y, weights=w)
    np.testing.assert_allclose(clf.class_prior_, masses / masses.sum(), rtol=1e-12)


def four_clusters(rng):
    """Two classes, each two clusters 10 apart: k-means finds the same two
    clusters whatever its seed, so the initialisation is deterministic."""
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    cluster = np.repeat(np.arange(4), 25)
    return centers[cluster] + rng.normal(size=(100, 2)), cluster // 2


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_integer_weights_are_repeated_rows(covariance_type):
    rng = np.random.default_rng(0)
    X, y = four_clusters(rng)
    w = rng.integers(0, 4, size=len(y))
    y_partial = np.where(rng.random(len(y)) < 0.7, -1, y)  # EM on the unlabeled rows too
    params = dict(n_components=2, covariance_type=covariance_type, tol=1e-10, random_state=0)
    weighted = GaussianMixtureClassifier(**params).fit(X, y_partial, sample_weight=w)
    repeated = GaussianMixtureClassifier(**params).fit(np.repeat(X, w, axis=0),
                                                       np.repeat(y_partial, w))
    # same initial clusters and the same EM; weighted sums and GaussianMixture's
    # sums over repeated rows differ by rounding (1e-12), amplified a little by EM
    np.testing.assert_allclose(weighted.predict_log_proba(X), repeated.predict_log_proba(X),
                               atol=1e-7)
    np.testing.assert_allclose(weighted.score_samples(X), repeated.score_samples(X), rtol=1e-9)


# ------------------------------------------------------------ clear errors
@pytest.mark.parametrize("y_first, shown", [(0, "class 0:"), ("a", "class 'a':")])
def test_one_sample_class_raises_naming_it(iris, y_first, shown):
    X, y = iris
    y = (np.array(["setosa", "versicolor", "virginica"])[y] if isinstance(y_first, str)
         else y.copy())
    X, y = X[49:], y[49:]
    y[0] = y_first
    with pytest.raises(ValueError, match=re.escape(f"{shown} 1 sample(s) labeled")) as error:
        GaussianMixtureClassifier().fit(X, y)
    assert "np." not in str(error.value)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_huge_values_raise_scale_the_data(iris, covariance_type):
    X, y = iris
    X = X.copy()
    X[0, 0] = np.finfo(np.float64).max
    with pytest.raises(ValueError, match="scale the data"):
        GaussianMixtureClassifier(covariance_type=covariance_type).fit(X, y)


def test_float32_is_kept(blobs):
    X, _, y_partial = blobs
    clf = GaussianMixtureClassifier(covariance_type="diag").fit(X.astype(np.float32), y_partial)
    assert all(gm.means_.dtype == np.float32 for gm in clf.estimators_)
    assert clf.em_n_iter_ > 0


# ------------------------------------------------------------ the -1 convention, both classifiers
SEMI_SUPERVISED = [
    GaussianMixtureClassifier(covariance_type="spherical", reg_covar=1e-2),
    SemiSupervisedNB(),
]


def poisson_counts(rng, n):
    """Three classes of 5 Poisson counts each, with class-dependent rates: data
    both a Gaussian mixture and multinomial naive Bayes can fit."""
    rates = np.array([[8, 1, 1, 1, 1], [1, 1, 8, 1, 1], [1, 1, 1, 1, 8]])
    y = rng.integers(0, 3, n)
    return rng.poisson(rates[y]).astype(float), y


@pytest.mark.parametrize("estimator", SEMI_SUPERVISED, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize(
    "y, marker",
    [
        (np.array([0, 1, 2] * 10), -1),
        (np.array(["a", "b", "c"] * 10, dtype="<U2"), "-1"),
        (np.array(["a", "b", "c"] * 10, dtype=object), -1),
        (np.array(["a", "b", "c"] * 10, dtype=object), "-1"),
    ],
)
def test_marker_is_never_a_class(estimator, y, marker):
    X, _ = poisson_counts(np.random.default_rng(0), 30)
    y = y.copy()
    y[9:] = marker
    clf = clone(estimator).fit(X, y)
    assert sorted(clf.classes_) == sorted(set(y[:9]))
    assert set(clf.predict(X)) <= set(y[:9])
    assert clf.predict_proba(X).shape == (30, 3)


@pytest.mark.parametrize("estimator", SEMI_SUPERVISED, ids=lambda e: type(e).__name__)
def test_every_row_unlabeled_raises(estimator):
    X, _ = poisson_counts(np.random.default_rng(0), 30)
    with pytest.raises(ValueError, match="at least one labeled row"):
        clone(estimator).fit(X, np.full(len(X), -1))


@pytest.mark.parametrize("estimator", SEMI_SUPERVISED, ids=lambda e: type(e).__name__)
def test_model_selection_on_partly_labeled_data(estimator):
    rng = np.random.default_rng(0)
    X, y = poisson_counts(rng, 240)
    y_partial = hide_labels(rng, y, 10)
    cv = KFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(estimator, X, y_partial, cv=cv)
    # each fold scores the labeled rows of its test part only
    for score, (train, test) in zip(scores, cv.split(X)):
        fitted = clone(estimator).fit(X[train], y_partial[train])
        keep = y_partial[test] != -1
        assert score == np.mean(fitted.predict(X[test][keep]) == y_partial[test][keep])
    search = GridSearchCV(estimator, {"unlabeled_weight": [0.0, 1.0]}, cv=cv).fit(X, y_partial)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"][1], scores.mean())
    restored = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_array_equal(restored.predict_proba(X),
                                  search.best_estimator_.predict_proba(X))
