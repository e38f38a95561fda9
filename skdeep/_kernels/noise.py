"""Input corruption of denoising autoencoders (Vincent et al. 2008):
``NOISES[name](X, level, rng)`` returns a corrupted copy of ``X``, dtype,
namespace and device kept."""

from .backend import astype, get_namespace, scalars
from .draws import normal, random


def gaussian(X, level, rng):
    """Additive isotropic Gaussian noise: x + level * N(0, I)."""
    noisy = normal(rng, X.shape, X.dtype, like=X)
    noisy *= scalars(get_namespace(X), level)
    noisy += X
    return noisy


def masking(X, level, rng):
    """Masking noise: each input set to 0 with probability ``level`` (no rescaling,
    unlike inverted dropout)."""
    level = scalars(get_namespace(X), level)
    return X * astype(random(rng, X.shape, X.dtype, like=X) >= level, X.dtype)


NOISES = {"gaussian": gaussian, "masking": masking}
