"""How much can a nonlinear code gain over PCA on a data set of this size?

A ``DBNAutoencoder`` with rectifier layers can compute ``PCA(k)`` exactly: each
principal projection ``p`` passes through every hidden layer as the unit pair
``relu(p)``, ``relu(-p)`` and the code is their difference, ``p``; the output
layer maps the pairs back through the components and adds the mean. This
script builds that network inside the pre-trained one (the other units keep
their pre-trained weights, and their weights into the PCA channels and the
output start at 0), so that fine-tuning on squared error starts at PCA's
training error. Its held-out error against PCA's measures what the nonlinear
part of the code adds to PCA's on these rows: on the image patches of
``benchmarks/defaults.py`` (2,000 training rows a fold) the best penalty ends
within 0.1% of PCA, where the network trained from its own defaults is 3.7%
above; with the default early stopping the validation split keeps it at
PCA's code (0.08% above).

Prints, per ``alpha`` of the fine-tuning on every training row, and for the
default fine-tuning (``alpha=0`` with early stopping), the held-out squared
error per row
(3-fold CV, rows scaled to [0, 1] as in ``benchmarks/defaults.py``), the
training error, and PCA's in the same run.

Usage: python benchmarks/autoencoder_from_pca.py [--patches 3000]
       [--alphas 0 0.5 1 1.5 3]
"""

import argparse
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, cross_validate

from skdeep import DBNAutoencoder

import defaults


def embed_pca(autoencoder, X, k):
    """Overwrite the first ``2 k`` units of every hidden layer of a fitted
    rectifier ``autoencoder`` (weights in ``X``'s units) so that its code is
    PCA's projections of ``X`` and its output PCA's reconstruction."""
    pca = PCA(k).fit(X)
    P, mean = pca.components_.T, pca.mean_
    coefs, intercepts = autoencoder.coefs_, autoencoder.intercepts_
    n_encoder = len(coefs) // 2
    pairs, ones = np.arange(2 * k), np.ones(k)
    # bottom layer: relu(p) and relu(-p) with p = (x - mean) P
    coefs[0][:, :2 * k] = np.hstack([P, -P])
    intercepts[0][:2 * k] = np.concatenate([-mean @ P, mean @ P])
    # hidden layers between: the pairs pass through alone
    for i in [*range(1, n_encoder - 1), *range(n_encoder + 1, len(coefs) - 1)]:
        coefs[i][:2 * k, :] = 0
        coefs[i][:, :2 * k] = 0
        coefs[i][pairs, pairs] = 1
        intercepts[i][:2 * k] = 0
    # the linear code: relu(p) - relu(-p) = p
    code = coefs[n_encoder - 1]
    code[:] = 0
    code[:k] = np.diag(ones)
    code[k:2 * k] = -np.diag(ones)
    intercepts[n_encoder - 1][:] = 0
    # top of the decoder: the pairs again, then PCA's reconstruction
    coefs[n_encoder][:, :2 * k] = np.hstack([np.diag(ones), -np.diag(ones)])
    intercepts[n_encoder][:2 * k] = 0
    coefs[-1][:] = 0
    coefs[-1][:2 * k] = np.vstack([P.T, -P.T])
    intercepts[-1][:] = mean
    return autoencoder


class AutoencoderFromPCA(TransformerMixin, BaseEstimator):
    """A ``DBNAutoencoder`` (squared error, rectifiers) fine-tuned from PCA's code."""

    def __init__(self, hidden_layer_sizes=(256, 128, 6), alpha=0.0, early_stopping=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.alpha = alpha
        self.early_stopping = early_stopping

    def fit(self, X, y=None):
        ae = DBNAutoencoder(self.hidden_layer_sizes, loss="squared_error", activation="relu",
                            alpha=self.alpha, max_iter=1, early_stopping=False,
                            random_state=defaults.SEED)
        ae.fit(X)  # pre-trained, and one epoch that embed_pca overwrites
        embed_pca(ae, X, self.hidden_layer_sizes[-1])
        self.start_error_ = -float(ae.score(X))
        self.autoencoder_ = ae.set_params(warm_start=True, max_iter=DBNAutoencoder().max_iter,
                                          early_stopping=self.early_stopping).fit(X)
        return self

    def transform(self, X):
        return self.autoencoder_.transform(X)

    def inverse_transform(self, X):
        return self.autoencoder_.inverse_transform(X)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patches", type=int, default=defaults.N_PATCHES)
    parser.add_argument("--alphas", type=float, nargs="+", default=[0.0, 0.5, 1.0, 1.5, 3.0])
    args = parser.parse_args()
    # the default network stops at max_iter on these rows, as in defaults.py
    warnings.simplefilter("ignore", ConvergenceWarning)
    X, _ = defaults._image_patches(args.patches)
    cv = KFold(3, shuffle=True, random_state=defaults.SEED)

    def errors(model):
        res = cross_validate(defaults._named(model), X, cv=cv, return_train_score=True,
                             return_estimator=True, scoring=defaults.reconstruction_error)
        return -np.mean(res["test_score"]), -np.mean(res["train_score"]), res["estimator"]

    pca, pca_train, _ = errors(PCA(6, random_state=defaults.SEED))
    defaults.header(f"image patches ({args.patches} rows), code 6: squared error per row "
                    "(3-fold CV)", ["held-out", "training", "start", "ratio"])
    defaults.row("PCA", [pca, pca_train, float("nan"), 1.0])
    ours, ours_train, _ = errors(DBNAutoencoder((*defaults.HIDDEN_LAYERS, 6),
                                                random_state=defaults.SEED))
    defaults.row("DBNAutoencoder", [ours, ours_train, float("nan"), ours / pca])
    layers = (*defaults.HIDDEN_LAYERS, 6)
    starts = [(f"from PCA, alpha {alpha:g}", AutoencoderFromPCA(layers, alpha))
              for alpha in args.alphas]
    starts.append(("from PCA, early stop", AutoencoderFromPCA(layers, early_stopping="auto")))
    for name, model in starts:
        test, train, fitted = errors(model)
        start = float(np.mean([pipe[-1].start_error_ for pipe in fitted]))
        defaults.row(name, [test, train, start, test / pca])

if __name__ == "__main__":
    main()
