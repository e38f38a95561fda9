"""The defaults on data sets that took no part in choosing them.

``DBNClassifier()`` against ``MLPClassifier()`` and ``LogisticRegression()``,
and ``DBNRegressor()`` against ``MLPRegressor()`` and ``Ridge()``, as in
``benchmarks/defaults.py`` (3-fold CV, inputs scaled to [0, 1] by
``MinMaxScaler``, raw targets, the peers in the same run), on generated sets of
other shapes than the panel's: Gaussian quantiles, an imbalanced set, one-hot
categories, noisy labels, noisy digits, targets of scale 1e-4 on an offset of
1,000, heteroscedastic noise, fewer rows than five times the columns, three
targets at once, 150 rows of 1,000 columns, and Fashion-MNIST
(5,000 images, when installed: ``apt-get install dataset-fashion-mnist``).
Prints the score, the difference from the MLP and the ratio of fit times.
Also ``DBNAutoencoder`` against ``PCA`` at the same code, as in
``benchmarks/defaults.py`` (squared error per held-out row), on sets with
codes it did not see: wine (1 unit), the digits (3), Fashion-MNIST (30).

Usage: python benchmarks/defaults_unseen.py
       [--sections classification regression autoencoder]
       [--sets NAME ...] [--fold-seed 0]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import OneHotEncoder

from skdeep import DBNClassifier, DBNRegressor

import defaults
from defaults import SEED, cv_score, cv_scores, header, row


def _fashion_mnist(n=5000):
    from skdeep.datasets import load_fashion_mnist

    return defaults.stratified_images(load_fashion_mnist, n)


def _one_hot_rule(n=1500, seed=1):
    """Eight categorical columns of five values; the class is a rule of three."""
    C = np.random.RandomState(seed).randint(0, 5, size=(n, 8))
    y = ((C[:, 0] == C[:, 1]) ^ (C[:, 2] > 2)).astype(int)
    return OneHotEncoder(sparse_output=False).fit_transform(C), y


def _noisy_digits(sd=4.0, seed=1):
    X, y = datasets.load_digits(return_X_y=True)
    return X + np.random.RandomState(seed).normal(0, sd, X.shape), y


def _sine_product(n=800, seed=1):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-3, 3, (n, 3))
    return X, np.sin(X[:, 0]) * X[:, 1] + 0.1 * rng.normal(size=n)


def _small_scale_offset(n=600, seed=3):
    X, y = datasets.make_regression(n, 5, noise=5, random_state=seed)
    return X, y * 1e-4 + 1e3


def _heteroscedastic(n=1000, seed=1):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 6))
    noise = rng.normal(0, 0.5, n) * (1 + np.abs(X[:, 2]))
    return X, np.exp(X[:, 0]) + X[:, 1] ** 2 + noise


def _checkerboard(n=1500, seed=1):
    rng = np.random.RandomState(seed)
    X = rng.uniform(0, 1, (n, 2))
    return X, (np.floor(X[:, 0] * 4) + np.floor(X[:, 1] * 4)) % 2 + 0.05 * rng.normal(size=n)


CLASSIFICATION = {
    "gauss-quantiles": lambda: datasets.make_gaussian_quantiles(
        n_samples=1500, n_features=4, n_classes=3, random_state=1),
    "imbalanced-90-10": lambda: datasets.make_classification(
        2000, 20, n_informative=5, weights=[0.9, 0.1], flip_y=0.02, random_state=2),
    "blobs-8": lambda: datasets.make_blobs(1500, 10, centers=8, cluster_std=3.0,
                                           random_state=3),
    "redundant-50": lambda: datasets.make_classification(
        1000, 50, n_informative=10, n_redundant=20, n_classes=4, random_state=4),
    "one-hot-rule": _one_hot_rule,
    "noisy-400": lambda: datasets.make_classification(
        400, 8, n_informative=4, flip_y=0.2, random_state=5),
    "digits-noisy": _noisy_digits,
    "circles-noisy": lambda: datasets.make_circles(1000, noise=0.2, factor=0.5,
                                                   random_state=6),
    "6class-5000": lambda: datasets.make_classification(
        5000, 10, n_informative=6, n_classes=6, n_clusters_per_class=1, random_state=7),
    "150-rows-1000-columns": lambda: datasets.make_classification(
        150, 1000, n_informative=10, n_redundant=0, random_state=8),
    "fashion-mnist-5000": _fashion_mnist,
}

REGRESSION = {
    "regression-noise20": lambda: datasets.make_regression(
        1000, 10, n_informative=5, noise=20, random_state=1),
    "friedman3-1000": lambda: datasets.make_friedman3(1000, noise=0.05, random_state=2),
    "sine-product": _sine_product,
    "scale-1e-4-offset": _small_scale_offset,
    "heteroscedastic": _heteroscedastic,
    "40-columns-200-rows": lambda: datasets.make_regression(
        200, 40, n_informative=10, noise=10, random_state=4),
    "checkerboard": _checkerboard,
    "3-targets": lambda: datasets.make_regression(800, 8, n_targets=3, noise=10,
                                                  random_state=5),
}


#: data set -> (loader, code size); codes at most a tenth of the inputs
AUTOENCODER = {
    "wine": (lambda: datasets.load_wine(return_X_y=True), 1),
    "digits-code-3": (lambda: datasets.load_digits(return_X_y=True), 3),
    "fashion-mnist-5000": (_fashion_mnist, 30),
}


#: loaders of the sets that need an optional package (``defaults.available``)
OPTIONAL = {"fashion": lambda: _fashion_mnist(10)}


def run(title, sets, ours, peer, linear, cv, chosen=None):
    header(title, ["skdeep", "sklearn", "diff", "linear", "skdeep s", "sklearn s", "time x"])
    for name in defaults.available([n for n in sets if not chosen or n in chosen], OPTIONAL):
        X, y = sets[name]()
        score, t_ours = cv_scores(ours(random_state=SEED), X, y, cv)
        peer_score, t_peer = cv_scores(peer(random_state=SEED), X, y, cv)
        linear_score = cv_score(linear(), X, y, cv)
        row(name, [score, peer_score, score - peer_score, linear_score, t_ours, t_peer,
                   t_ours / t_peer])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", nargs="+",
                        default=["classification", "regression", "autoencoder"],
                        choices=["classification", "regression", "autoencoder"])
    parser.add_argument("--sets", nargs="+", help="only these data sets")
    parser.add_argument("--fold-seed", type=int, default=defaults.FOLD_SEED,
                        help="shuffle of the folds (default: 0)")
    args = parser.parse_args()
    defaults.FOLD_SEED = args.fold_seed
    warnings.simplefilter("ignore", ConvergenceWarning)
    start = time.time()
    if "classification" in args.sections:
        run("classification, sets not used to choose: accuracy (3-fold CV)", CLASSIFICATION,
            DBNClassifier, MLPClassifier, lambda: LogisticRegression(max_iter=1000),
            StratifiedKFold(3, shuffle=True, random_state=args.fold_seed), args.sets)
    if "regression" in args.sections:
        run("regression, sets not used to choose: R^2 on raw targets (3-fold CV)", REGRESSION,
            DBNRegressor, MLPRegressor, Ridge,
            KFold(3, shuffle=True, random_state=args.fold_seed), args.sets)
    if "autoencoder" in args.sections:
        names = defaults.available([n for n in AUTOENCODER if not args.sets or n in args.sets],
                                   OPTIONAL)
        defaults.run_autoencoder(names, False, AUTOENCODER, "dimensionality reduction, sets "
                                 "not used to choose: squared error per held-out row (3-fold CV)")
    print(f"\ntotal {(time.time() - start) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
