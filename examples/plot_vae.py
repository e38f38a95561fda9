"""
===================================================
The variational autoencoder: samples and latent map
===================================================

A variational autoencoder (Kingma and Welling 2014) is a generative model: a
code ``z`` drawn from a standard normal is decoded into the probabilities of
the pixels. An encoder network gives, for each image, a Gaussian posterior
over its code, and both networks are trained on the evidence lower bound
(ELBO) through the reparameterization ``z = mu + sigma * eps``.

With a 2-dimensional code the whole latent space can be drawn: we fit
:class:`skdeep.VariationalAutoencoder` on the digits, draw the posterior means
of the images coloured by digit, decode a grid of codes, and sample.

See :ref:`vae` in the user guide.
"""

# %%
# Fit the model
# -------------
import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import norm
from sklearn.datasets import load_digits

from skdeep import VariationalAutoencoder
from skdeep.plotting import plot_images, plot_samples

X, y = load_digits(return_X_y=True)
X = X / 16.0
vae = VariationalAutoencoder(
    encoder_layer_sizes=(128,), n_components=2, learning_rate=0.003,
    batch_size=50, max_iter=150, random_state=0,
).fit(X)
print(f"mean ELBO: {vae.score(X):.2f} nats per image")
vae.set_params(n_importance_samples=50)
print(f"mean importance-weighted bound (K=50): {vae.score(X):.2f} nats per image")

# %%
# The latent map
# --------------
# ``transform`` returns the posterior mean of each image's code.
Z = vae.transform(X)
fig, ax = plt.subplots(figsize=(5, 4.5))
points = ax.scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=6)
fig.colorbar(points, ax=ax, ticks=range(10), label="digit")
ax.set_xlabel("z[0]")
ax.set_ylabel("z[1]")
ax.set_title("posterior means of the digits")

# %%
# Decoding a grid of codes
# ------------------------
# Codes at the quantiles of the prior, so the grid covers the region the
# prior gives most of its mass; ``inverse_transform`` decodes each one.
n = 12
grid = norm.ppf(np.linspace(0.03, 0.97, n))
codes = np.array([[z0, z1] for z1 in grid[::-1] for z0 in grid])
axes = plot_images(vae.inverse_transform(codes), n_cols=n, vmin=0, vmax=1)
axes[0].figure.suptitle("decoder means over a grid of 2-D codes")

# %%
# Samples
# -------
# ``sample`` draws ``z`` from the prior and decodes it; ``mean=True`` returns
# the pixel probabilities instead of a binary draw from them.
axes = plot_samples(vae, 20, mean=True, random_state=0)
axes[0].figure.suptitle("samples from the VAE")

# %%
# The codes of each digit gather in a region of the plane, and moving across
# the grid morphs one digit into the next: the decoder is a smooth map from
# the plane onto the digits. The importance-weighted bound is above the ELBO,
# as it must be: both are lower bounds on ``log p(x)``, the second tighter.
