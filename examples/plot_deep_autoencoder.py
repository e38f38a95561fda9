"""
=============================================================
A deep autoencoder: reconstructions and 2-D codes against PCA
=============================================================

Hinton and Salakhutdinov (2006) reduced images to a few numbers with a deep
autoencoder: pre-train a stack of RBMs (the top one with linear units, for a
real-valued code), unroll it into an encoder and a decoder with the
transposed weights, and fine-tune the whole net on the reconstruction.

Here :class:`skdeep.DBNAutoencoder` squeezes the 64-pixel digits through a
64-128-64-**2** encoder. Two numbers per image are enough to draw the codes
as a map and to compare, at equal size, with the best linear method, PCA with
two components.

See :ref:`dbn_autoencoder` in the user guide.
"""

# %%
# Fit the autoencoder and PCA
# ---------------------------
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning

from skdeep import DBNAutoencoder
from skdeep.plotting import plot_reconstructions

X, y = load_digits(return_X_y=True)
X = X / 16.0
# a fixed budget of fine-tuning epochs; do not warn that it could go on
warnings.filterwarnings("ignore", category=ConvergenceWarning)

autoencoder = DBNAutoencoder(
    hidden_layer_sizes=(128, 64, 2), pretraining="rbm", pretrain_n_iter=20,
    pretrain_batch_size=20, learning_rate_init=0.003, batch_size=50, max_iter=100,
    random_state=0,
).fit(X)
pca = PCA(n_components=2).fit(X)

codes = {"PCA": pca.transform(X), "deep autoencoder": autoencoder.transform(X)}
reconstructions = {
    "PCA": pca.inverse_transform(codes["PCA"]),
    "deep autoencoder": autoencoder.inverse_transform(codes["deep autoencoder"]),
}
for name, X_rec in reconstructions.items():
    error = ((X_rec - X) ** 2).sum(axis=1).mean()
    print(f"{name:17s} squared reconstruction error per image: {error:.2f}")

# %%
# Reconstructions from two numbers
# --------------------------------
axes = plot_reconstructions(
    X, reconstructions["PCA"], reconstructions["deep autoencoder"], n_images=10,
    row_labels=["original", "PCA (2)", "autoencoder (2)"])
axes[0, 0].figure.suptitle("Digits rebuilt from a 2-number code")

# %%
# The 2-D codes, coloured by digit
# --------------------------------
# Neither method saw the labels.
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
for ax, (name, Z) in zip(axes, codes.items()):
    points = ax.scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=6)
    ax.set_title(f"{name} codes")
    ax.set_xticks([])
    ax.set_yticks([])
fig.colorbar(points, ax=axes, ticks=range(10), label="digit")

# %%
# A linear projection to two dimensions keeps the two directions of largest
# variance and mixes most classes; its reconstructions are blurred averages.
# The non-linear encoder places the digits in separate regions of the plane,
# and its decoder turns a point back into a recognizable digit, with about
# half of PCA's squared error.
