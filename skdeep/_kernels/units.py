"""Unit types of an energy-based layer: binary (Bernoulli) and linear Gaussian.

A layer of units ``u`` with bias ``a`` contributes ``phi(u; a)`` to the energy
``E(v, h) = phi_v(v; b) + phi_h(h; c) - h W v``; marginalising the layer out
against a total input ``x = a + (input from the other layer)`` gives
``log_marginal(x, a) = log sum_u exp(-phi(u; a) + u . (x - a))``.
Gaussian units have unit variance (Hinton 2010, "A practical guide to training
restricted Boltzmann machines", section 13.2).
"""

import numpy as np

LOG_2PI = float(np.log(2.0 * np.pi))

#: bit generators whose raw output is 64 random bits (MT19937's is 32)
_RAW_64_BIT = (np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox)
_ONE_FLOAT32_BITS = 0x3F800000  # the bit pattern of 1.0f


def uniform(rng, out):
    """Fill ``out`` with uniform draws on [0, 1) from the generator ``rng``.

    For a contiguous float32 ``out`` and a 64-bit bit generator, each raw 64-bit
    word gives two floats: 23 random bits as the mantissa of a number in [1, 2),
    minus 1 (resolution 2**-23). That is about twice as fast as
    ``rng.random(dtype=np.float32, out=out)``; other cases call it.
    """
    if (out.dtype != np.float32 or not out.flags.c_contiguous
            or not isinstance(rng.bit_generator, _RAW_64_BIT)):
        return rng.random(dtype=out.dtype, out=out)
    bits = out.reshape(-1).view(np.uint32)
    raw = rng.bit_generator.random_raw((bits.size + 1) // 2).view(np.uint32)
    np.right_shift(raw[: bits.size], 9, out=bits)
    np.bitwise_or(bits, _ONE_FLOAT32_BITS, out=bits)
    out -= 1
    return out


def softplus(a):
    """log(1 + exp(a)) = max(a, 0) + log(1 + exp(-|a|)): no overflow, an absolute
    error of at most one rounding of 1 + exp(-|a|), and a few times faster than
    ``np.logaddexp(0, a)``."""
    s = np.abs(a)
    np.negative(s, out=s)
    np.exp(s, out=s)
    s += 1
    np.log(s, out=s)
    s += np.maximum(a, 0)
    return s


class BernoulliUnits:
    """Binary units: p(u=1 | x) = sigmoid(x)."""

    name = "bernoulli"
    binary = True

    @staticmethod
    def mean(pre, out=None):
        """Conditional mean from the total input ``pre`` (in place when ``out is pre``).

        ``1 / (1 + exp(-pre))`` in four passes of numpy's vectorized ufuncs,
        about 2.5 times faster than ``scipy.special.expit`` in float32; where
        ``exp(-pre)`` overflows, the result is the exact limit 0.
        """
        out = np.negative(pre, out=out)
        with np.errstate(over="ignore", under="ignore"):
            np.exp(out, out=out)
        out += 1
        return np.reciprocal(out, out=out)

    @staticmethod
    def sample(mean, rng, out, noise):
        """Binary sample of ``mean``; ``noise`` is a scratch buffer of mean's shape."""
        return np.less(uniform(rng, noise), mean, out=out)

    @staticmethod
    def energy(u, a):
        """phi(u; a) = -a . u, one value per row."""
        return -(u @ a)

    @staticmethod
    def log_marginal(x, a):
        """sum_j log(1 + exp(x_j)), one value per row."""
        return softplus(x).sum(axis=1)


class GaussianUnits:
    """Linear units with unit-variance Gaussian noise: u | x ~ N(x, 1)."""

    name = "gaussian"
    binary = False

    @staticmethod
    def mean(pre, out=None):
        if out is None:
            return pre.copy()
        if out is not pre:
            out[...] = pre
        return out

    @staticmethod
    def sample(mean, rng, out, noise):
        rng.standard_normal(dtype=noise.dtype, out=noise)
        return np.add(mean, noise, out=out)

    @staticmethod
    def energy(u, a):
        """phi(u; a) = ||u - a||^2 / 2, one value per row."""
        d = u - a
        return 0.5 * np.einsum("ij,ij->i", d, d)

    @staticmethod
    def log_marginal(x, a):
        """log of the Gaussian integral: (||x||^2 - ||a||^2) / 2 + n log(2 pi) / 2."""
        n = x.shape[1]
        return 0.5 * (np.einsum("ij,ij->i", x, x) - a @ a) + 0.5 * n * LOG_2PI


UNITS = {"bernoulli": BernoulliUnits, "gaussian": GaussianUnits}
