import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB

from skdeep import GaussianMixtureClassifier


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
        [np.log(p) + _mixture_log_density(gm, X) for p, gm in zip(gmc.class_prior_, gmc.estimators_)]
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
