"""
=======================================================
Transfer learning with frozen layers: digits 0-4 to 5-9
=======================================================

A network trained on one task computes features that serve others. We train
a :class:`skdeep.DBNClassifier` on the digits 0 to 4 only, then build
classifiers for the digits 5 to 9, which the first network never saw, from
only a few labelled images per class:

* **from scratch**: the same architecture, pre-trained as a DBN on the few
  new images and fine-tuned;
* **frozen features**: the two hidden layers of the 0-4 network kept fixed
  (``init_layers=source, n_frozen_layers=2``); only a new softmax head trains;
* **fine-tuned transfer**: the same start, with every layer free to change
  (``n_frozen_layers=0``).

See :ref:`transfer_learning` in the user guide.
"""

# %%
# The source network: digits 0 to 4
# ---------------------------------
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skdeep import DBNClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
# a fixed budget of fine-tuning epochs; do not warn that it could go on
warnings.filterwarnings("ignore", category=ConvergenceWarning)

hidden = (128, 64)
source_rows = y < 5
source = DBNClassifier(hidden_layer_sizes=hidden, pretrain_n_iter=20,
                       pretrain_batch_size=20, learning_rate_init=0.01,
                       max_iter=50, random_state=0)
source.fit(X[source_rows], y[source_rows])

# %%
# Target classifiers for digits 5 to 9, from a few labels
# -------------------------------------------------------
# Half of the images of 5-9 are the test set; the training sets take the
# first ``n`` images of each class from the other half.
X_new, y_new = X[~source_rows], y[~source_rows]
X_pool, X_test, y_pool, y_test = train_test_split(
    X_new, y_new, test_size=0.5, stratify=y_new, random_state=0)

common = dict(hidden_layer_sizes=hidden, learning_rate_init=0.01, max_iter=100,
              random_state=0)
strategies = {
    "from scratch": dict(pretraining="rbm", pretrain_n_iter=20,
                         pretrain_batch_size=5),
    "frozen features": dict(init_layers=source, n_frozen_layers=2),
    "fine-tuned transfer": dict(init_layers=source, n_frozen_layers=0),
}
labels_per_class = [2, 5, 10, 30]
accuracy = {name: [] for name in strategies}
for n in labels_per_class:
    rows = np.concatenate([np.flatnonzero(y_pool == k)[:n] for k in range(5, 10)])
    for name, params in strategies.items():
        clf = DBNClassifier(**common, **params).fit(X_pool[rows], y_pool[rows])
        accuracy[name].append(clf.score(X_test, y_test))
    print(f"{n:3d} labels per class: " + ", ".join(
        f"{name} {accuracy[name][-1]:.3f}" for name in strategies))

# %%
# Draw the comparison
# -------------------
fig, ax = plt.subplots(figsize=(6, 4))
for name, values in accuracy.items():
    ax.plot(labels_per_class, values, marker="o", label=name)
ax.set_xscale("log")
ax.minorticks_off()
ax.set_xticks(labels_per_class, [str(n) for n in labels_per_class])
ax.set_xlabel("labelled training images per class (digits 5-9)")
ax.set_ylabel(f"test accuracy on {len(y_test)} images")
ax.set_title("Transfer from a network trained on digits 0-4")
ax.legend()
fig.tight_layout()

# %%
# Transfer is not free. The features of the 0-4 network carry over poorly
# here: digits 5 to 9 are made of strokes the first network never needed,
# and its top layer was fine-tuned to tell 0-4 apart, so a head on the frozen
# features stays well below a small network trained on the new images alone
# (on 8x8 digits the raw pixels are already excellent features). Letting the
# transferred layers change (fine-tuned transfer) recovers the from-scratch
# accuracy, with or without the transferred start. Frozen feature extractors
# pay when the source task is large and broad and the target small and
# similar; this example shows how to set one up and how to check, on your own
# data, whether it pays.
