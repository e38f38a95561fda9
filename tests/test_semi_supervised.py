"""Semi-supervised learning across skdeep: rows labeled -1 are unlabeled.

Over every classifier that takes such rows (LabeledOnlyClassifier in an M1
pipeline, DBNClassifier, GaussianMixtureClassifier, SemiSupervisedNB,
SemiSupervisedVAE): -1 is
never a class, ``score`` is the accuracy on the labeled rows, the estimators
clone, pickle and run through GridSearchCV and cross_val_score, and a fit
without labels says so, as does a ``y`` of several labels per row.
DBNClassifier pre-trains on every row and fine-tunes
on the labeled ones; LabeledOnlyClassifier fits its classifier on exactly the
labeled rows.
"""

import math
import pickle
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    check_cv,
    cross_val_score,
)
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from skdeep import (
    DBNClassifier,
    GaussianMixtureClassifier,
    LabeledOnlyClassifier,
    SemiSupervisedNB,
    SemiSupervisedVAE,
    VariationalAutoencoder,
)
from skdeep._semi_supervised import encode_labels

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def m1_pipeline(**classifier_params):
    """Kingma et al.'s M1 (small): a VAE on every row, a logistic regression on
    the labeled rows of its codes."""
    return Pipeline([
        ("vae", VariationalAutoencoder(encoder_layer_sizes=(16,), n_components=4, max_iter=3,
                                       random_state=0)),
        ("model", LabeledOnlyClassifier(LogisticRegression(**classifier_params))),
    ])


#: name -> (a small model, a parameter to search over with two values)
MODELS = {
    "M1 pipeline": (m1_pipeline, ("model__estimator__C", [0.1, 1.0])),
    "DBNClassifier": (
        lambda: DBNClassifier(hidden_layer_sizes=(16,), pretrain_n_iter=2, max_iter=10,
                              random_state=0),
        ("alpha", ["auto", 1e-2])),
    "GaussianMixtureClassifier": (
        lambda: make_pipeline(PCA(n_components=5, random_state=0),
                              GaussianMixtureClassifier(reg_covar=1e-2, max_iter=20,
                                                        random_state=0)),
        ("gaussianmixtureclassifier__unlabeled_weight", [0.1, 1.0])),
    "SemiSupervisedNB": (lambda: SemiSupervisedNB(max_iter=10),
                         ("unlabeled_weight", [0.1, 1.0])),
    "SemiSupervisedVAE": (
        lambda: SemiSupervisedVAE(encoder_layer_sizes=(16,), n_components=4,
                                  classifier_layer_sizes=(16,), max_iter=3, random_state=0),
        ("classification_weight", [0.1, 1.0])),
}


@pytest.fixture(scope="module")
def semi(digits):
    """300 digit rows, 6 of each class labeled (60), the rest -1."""
    X, y = digits
    X, y = X[:300], y[:300]
    y_partial = np.full_like(y, -1)
    for k in range(10):
        rows = np.flatnonzero(y == k)[:6]
        y_partial[rows] = k
    return X, y, y_partial


def as_strings(y, kind):
    """``y`` as string labels, unlabeled rows marked as scikit-learn would."""
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven",
                      "eight", "nine"])
    labels = names[np.where(y == -1, 0, y)]
    if kind == "str":
        return np.where(y == -1, "-1", labels)           # numpy's -1 in a str array
    return np.array([-1 if v == -1 else s for v, s in zip(y, labels)], dtype=object)


# ----------------------------------------------------------- the -1 marker
@pytest.mark.parametrize("kind", ["int", "str", "object"])
@pytest.mark.parametrize("name", ["M1 pipeline", "DBNClassifier"])
def test_unlabeled_marker_is_never_a_class(name, kind, semi):
    X, _, y_partial = semi
    target = y_partial if kind == "int" else as_strings(y_partial, kind)
    expected = np.unique(target[y_partial != -1])
    model = MODELS[name][0]().fit(X, target)
    assert_array_equal(model.classes_, expected)
    assert model.predict_proba(X).shape == (len(X), 10)
    assert set(model.predict(X)) <= set(expected)
    assert "-1" not in set(map(str, model.predict(X)))


def test_labeled_only_classifier_fits_exactly_the_labeled_rows(semi):
    X, y, y_partial = semi
    labeled = y_partial != -1
    weights = np.random.default_rng(0).random(len(X))
    wrapped = LabeledOnlyClassifier(LogisticRegression()).fit(X, y_partial,
                                                              sample_weight=weights)
    direct = LogisticRegression().fit(X[labeled], y[labeled], sample_weight=weights[labeled])
    assert_array_equal(wrapped.estimator_.coef_, direct.coef_)
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        assert_array_equal(getattr(wrapped, method)(X), getattr(direct, method)(X))
    assert wrapped.n_features_in_ == X.shape[1]
    # the wrapped estimator itself is left unfitted
    assert not hasattr(wrapped.estimator, "coef_")


def test_labeled_only_classifier_delegates_what_its_classifier_has(semi):
    X, _, y_partial = semi
    # KNeighborsClassifier.fit takes no sample_weight: none is passed unless given
    knn = LabeledOnlyClassifier(KNeighborsClassifier(n_neighbors=3)).fit(X, y_partial)
    assert not hasattr(knn, "decision_function") and hasattr(knn, "predict_proba")
    svc = LabeledOnlyClassifier(LinearSVC())
    assert not hasattr(svc, "predict_proba") and hasattr(svc, "decision_function")
    assert svc.fit(X, y_partial).decision_function(X).shape == (len(X), 10)
    assert LabeledOnlyClassifier(LogisticRegression()).__sklearn_tags__().input_tags.sparse
    assert not LabeledOnlyClassifier(GaussianMixtureClassifier()).__sklearn_tags__(
    ).input_tags.sparse


# ----------------------------------------------------- score, model selection
@pytest.mark.parametrize("name", sorted(MODELS))
def test_score_is_the_accuracy_on_the_labeled_rows(name, semi):
    X, y, y_partial = semi
    model = MODELS[name][0]().fit(X, y_partial)
    # a test set with a third of its rows unlabeled
    y_test = np.where(np.arange(len(y)) % 3 == 0, -1, y)
    labeled = y_test != -1
    expected = np.mean(model.predict(X[labeled]) == y[labeled])
    assert model.score(X, y_test) == expected
    weights = np.random.default_rng(1).random(len(X))
    expected_weighted = (np.sum(weights[labeled] * (model.predict(X[labeled]) == y[labeled]))
                         / np.sum(weights[labeled]))
    # the ratio of two sums of the same weights, in another order: 1e-12 relative
    assert model.score(X, y_test, sample_weight=weights) == pytest.approx(
        expected_weighted, rel=1e-12)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_clone_and_pickle_on_semi_supervised_data(name, semi):
    X, _, y_partial = semi
    model = MODELS[name][0]()
    fitted = model.fit(X, y_partial)
    fresh = clone(fitted)
    assert fresh.get_params().keys() == fitted.get_params().keys()
    loaded = pickle.loads(pickle.dumps(fitted))
    assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert_array_equal(loaded.classes_, fitted.classes_)
    # a clone fitted again gives the same model (every model here is seeded)
    assert_array_equal(fresh.fit(X, y_partial).predict_proba(X), fitted.predict_proba(X))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_cross_val_score_and_grid_search_on_semi_supervised_data(name, semi):
    X, y, y_partial = semi
    make, (param, values) = MODELS[name]
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    # the independent computation: fit each fold's training rows, accuracy on
    # the test fold's labeled rows
    expected = []
    for train, test in cv.split(X, y_partial):
        model = clone(make()).fit(X[train], y_partial[train])
        labeled = test[y_partial[test] != -1]
        expected.append(accuracy_score(y[labeled], model.predict(X[labeled])))
    scores = cross_val_score(make(), X, y_partial, cv=cv)
    assert_array_equal(scores, expected)

    search = GridSearchCV(make(), {param: values}, cv=cv).fit(X, y_partial)
    # the candidate with the default value is the model scored above
    default = values.index(make().get_params()[param])
    results = search.cv_results_
    assert_array_equal([results[f"split{i}_test_score"][default] for i in range(3)], expected)
    assert search.best_index_ == int(np.argmax(results["mean_test_score"]))
    assert_array_equal(search.best_estimator_.classes_, np.arange(10))


def test_stratified_folds_treat_the_marker_as_one_more_class(semi):
    # scikit-learn's cross-validation of a classifier (cv=int) is StratifiedKFold
    # on y as given: -1 is one more "class", so each fold keeps the share of
    # unlabeled rows and each class's share of the labeled rows.
    X, _, y_partial = semi
    assert isinstance(check_cv(3, y_partial, classifier=True), StratifiedKFold)
    for _, test in StratifiedKFold(n_splits=3).split(X, y_partial):
        for label in range(-1, 10):
            # 240 unlabeled rows -> 80 per fold; 6 of each class -> 2 per fold
            assert np.sum(y_partial[test] == label) == (80 if label == -1 else 2)
    # fewer labeled rows of a class than folds: scikit-learn warns, and some
    # test folds lack that class
    with pytest.warns(UserWarning, match="least populated class in y has only 6 members"):
        list(StratifiedKFold(n_splits=7).split(X, y_partial))


# ------------------------------------------------------------- DBNClassifier
def test_dbn_pretrains_on_every_row_and_fine_tunes_on_the_labeled_ones(semi):
    X, y, y_partial = semi
    labeled = y_partial != -1
    n_labeled = int(labeled.sum())
    settings = dict(hidden_layer_sizes=(16,), pretrain_n_iter=2, max_iter=4, batch_size=16,
                    n_iter_no_change=10, random_state=0)
    only_labeled = DBNClassifier(**settings).fit(X[labeled], y[labeled])
    with_unlabeled = DBNClassifier(**settings).fit(X, y_partial)
    # pre-training saw 300 rows instead of 60: other layer weights
    W_labeled = only_labeled.pretrained_layers_[0].components_
    W_all = with_unlabeled.pretrained_layers_[0].components_
    assert W_labeled.shape == W_all.shape and not np.allclose(W_labeled, W_all)
    # fine-tuning saw the 60 labeled rows: 4 epochs of ceil(60 / 16) = 4 updates
    assert with_unlabeled.n_iter_ == 4
    assert with_unlabeled.t_ == only_labeled.t_ == 4 * math.ceil(n_labeled / 16) == 16

    # without pre-training, unlabeled rows have nothing to change: the same net
    # from the same seed, fine-tuned on the same labeled rows in the same order
    settings["pretraining"] = None
    a = DBNClassifier(**settings).fit(X[labeled], y[labeled])
    b = DBNClassifier(**settings).fit(X, y_partial)
    for Wa, Wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        assert_array_equal(Wa, Wb)


# -------------------------------------------------------------- clear errors
@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_fit_without_a_labeled_row_raises(name, semi):
    X, _, _ = semi
    with pytest.raises(ValueError, match="at least one labeled row"):
        MODELS[name][0]().fit(X, np.full(len(X), -1))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_labels_minus_one_and_one_raise_an_error_naming_the_marker(name, semi):
    """Labels {-1, 1} meant as two classes: one labeled class and the marker
    is refused with an error that says how to keep -1 as a class, where a
    generative model would otherwise fit class 1 alone."""
    X, y, _ = semi
    with pytest.raises(ValueError, match="unlabeled marker.*LabelEncoder"):
        MODELS[name][0]().fit(X, np.where(y < 5, -1, 1))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_several_labels_per_row_raise_an_error_naming_multioutput(name, semi):
    """A multilabel indicator ``y`` (two columns) is refused with the wrapper
    that fits one model per column, where scikit-learn's validation would say
    only that ``y`` is not 1-d."""
    X, y, _ = semi
    Y = np.column_stack([y % 2, y < 5]).astype(int)
    with pytest.raises(ValueError, match=r"one label per row; got y of shape \(300, 2\)"
                                         r".*MultiOutputClassifier"):
        MODELS[name][0]().fit(X, Y)


def test_multioutput_classifier_fits_one_dbn_per_label(semi):
    """The wrapper the error names works: one DBNClassifier per column, each
    the model fitted on that column alone."""
    X, y, _ = semi
    Y = np.column_stack([y % 2, y < 5]).astype(int)
    model = MODELS["DBNClassifier"][0]()
    wrapped = MultiOutputClassifier(model).fit(X, Y)
    assert wrapped.predict(X).shape == Y.shape
    for j in range(Y.shape[1]):
        alone = clone(model).fit(X, Y[:, j])
        assert_array_equal(wrapped.estimators_[j].predict(X), alone.predict(X))


def test_encode_labels_with_given_classes():
    y = np.array(["b", "-1", "d", "b"])
    classes, unlabeled, index = encode_labels(y, None)
    assert_array_equal(classes, ["b", "d"])
    assert_array_equal(unlabeled, [False, True, False, False])
    assert_array_equal(index, [0, 1, 0])
    # given classes (the marker among them is dropped) fix the indices
    classes, _, index = encode_labels(y, None, classes=np.array(["-1", "d", "c", "b"]))
    assert_array_equal(classes, ["b", "c", "d"])
    assert_array_equal(index, [0, 2, 0])
    with pytest.raises(ValueError, match=r"labels \['d'\] not in classes_ \['b', 'c'\]"):
        encode_labels(y, None, classes=["b", "c"])
    with pytest.raises(ValueError, match="at least 3 classes; got 2"):
        encode_labels(y, None, min_classes=3)


def test_labeled_only_classifier_needs_y():
    with pytest.raises(ValueError, match="requires y to be passed"):
        LabeledOnlyClassifier(LogisticRegression()).fit([[0.0], [1.0]], None)


def test_labeled_only_classifier_warns_on_a_column_y(semi):
    X, _, y_partial = semi
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(Warning, match="column-vector y"):
            model = LabeledOnlyClassifier(LogisticRegression()).fit(X, y_partial[:, None])
    assert_array_equal(model.classes_, np.arange(10))
