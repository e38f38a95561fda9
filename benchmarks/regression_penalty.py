"""DBNRegressor's 'auto' penalty against the best fixed one, on 30 regression sets.

``alpha='auto'`` (``skdeep/_kernels/penalty.py``) sets the rectifier
regressor's L2 penalty from two fractions of the targets' variance, both
printed here: ``noise``, what the nearest neighbours leave unexplained, and
``linear``, what ridge regression leaves on rows it has not seen. For each
set (3-fold CV, inputs scaled to [0, 1] by ``MinMaxScaler``, raw targets, as
in ``benchmarks/defaults.py``): the penalty 'auto' takes on all the rows, the
held-out R^2 of ``DBNRegressor()`` and of the same network at each fixed
penalty of a grid, the shortfall of 'auto' from the best of them (chosen on
the test folds, so out of a default's reach), and ``MLPRegressor()``'s and
``Ridge()``'s R^2 in the same run.

The sets are generated (scikit-learn's ``make_*`` and a few functions of
uniform inputs) but diabetes. Sets marked ``*`` were not used to choose the
rule; the others were.

Usage: python benchmarks/regression_penalty.py [--sets NAME ...]
       [--alphas 0.01 0.1 0.3 1 3]
"""

import argparse
import time
import warnings
from functools import partial

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import MinMaxScaler

from skdeep import DBNRegressor
from skdeep._kernels.penalty import linear_error_fraction, neighbour_noise_fraction

from defaults import SEED, _named, cv_score, header, row


def _uniform(function, noise, seed, n, d):
    """``function`` of ``n`` rows uniform on [-2, 2]^d, plus Gaussian noise."""
    def load():
        rng = np.random.RandomState(seed)
        X = rng.uniform(-2, 2, size=(n, d))
        return X, function(X) + noise * rng.normal(size=n)
    return load


def _wave(X):
    return np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1])


def _sinc(X):
    return np.sinc(2.5 * X[:, 0])


def _bowl(X):
    return (X ** 2).sum(axis=1) - X[:, 0] * X[:, 1]


friedman1, friedman2, friedman3 = (datasets.make_friedman1, datasets.make_friedman2,
                                   datasets.make_friedman3)
linear = datasets.make_regression

SETS = {
    "diabetes": partial(datasets.load_diabetes, return_X_y=True),
    "friedman1": partial(friedman1, n_samples=1000, noise=1.0, random_state=SEED),
    "friedman1-300-noise3": partial(friedman1, n_samples=300, noise=3.0, random_state=29),
    "friedman1-1000-noise3": partial(friedman1, n_samples=1000, noise=3.0, random_state=36),
    "friedman1-500x50": partial(friedman1, n_samples=500, n_features=50, noise=1.0,
                                random_state=28),
    "friedman2": partial(friedman2, n_samples=1000, noise=10.0, random_state=SEED),
    "friedman2-noise300": partial(friedman2, n_samples=600, noise=300, random_state=32),
    "friedman3-800": partial(friedman3, n_samples=800, noise=0.1, random_state=21),
    "linear-raw": partial(linear, n_samples=1000, n_features=10, n_informative=8, noise=10.0,
                          random_state=SEED),
    "linear-400-noise80": partial(linear, n_samples=400, n_features=10, noise=80,
                                  random_state=26),
    "linear-500x100": partial(linear, n_samples=500, n_features=100, n_informative=10,
                              noise=30, random_state=27),
    "linear-300x200": partial(linear, n_samples=300, n_features=200, n_informative=20,
                              noise=5, random_state=22),
    "lowrank-1000x50": partial(linear, n_samples=1000, n_features=50, effective_rank=5,
                               noise=2, random_state=24),
    "lowrank-600x30": partial(linear, n_samples=600, n_features=30, effective_rank=3, noise=3,
                              random_state=25),
    "sparse-uncorrelated": partial(datasets.make_sparse_uncorrelated, n_samples=1000,
                                   random_state=33),
    "wave-800-noise0.3": _uniform(_wave, 0.3, 34, 800, 2),
    "wave-800-noise0.7": _uniform(_wave, 0.7, 31, 800, 2),
    "wave-1500-noise1": _uniform(_wave, 1.0, 35, 1500, 2),
    "sinc-500-noise0.3": _uniform(_sinc, 0.3, 30, 500, 1),
    "bowl-5d-noise3": _uniform(_bowl, 3.0, 37, 700, 5),
    # not used to choose the rule
    "*wave-1000-noise0.5": _uniform(_wave, 0.5, 40, 1000, 2),
    "*tanh-product-3d": _uniform(lambda X: np.tanh(3 * X[:, 0]) * np.tanh(3 * X[:, 1]),
                                 0.5, 41, 800, 3),
    "*friedman1-700-noise2": partial(friedman1, n_samples=700, noise=2.0, random_state=42),
    "*linear-800x20-noise40": partial(linear, n_samples=800, n_features=20, noise=40,
                                      random_state=43),
    "*lowrank-800x40": partial(linear, n_samples=800, n_features=40, effective_rank=4,
                               noise=3, random_state=44),
    "*radial-sinc-2d": _uniform(lambda X: np.sinc(2 * np.hypot(X[:, 0], X[:, 1])),
                                0.2, 45, 900, 2),
    "*friedman3-500-noise0.3": partial(friedman3, n_samples=500, noise=0.3, random_state=46),
    "*line-plus-square-6d": _uniform(lambda X: X[:, 0] + X[:, 1] ** 2, 1.0, 47, 700, 6),
    "*friedman1-300x100": partial(friedman1, n_samples=300, n_features=100, noise=1.0,
                                  random_state=48),
    "*absolute-5d": _uniform(lambda X: np.abs(X).sum(axis=1), 1.5, 49, 600, 5),
}


def fractions(X, y):
    """The noise and linear fractions of the rows, in the units the network sees."""
    X = MinMaxScaler().fit_transform(X)
    return neighbour_noise_fraction(X, y), linear_error_fraction(X, y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", help="only these data sets")
    parser.add_argument("--alphas", nargs="+", type=float, default=[0.01, 0.1, 0.3, 1.0, 3.0])
    args = parser.parse_args()
    names = [n for n in SETS if not args.sets
             or n.lstrip("*") in {s.lstrip("*") for s in args.sets}]
    start = time.perf_counter()
    header("DBNRegressor: R^2 at alpha='auto' and at fixed penalties (3-fold CV)",
           ["noise", "linear", "auto alpha", "auto", *(f"alpha {a:g}" for a in args.alphas),
            "shortfall", "MLP", "ridge"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in names:
            X, y = SETS[name]()
            cv = KFold(3, shuffle=True, random_state=SEED)
            noise, linear = fractions(X, y)
            alpha = _named(DBNRegressor(random_state=SEED)).fit(X, y)[-1].alpha_
            auto = cv_score(DBNRegressor(random_state=SEED), X, y, cv)
            fixed = [cv_score(DBNRegressor(alpha=a, random_state=SEED), X, y, cv)
                     for a in args.alphas]
            mlp = cv_score(MLPRegressor(random_state=SEED), X, y, cv)
            ridge = cv_score(Ridge(), X, y, cv)
            row(name, [noise, linear, alpha, auto, *fixed, max(fixed) - auto, mlp, ridge])
    print(f"\ntotal {(time.perf_counter() - start) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
