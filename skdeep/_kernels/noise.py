"""Input corruption of denoising autoencoders (Vincent et al. 2008):
``NOISES[name](X, level, rng)`` returns a corrupted copy of ``X``, dtype kept."""


def gaussian(X, level, rng):
    """Additive isotropic Gaussian noise: x + level * N(0, I)."""
    noisy = rng.standard_normal(X.shape, dtype=X.dtype)
    noisy *= level
    noisy += X
    return noisy


def masking(X, level, rng):
    """Masking noise: each input set to 0 with probability ``level`` (no rescaling,
    unlike inverted dropout)."""
    return X * (rng.random(X.shape, dtype=X.dtype) >= level)


NOISES = {"gaussian": gaussian, "masking": masking}
