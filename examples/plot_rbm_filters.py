"""
===================================
The filters an RBM learns on digits
===================================

Each hidden unit of a restricted Boltzmann machine has one weight per pixel.
Drawn as an 8x8 image, the weights show what the unit responds to: the
probability that it turns on is ``sigmoid(c_j + W_j . v)``, high when the image
has ink where the weights are positive (red) and none where they are negative
(blue). Trained on digits without labels, the units become detectors of
strokes, loops and parts of digits.

See :ref:`rbm` in the user guide.
"""

# %%
# Fit an RBM on the digits scaled to [0, 1]
# -----------------------------------------
from sklearn.datasets import load_digits

from skdeep import BernoulliRBM
from skdeep.plotting import plot_filters

X, _ = load_digits(return_X_y=True)
X = X / 16.0

rbm = BernoulliRBM(
    n_components=50, learning_rate=0.1, batch_size=10, n_iter=20,
    method="cd", k=1, random_state=0,
)
rbm.fit(X)
print(f"reconstruction error per image after {rbm.n_iter_} epochs: "
      f"{rbm.loss_curve_[-1]:.2f}")

# %%
# Draw the filters
# ----------------
# Each panel is one row of ``components_``; the colour scale of each panel is
# symmetric around zero.
axes = plot_filters(rbm, n_cols=10)
axes[0].figure.suptitle("50 filters of a BernoulliRBM trained on digits")

# %%
# Before training the weights are small random numbers, ``0.01 N(0, 1)``:
# noise. After training with CD-1, most filters are localized: a stroke or a
# blob of positive weights (red) next to negative ones (blue), so that the
# unit fires for ink in one place and its absence next to it. Such units
# detect pieces of digits, and a digit turns on the few that match its parts.
