"""
=====================================================
Learning from a few labels and many unlabeled digits
=====================================================

Most rows of a data set often come without a label. Following
:mod:`sklearn.semi_supervised`, such rows carry the label ``-1``; the
estimators below learn from them in different ways:

* a logistic regression on the labeled rows only, the baseline that ignores
  the unlabeled ones (:class:`skdeep.LabeledOnlyClassifier` drops them);
* scikit-learn's :class:`~sklearn.semi_supervised.LabelSpreading` (labels
  spread over a nearest-neighbour graph of all rows) and
  :class:`~sklearn.semi_supervised.SelfTrainingClassifier` (a logistic
  regression that labels its confident predictions and refits);
* the generative classifiers trained by EM on every row:
  :class:`skdeep.GaussianMixtureClassifier` on a 20-component PCA (fitted on
  every row) and :class:`skdeep.SemiSupervisedNB`;
* :class:`skdeep.DBNClassifier`, pre-trained on every row and fine-tuned on the
  labeled ones (its defaults);
* model M1 of Kingma et al. (2014): a :class:`skdeep.VariationalAutoencoder`
  fitted on every row, and a logistic regression on the codes of the labeled
  rows, one pipeline.

The training part of the digits keeps ``n`` labels per class and marks the
other rows ``-1``; every model is scored on the held-out test part. See
:ref:`semi_supervised` in the user guide.
"""

# %%
# The models
# ----------
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier

from skdeep import (
    DBNClassifier,
    GaussianMixtureClassifier,
    LabeledOnlyClassifier,
    SemiSupervisedNB,
    VariationalAutoencoder,
)

# fixed budgets of iterations: do not warn that the fits could go on
warnings.filterwarnings("ignore", category=ConvergenceWarning)
# LabelSpreading divides by zero for rows that no label reaches through the
# nearest-neighbour graph (they get class 0); it still predicts every row
warnings.filterwarnings("ignore", category=RuntimeWarning,
                        message="invalid value encountered in divide")

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0)


def make_models():
    return {
        "logistic regression, labeled rows only":
            LabeledOnlyClassifier(LogisticRegression(max_iter=1000)),
        "LabelSpreading (knn)": LabelSpreading(kernel="knn", n_neighbors=7),
        "SelfTrainingClassifier (logistic)":
            SelfTrainingClassifier(LogisticRegression(max_iter=1000)),
        "PCA(20) + GaussianMixtureClassifier, EM": make_pipeline(
            PCA(n_components=20, random_state=0),
            GaussianMixtureClassifier(reg_covar=1e-2, random_state=0)),
        "SemiSupervisedNB, EM": SemiSupervisedNB(),
        "DBNClassifier": DBNClassifier(random_state=0),
        "M1: VAE + logistic on labeled codes": make_pipeline(
            VariationalAutoencoder(encoder_layer_sizes=(64,), n_components=10,
                                   max_iter=40, random_state=0),
            LabeledOnlyClassifier(LogisticRegression(max_iter=1000))),
    }


def keep_labels(y, n_per_class, rng):
    """``y`` with ``n_per_class`` labels of each class kept, the rest -1."""
    y_partial = np.full_like(y, -1)
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))[:n_per_class]
        y_partial[rows] = label
    return y_partial


# %%
# Fit every model for each number of labels
# -----------------------------------------
labels_per_class = [2, 5, 10, 30]
accuracy = {name: [] for name in make_models()}
seconds = dict.fromkeys(accuracy, 0.0)
for n in labels_per_class:
    y_partial = keep_labels(y_train, n, np.random.default_rng(n))
    for name, model in make_models().items():
        start = time.perf_counter()
        model.fit(X_train, y_partial)
        seconds[name] += time.perf_counter() - start
        accuracy[name].append(model.score(X_test, y_test))
    print(f"{n:2d} labels per class ({10 * n} of {len(y_train)} rows): "
          + ", ".join(f"{a[-1]:.3f}" for a in accuracy.values()))
for name in accuracy:
    print(f"{name:42s} {seconds[name]:5.1f} s in all")

# %%
# Test accuracy against the number of labels
# ------------------------------------------
fig, ax = plt.subplots(figsize=(7, 4.5))
for (name, values), marker in zip(accuracy.items(), "os^vD<>"):
    ax.plot(labels_per_class, values, marker=marker, label=name)
ax.set_xscale("log")
ax.minorticks_off()
ax.set_xticks(labels_per_class, [str(n) for n in labels_per_class])
ax.set_xlabel("labels per class (the other training rows are unlabeled)")
ax.set_ylabel("test accuracy")
ax.set_ylim(0.5, 1.0)
ax.grid(alpha=0.3)
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()

# %%
# With two labels per class, the models that use the unlabeled rows through
# the geometry of the data -- label spreading over the nearest-neighbour graph
# and the Gaussian mixtures fitted by EM -- are far ahead of the logistic
# regression on the 20 labeled rows; with 30 labels per class the gap narrows.
# Naive Bayes is a wrong model of the pixels and EM cannot mend it. The
# representations learned from every row (the DBN's pre-training, the VAE's
# codes) need more than a few labels to pay off on these small 8x8 images; on
# MNIST, ``benchmarks/semi_supervised_mnist.py`` compares the same models with
# 100 to 3,000 labels.
