import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.naive_bayes import BernoulliNB, MultinomialNB
from test_generative import hide_labels

from skdeep import SemiSupervisedNB

REFERENCE = {"multinomial": MultinomialNB, "bernoulli": BernoulliNB}


@pytest.fixture(scope="module")
def counts():
    """Digits as pixel counts 0-16, 500 rows."""
    X, y = load_digits(return_X_y=True)
    return X[:500], y[:500]


def documents(rng, n, topics, length=20):
    """Bag-of-words rows: a class, then ``length`` words drawn from its topic."""
    y = rng.integers(0, len(topics), n)
    return np.vstack([rng.multinomial(length, topics[k]) for k in y]), y


def three_topics(rng, n_words=30, mix=0.3):
    """Three topics that share 70% of their mass with a common background."""
    background = rng.dirichlet(np.ones(n_words))
    return (1 - mix) * background + mix * rng.dirichlet(np.full(n_words, 0.3), size=3)


def make(event_model, **params):
    if event_model == "bernoulli":
        params.setdefault("binarize", 4.0)
    return SemiSupervisedNB(event_model, **params)


def reference(event_model, **params):
    if event_model == "bernoulli":
        params.setdefault("binarize", 4.0)
    return REFERENCE[event_model](**params)


@pytest.mark.parametrize("event_model", ["multinomial", "bernoulli"])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize(
    "params",
    [{}, {"alpha": 0.3}, {"fit_prior": False}, {"class_prior": [0.05] * 5 + [0.15] * 5}],
)
def test_all_labeled_is_scikit_learn(counts, event_model, sparse, params):
    X, y = counts
    w = np.random.default_rng(0).integers(0, 4, size=len(y)).astype(float)
    X_in = sp.csr_matrix(X) if sparse else X
    for sample_weight in [None, w]:
        ours = make(event_model, **params).fit(X_in, y, sample_weight=sample_weight)
        theirs = reference(event_model, **params).fit(X_in, y, sample_weight=sample_weight)
        # the same sums in a different order: float rounding of log-probabilities
        # summed over 64 features, ~1e-13
        np.testing.assert_allclose(ours.predict_log_proba(X_in), theirs.predict_log_proba(X_in),
                                   atol=1e-10)
        np.testing.assert_allclose(ours.predict_joint_log_proba(X_in),
                                   theirs.predict_joint_log_proba(X_in), rtol=1e-12)
        for name in ["class_count_", "feature_count_", "class_log_prior_", "feature_log_prob_"]:
            np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-12)
        np.testing.assert_array_equal(ours.predict(X_in), theirs.predict(X_in))
        assert ours.n_iter_ == 0 and ours.log_likelihood_curve_.shape == (1,)


@pytest.mark.parametrize("event_model", ["multinomial", "bernoulli"])
def test_unlabeled_weight_zero_is_the_labeled_fit(counts, event_model):
    X, y = counts
    y_partial = hide_labels(np.random.default_rng(0), y, 5)
    labeled = y_partial != -1
    ours = make(event_model, unlabeled_weight=0.0).fit(X, y_partial)
    theirs = reference(event_model).fit(X[labeled], y[labeled])
    np.testing.assert_allclose(ours.predict_log_proba(X), theirs.predict_log_proba(X), atol=1e-10)
    assert ours.n_iter_ == 0


def observed_log_posterior(clf, X, y_partial, unlabeled_weight):
    """The objective of EM, from the fitted attributes through scikit-learn's naive
    Bayes (its joint log-likelihood) and the Dirichlet/Beta log prior."""
    nb = reference(clf.event_model)
    nb.classes_, nb.n_features_in_ = clf.classes_, X.shape[1]
    nb.class_log_prior_, nb.feature_log_prob_ = clf.class_log_prior_, clf.feature_log_prob_
    jll = nb.predict_joint_log_proba(X)
    labeled = y_partial != -1
    k = np.searchsorted(clf.classes_, y_partial[labeled])
    log_theta = clf.feature_log_prob_
    log_prior = log_theta.sum()
    if clf.event_model == "bernoulli":
        log_prior += np.log1p(-np.exp(log_theta)).sum()
    return (jll[labeled][np.arange(labeled.sum()), k].sum()
            + unlabeled_weight * logsumexp(jll[~labeled], axis=1).sum()
            + clf.alpha * log_prior)


@pytest.mark.parametrize("event_model", ["multinomial", "bernoulli"])
@pytest.mark.parametrize("unlabeled_weight", [0.2, 1.0])
def test_em_raises_the_observed_log_posterior(counts, event_model, unlabeled_weight):
    X, y = counts
    y_partial = hide_labels(np.random.default_rng(0), y, 3)
    clf = make(event_model, unlabeled_weight=unlabeled_weight, tol=1e-6, max_iter=300)
    clf.fit(X, y_partial)
    curve = clf.log_likelihood_curve_
    assert clf.n_iter_ >= 3 and len(curve) == clf.n_iter_ + 1
    # each M-step is the exact MAP maximiser: the curve never falls (1e-10 relative
    # allows for rounding of sums over 500 rows)
    assert np.all(np.diff(curve) >= -1e-10 * np.abs(curve[1:]))
    assert curve[-1] > curve[0]
    np.testing.assert_allclose(
        curve[-1], observed_log_posterior(clf, X, y_partial, unlabeled_weight), rtol=1e-10)


@pytest.mark.parametrize("event_model", ["multinomial", "bernoulli"])
def test_one_em_iteration_by_hand(counts, event_model):
    """Nigam et al.'s M-step: counts of the labeled rows plus lambda * p(k | x) times
    the counts of the unlabeled rows, smoothed as scikit-learn smooths."""
    X, y = counts
    lam, alpha = 0.4, 0.7
    y_partial = hide_labels(np.random.default_rng(1), y, 4)
    labeled = y_partial != -1
    start = reference(event_model, alpha=alpha).fit(X[labeled], y[labeled])
    Xb = X > 4.0 if event_model == "bernoulli" else X
    Y = np.eye(10)[y[labeled]]
    R = lam * start.predict_proba(X[~labeled])
    class_count = Y.sum(axis=0) + R.sum(axis=0)
    feature_count = Y.T @ Xb[labeled] + R.T @ Xb[~labeled]
    if event_model == "multinomial":
        theta = (feature_count + alpha) / (feature_count + alpha).sum(axis=1, keepdims=True)
    else:
        theta = (feature_count + alpha) / (class_count[:, None] + 2 * alpha)
    # one iteration cannot meet tol
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        clf = make(event_model, alpha=alpha, unlabeled_weight=lam, max_iter=1).fit(X, y_partial)
    np.testing.assert_allclose(clf.class_count_, class_count, rtol=1e-12)
    np.testing.assert_allclose(clf.feature_count_, feature_count, rtol=1e-12)
    np.testing.assert_allclose(np.exp(clf.feature_log_prob_), theta, rtol=1e-12)
    np.testing.assert_allclose(np.exp(clf.class_log_prior_), class_count / class_count.sum(),
                               rtol=1e-12)


def test_unlabeled_rows_improve_accuracy():
    """Three topics sharing 70% of their word mass, 20-word documents, 2 labeled
    documents per topic and 294 unlabeled. Over seeds 0-29, the test accuracy goes
    from 0.59 (MultinomialNB on the 6 labeled rows) to 0.85 with EM, better on every
    seed; seed 0: 0.50 -> 0.89."""
    rng = np.random.default_rng(0)
    topics = three_topics(rng)
    X, y = documents(rng, 300, topics)
    X_test, y_test = documents(rng, 1000, topics)
    y_partial = hide_labels(rng, y, 2)
    labeled = y_partial != -1
    only_labeled = MultinomialNB().fit(X[labeled], y[labeled]).score(X_test, y_test)
    semi = SemiSupervisedNB().fit(X, y_partial).score(X_test, y_test)
    assert semi > only_labeled + 0.2


@pytest.mark.parametrize("event_model", ["multinomial", "bernoulli"])
def test_integer_weights_are_repeated_rows(counts, event_model):
    X, y = counts
    rng = np.random.default_rng(0)
    y_partial = hide_labels(rng, y, 5)
    w = rng.integers(0, 4, size=len(y))
    weighted = make(event_model, tol=1e-8).fit(sp.csr_matrix(X), y_partial, sample_weight=w)
    repeated = make(event_model, tol=1e-8).fit(np.repeat(X, w, axis=0), np.repeat(y_partial, w))
    assert weighted.n_iter_ == repeated.n_iter_
    # the same sums, grouped differently: rounding only
    np.testing.assert_allclose(weighted.feature_log_prob_, repeated.feature_log_prob_, rtol=1e-9)
    np.testing.assert_allclose(weighted.log_likelihood_curve_, repeated.log_likelihood_curve_,
                               rtol=1e-10)


def test_unlabeled_weight_is_a_sample_weight_on_unlabeled_rows(counts):
    X, y = counts
    y_partial = hide_labels(np.random.default_rng(0), y, 5)
    a = SemiSupervisedNB(unlabeled_weight=0.3).fit(X, y_partial)
    b = SemiSupervisedNB().fit(X, y_partial, sample_weight=np.where(y_partial == -1, 0.3, 1.0))
    np.testing.assert_allclose(a.feature_log_prob_, b.feature_log_prob_, rtol=1e-12)
    assert a.n_iter_ == b.n_iter_ > 0


def test_bad_inputs_raise(counts):
    X, y = counts
    with pytest.raises(ValueError, match="Negative values"):
        SemiSupervisedNB().fit(X - 1, y)
    SemiSupervisedNB("bernoulli").fit(X - 1, y)  # the Bernoulli model binarizes
    with pytest.raises(ValueError, match="Number of priors"):
        SemiSupervisedNB(class_prior=[0.5, 0.5]).fit(X, y)
