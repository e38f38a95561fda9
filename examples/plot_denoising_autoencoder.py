"""
=======================================
A denoising autoencoder on noisy digits
=======================================

An autoencoder trained to reproduce its input can get away with copying it.
A *denoising* autoencoder sees a corrupted input and must return the clean
one (Vincent et al. 2008), so it has to learn what digits look like, and it
can then clean up noisy images it has never seen.

We train two :class:`skdeep.Autoencoder` s with 128 hidden units on the
training digits, one plain (``noise=None``) and one denoising
(``noise='gaussian'``, standard deviation 0.3), and give both test digits with
Gaussian noise added.

See :ref:`denoising_autoencoder` in the user guide.
"""

# %%
# Train the two autoencoders
# --------------------------
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skdeep import Autoencoder
from skdeep.plotting import plot_reconstructions

X, _ = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test = train_test_split(X, test_size=0.3, random_state=0)

settings = dict(n_components=128, optimizer="adam", learning_rate=0.003,
                batch_size=20, n_iter=60, random_state=0)
plain = Autoencoder(noise=None, **settings).fit(X_train)
denoising = Autoencoder(noise="gaussian", noise_level=0.3, **settings).fit(X_train)

# %%
# Clean up noisy test digits
# --------------------------
# The noise is the kind the denoising autoencoder was trained with; pixel
# values are clipped to [0, 1], the range the models expect.
rng = np.random.default_rng(0)
X_noisy = np.clip(X_test + 0.3 * rng.standard_normal(X_test.shape), 0, 1)
outputs = {
    "noisy input": X_noisy,
    "plain autoencoder": plain.inverse_transform(plain.transform(X_noisy)),
    "denoising autoencoder": denoising.inverse_transform(denoising.transform(X_noisy)),
}
for name, X_out in outputs.items():
    error = ((X_out - X_test) ** 2).sum(axis=1).mean()
    print(f"{name:22s} squared error to the clean digit, per image: {error:.2f}")

axes = plot_reconstructions(X_test, *outputs.values(), n_images=10,
                            row_labels=["clean", "noisy", "plain AE", "denoising AE"])
axes[0, 0].figure.suptitle("Noisy test digits through two autoencoders")

# %%
# With twice as many hidden units as pixels, the plain autoencoder comes
# close to the identity: it passes much of the noise through along with the
# digit. The denoising autoencoder has learned to map a corrupted digit back
# towards the clean digits it was trained on: its output is much closer to
# the clean test digit than the noisy input is, and closer than the plain
# autoencoder's.
