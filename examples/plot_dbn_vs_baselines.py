"""
==================================================================
A DBN classifier against naive Bayes, Gaussian mixtures and an MLP
==================================================================

Generative classifiers model each class's images and classify by Bayes'
rule; discriminative ones learn the decision directly. A deep belief network
classifier does both in turn: it learns the images without labels (greedy
RBM pre-training) and then fine-tunes the whole network on the labels.

On one train/test split of the digits we compare:

* Bernoulli and Gaussian naive Bayes, which take the pixels as independent
  within a class;
* :class:`skdeep.GaussianMixtureClassifier`, a Gaussian mixture per class
  with full covariances, on a 30-component PCA of the pixels;
* scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` from random
  weights;
* :class:`skdeep.DBNClassifier` with the same hidden layers, pre-trained as a
  DBN, then fine-tuned.

See :ref:`baselines`, :ref:`dbn` and :ref:`fine_tuning` in the user guide.
"""

# %%
# The models
# ----------
import time
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import BernoulliNB, GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline

from skdeep import DBNClassifier, GaussianMixtureClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
# the networks get a fixed budget of epochs; do not warn that they could go on
warnings.filterwarnings("ignore", category=ConvergenceWarning)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0)

hidden = (128, 64)
models = {
    "BernoulliNB": BernoulliNB(),
    "GaussianNB": GaussianNB(),
    "PCA(30) + GaussianMixtureClassifier": make_pipeline(
        PCA(n_components=30, random_state=0),
        GaussianMixtureClassifier(n_components=2, random_state=0)),
    "MLPClassifier (random init)": MLPClassifier(
        hidden_layer_sizes=hidden, activation="logistic", learning_rate_init=0.01,
        max_iter=60, random_state=0),
    "DBNClassifier (RBM pre-training)": DBNClassifier(
        hidden_layer_sizes=hidden, pretraining="rbm", pretrain_n_iter=10,
        learning_rate_init=0.01, max_iter=60, random_state=0),
}

accuracy, seconds = {}, {}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds[name] = time.perf_counter() - start
    accuracy[name] = model.score(X_test, y_test)
    print(f"{name:36s} accuracy {accuracy[name]:.3f}  fit {seconds[name]:5.1f} s")

# %%
# Draw the comparison
# -------------------
names = sorted(accuracy, key=accuracy.get)
fig, ax = plt.subplots(figsize=(7, 3))
bars = ax.barh(names, [accuracy[n] for n in names], color="tab:blue")
ax.bar_label(bars, [f"{accuracy[n]:.3f}" for n in names], padding=3)
ax.set_xlim(0.7, 1.02)
ax.set_xlabel("test accuracy on digits")
fig.tight_layout()

# %%
# Naive Bayes is the fastest and the weakest: pixels of a digit are far from
# independent. Modelling their correlations with a full-covariance mixture
# per class closes most of the gap, which shows how much a better generative
# model buys. The two networks are best; the DBN's pre-training gives its
# fine-tuning a start that already describes the digits.
