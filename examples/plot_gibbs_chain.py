"""
=====================================
Samples from an RBM as the chain runs
=====================================

An RBM generates data by block Gibbs sampling: draw all hidden units from
``p(h | v)``, then all visible units from ``p(v | h)``, and repeat. The chain
starts from noise (each pixel on with its average frequency in the data) and
drifts into the regions the model gives high probability: images that look
like digits.

The step is written out below with the fitted parameters, exactly as the user
guide states it (:ref:`rbm_training`); :meth:`skdeep.BernoulliRBM.sample` does the
same in one call.
"""

# %%
# Fit the model
# -------------
# Persistent contrastive divergence with 5 Gibbs steps per update explores
# the model's own distribution during training, which gives an RBM that
# samples better than one trained with CD-1.
import numpy as np
from scipy.special import expit
from sklearn.datasets import load_digits

from skdeep import BernoulliRBM
from skdeep.plotting import plot_images, plot_samples

X, _ = load_digits(return_X_y=True)
X = X / 16.0
rbm = BernoulliRBM(
    n_components=100, learning_rate=0.01, batch_size=20, n_iter=40,
    method="pcd", k=5, momentum="hinton", random_state=0,
).fit(X)

# %%
# Run the chains by hand
# ----------------------
# ``W``, ``b``, ``c`` are ``components_``, ``intercept_visible_`` and
# ``intercept_hidden_``. We keep the visible means ``p(v = 1 | h)`` at a few
# steps to draw them: they are smoother than the binary samples.
W, b, c = rbm.components_, rbm.intercept_visible_, rbm.intercept_hidden_
rng = np.random.default_rng(0)
n_chains = 6
snapshots = [0, 1, 2, 5, 10, 20, 50, 100, 500, 1000]

v = (rng.random((n_chains, X.shape[1])) < X.mean(axis=0)).astype(float)
v_mean = v
frames = {0: v}
for step in range(1, snapshots[-1] + 1):
    h = (rng.random((n_chains, W.shape[0])) < expit(v @ W.T + c)).astype(float)
    v_mean = expit(h @ W + b)
    v = (rng.random(v_mean.shape) < v_mean).astype(float)
    if step in snapshots:
        frames[step] = v_mean

# %%
# Draw the chains
# ---------------
# One row per chain, one column per snapshot.
images = np.stack([frames[s] for s in snapshots], axis=1).reshape(-1, X.shape[1])
titles = [f"step {s}" if i < len(snapshots) else ""
          for i, s in enumerate(snapshots * n_chains)]
axes = plot_images(images, n_cols=len(snapshots), titles=titles, vmin=0, vmax=1)
axes[0].figure.suptitle("Gibbs chains of a BernoulliRBM, from noise to digits")

# %%
# Independent samples
# -------------------
# :meth:`~skdeep.BernoulliRBM.sample` runs one chain per sample from the same
# base-rate start; ``mean=True`` returns the last ``p(v = 1 | h)``.
axes = plot_samples(rbm, 20, n_steps=1000, mean=True, random_state=1)
axes[0].figure.suptitle("20 samples after 1000 Gibbs steps")

# %%
# The chains stay for a while near one digit, then jump to another: the
# model's modes are separated by lower-probability regions that block Gibbs
# sampling crosses only now and then.
