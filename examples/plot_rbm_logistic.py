"""
========================================================
RBM features for logistic regression, against raw pixels
========================================================

A restricted Boltzmann machine learns features without labels; a linear
classifier on top of them then needs only to separate the classes in the
feature space. As in scikit-learn's own RBM example, the digits are made
harder for a linear model by adding copies shifted by one pixel up, down, left
and right: a pixel-wise linear classifier cannot follow a digit that moves,
while hidden units that detect strokes and parts can.

Three pipelines are compared on the same split:

* logistic regression on the raw pixels;
* scikit-learn's :class:`~sklearn.neural_network.BernoulliRBM` features, then
  logistic regression;
* :class:`skdeep.BernoulliRBM` features with the same settings, then
  logistic regression.

See :ref:`generative` and :ref:`rbm` in the user guide.
"""

# %%
# Shifted digits
# --------------
import time

import matplotlib.pyplot as plt
import numpy as np
from scipy.ndimage import shift
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import BernoulliRBM as SklearnRBM
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import BernoulliRBM


def nudge(X, y):
    """X and four copies shifted by one pixel."""
    images = X.reshape(-1, 8, 8)
    shifted = [
        np.stack([shift(image, offset, order=0) for image in images]).reshape(X.shape)
        for offset in [(0, 1), (0, -1), (1, 0), (-1, 0)]
    ]
    return np.concatenate([X, *shifted]), np.tile(y, 5)


X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=0)
X_train, y_train = nudge(X_train, y_train)
X_test, y_test = nudge(X_test, y_test)
print(f"{len(X_train)} training and {len(X_test)} test images")

# %%
# The pipelines
# -------------
# The two RBMs get the same settings: 100 hidden units, 10 epochs of
# persistent contrastive divergence (scikit-learn's only method) with
# learning rate 0.06 on batches of 10.
rbm_settings = dict(n_components=100, learning_rate=0.06, batch_size=10, n_iter=10,
                    random_state=0)
# The classifier standardizes its inputs first, which lets its solver
# converge in few iterations.
def classifier():
    return [StandardScaler(), LogisticRegression(max_iter=1000)]


models = {
    "raw pixels": make_pipeline(*classifier()),
    "scikit-learn RBM": make_pipeline(SklearnRBM(**rbm_settings), *classifier()),
    "skdeep RBM": make_pipeline(BernoulliRBM(method="pcd", **rbm_settings),
                                *classifier()),
}

accuracy = {}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    accuracy[name] = model.score(X_test, y_test)
    print(f"{name:18s} test accuracy {accuracy[name]:.3f}   (fit {seconds:.1f} s)")

# %%
# Draw the comparison
# -------------------
fig, ax = plt.subplots(figsize=(6, 2.4))
names = list(accuracy)
ax.barh(names, [accuracy[n] for n in names], color=["grey", "tab:orange", "tab:blue"])
for i, name in enumerate(names):
    ax.text(accuracy[name] - 0.005, i, f"{accuracy[name]:.3f}", va="center",
            ha="right", color="white")
ax.invert_yaxis()
ax.set_xlim(0.5, 1.0)
ax.set_xlabel("test accuracy on shifted digits")
fig.tight_layout()

# %%
# On shifted digits the RBM features lift logistic regression well above
# what it reaches on the pixels: the hidden units respond to a stroke
# wherever the few pixels it covers put it, which a single linear layer on
# the pixels cannot do. skdeep's RBM gives the same accuracy as
# scikit-learn's at the same settings: it is a drop-in replacement that also
# offers CD-k, momentum, weight decay and a true log-likelihood.
