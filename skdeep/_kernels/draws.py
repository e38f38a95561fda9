"""The one source of random numbers of the kernels, on the arrays' device.

The array API standard has no random module. Every draw of the kernels goes
through the functions here, which take a generator ``rng`` made once per fit
by :func:`generator` from the estimator's ``numpy.random.Generator``:

* numpy arrays: that ``numpy.random.Generator`` itself (so numpy results do
  not change);
* PyTorch tensors: a :class:`TorchGenerator`, a ``torch.Generator`` on the
  tensors' device seeded from the numpy generator;
* CuPy arrays: a :class:`CupyGenerator` (``cupy.random.RandomState`` on the
  arrays' device);
* other libraries (array-api-strict): a :class:`HostGenerator`, which draws
  with numpy exactly as the numpy path does and copies the numbers over.

A fixed ``random_state`` thus gives the same draws, hence the same model, on
the same device and library. A numpy generator may also be given with another
library's arrays: the numbers are then numpy's, copied to the device (a host
round trip: for tests and set-up, not for a training loop).

The generator classes answer the calls estimators make on a numpy generator
(``random``, ``standard_normal``, ``uniform``, ``permutation``, ``integers``),
draw on their device (``integers``, used for seeds, returns host integers), and
pickle with their state.
"""

import numpy as np

from .backend import device, get_namespace, namespace_by_name, widest_float

#: bit generators whose raw output is 64 random bits (MT19937's is 32)
_RAW_64_BIT = (np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox)
_ONE_FLOAT32_BITS = 0x3F800000  # the bit pattern of 1.0f
_SEED_HIGH = np.iinfo(np.int64).max


def generator(random_state=None, like=None):
    """The generator of the kernels for arrays like ``like`` (numpy when None).

    ``random_state`` is a ``numpy.random.Generator`` (an estimator's, from its
    ``random_state``), an int or None; a generator of this module is returned
    as it is. For numpy the ``numpy.random.Generator`` itself is returned; for
    other libraries one draw from it seeds the library's own generator.
    """
    if isinstance(random_state, _DeviceGenerator):
        return random_state
    rng = (random_state if isinstance(random_state, np.random.Generator)
           else np.random.default_rng(random_state))
    xp = get_namespace(like)
    if xp is np:
        return rng
    name, dev = xp.__name__, device(like)
    if name.endswith("torch"):
        return TorchGenerator(seed(rng), dev)
    if name.endswith("cupy"):
        return CupyGenerator(seed(rng), dev)
    return HostGenerator(rng, name, dev)


def is_generator(obj):
    """Whether ``obj`` is a generator the kernels draw from (numpy's or one of
    this module's)."""
    return isinstance(obj, (np.random.Generator, _DeviceGenerator))


def seed(rng):
    """One integer in [0, 2**63 - 1) from ``rng``, to seed another generator."""
    return int(rng.integers(_SEED_HIGH))


# ------------------------------------------------------------ in-place draws
def uniform(rng, out):
    """Fill ``out`` with uniform draws on [0, 1); returns ``out``.

    numpy: for a contiguous float32 ``out`` and a 64-bit bit generator, each raw
    64-bit word gives two floats: 23 random bits as the mantissa of a number in
    [1, 2), minus 1 (resolution 2**-23). That is about twice as fast as
    ``rng.random(dtype=np.float32, out=out)``; other cases call it.
    """
    if isinstance(rng, np.random.Generator):
        if type(out) is np.ndarray:
            return _numpy_uniform(rng, out)
        return _assign(out, _numpy_uniform(rng, np.empty(out.shape, _numpy_dtype(out.dtype))))
    return rng.fill_uniform(out)


def standard_normal(rng, out):
    """Fill ``out`` with standard normal draws; returns ``out``."""
    if isinstance(rng, np.random.Generator):
        if type(out) is np.ndarray:
            return rng.standard_normal(dtype=out.dtype, out=out)
        buf = rng.standard_normal(out.shape, dtype=_numpy_dtype(out.dtype))
        return _assign(out, buf)
    return rng.fill_normal(out)


def bernoulli(rng, p, out, noise):
    """Fill ``out`` with 1 where a uniform draw is below ``p``, else 0;
    ``noise`` is a scratch buffer of ``p``'s shape for the draws. (Not
    ``torch.bernoulli``: a NaN probability, from a diverged model, must give a
    sample that the divergence check then sees, not an error on the device.)"""
    xp = get_namespace(p, out)
    return xp.less(uniform(rng, noise), p, out=out)


# ------------------------------------------------------------ new arrays
def random(rng, shape, dtype, like=None):
    """Uniform draws on [0, 1) of ``shape`` and ``dtype``, in ``like``'s
    namespace and on its device (the generator's when None)."""
    if isinstance(rng, np.random.Generator):
        return _to_like(rng.random(shape, dtype=_numpy_dtype(dtype)), like)
    return rng.random(shape, dtype=dtype)


def normal(rng, shape, dtype=None, like=None):
    """Standard normal draws of ``shape``; ``dtype=None`` draws in the widest
    float of the device (float64 on the host, so that the numbers do not depend
    on the model's dtype)."""
    if isinstance(rng, np.random.Generator):
        if dtype is None:
            return _to_like(rng.standard_normal(shape), like)
        return _to_like(rng.standard_normal(shape, dtype=_numpy_dtype(dtype)), like)
    return rng.standard_normal(shape, dtype=dtype)


def uniform_range(rng, low, high, shape, like=None):
    """Uniform draws on [low, high) of ``shape`` in the widest float."""
    if isinstance(rng, np.random.Generator):
        return _to_like(rng.uniform(low, high, shape), like)
    return rng.uniform(low, high, shape)


def permutation(rng, n, like=None):
    """A random permutation of 0..n-1, an integer array on the device."""
    if isinstance(rng, np.random.Generator):
        return _to_like(rng.permutation(n), like)
    return rng.permutation(n)


# ----------------------------------------------------------------- helpers
def _numpy_uniform(rng, out):
    if (out.dtype != np.float32 or not out.flags.c_contiguous
            or not isinstance(rng.bit_generator, _RAW_64_BIT)):
        return rng.random(dtype=out.dtype, out=out)
    bits = out.reshape(-1).view(np.uint32)
    raw = rng.bit_generator.random_raw((bits.size + 1) // 2).view(np.uint32)
    np.right_shift(raw[: bits.size], 9, out=bits)
    np.bitwise_or(bits, _ONE_FLOAT32_BITS, out=bits)
    out -= 1
    return out


def _numpy_dtype(dtype):
    """numpy's dtype of the same name as another library's ``dtype``."""
    if isinstance(dtype, np.dtype) or (isinstance(dtype, type) and issubclass(dtype, np.generic)):
        return np.dtype(dtype)
    return np.dtype(str(dtype).rsplit(".", 1)[-1])


def _assign(out, host):
    """Copy the numpy array ``host`` into ``out`` (another library's array)."""
    xp = get_namespace(out)
    out[...] = xp.asarray(host, device=device(out))
    return out


def _to_like(host, like, xp=None, dev=None):
    """The numpy array ``host`` in ``like``'s namespace and device (or ``xp``
    on ``dev``), unchanged for numpy."""
    if xp is None:
        xp = get_namespace(like)
        dev = device(like) if like is not None else None
    if xp is np:
        return host
    return xp.asarray(host, device=dev)


class _DeviceGenerator:
    """A generator of one library's arrays on one device."""

    def integers(self, low, high=None, size=None):
        """Integers in [low, high) (or [0, low)) as host numpy integers, for seeds."""
        if high is None:
            low, high = 0, low
        return self._integers(low, high, size)


class HostGenerator(_DeviceGenerator):
    """numpy's draws, made exactly as on the numpy path, copied into the
    namespace ``xp_name`` on ``device``: the generator of libraries without
    one of their own (array-api-strict)."""

    def __init__(self, rng, xp_name, device):
        self.rng, self.xp_name, self.device = rng, xp_name, device

    def _to(self, host):
        return _to_like(host, None, namespace_by_name(self.xp_name), self.device)

    def fill_uniform(self, out):
        return uniform(self.rng, out)

    def fill_normal(self, out):
        return standard_normal(self.rng, out)

    def random(self, size=None, dtype=None):
        return self._to(random(self.rng, size, dtype or np.float64))

    def standard_normal(self, size=None, dtype=None):
        return self._to(normal(self.rng, size, dtype))

    def uniform(self, low=0.0, high=1.0, size=None):
        return self._to(self.rng.uniform(low, high, size))

    def permutation(self, n):
        return self._to(self.rng.permutation(n))

    def _integers(self, low, high, size):
        return self.rng.integers(low, high, size)


class TorchGenerator(_DeviceGenerator):
    """A ``torch.Generator`` on ``device`` seeded with ``seed``."""

    def __init__(self, seed, device):
        import torch

        self._g = torch.Generator(device=torch.device(device))
        self._g.manual_seed(seed)

    @property
    def device(self):
        return self._g.device

    def __getstate__(self):
        return {"device": str(self._g.device), "state": self._g.get_state()}

    def __setstate__(self, state):
        import torch

        self._g = torch.Generator(device=torch.device(state["device"]))
        self._g.set_state(state["state"])

    def _dtype(self, dtype):
        return dtype or widest_float(namespace_by_name("array_api_compat.torch"), self.device)

    def fill_uniform(self, out):
        return out.uniform_(generator=self._g)

    def fill_normal(self, out):
        return out.normal_(generator=self._g)

    def random(self, size=None, dtype=None):
        import torch

        return torch.rand(_shape(size), generator=self._g, dtype=self._dtype(dtype),
                          device=self.device)

    def standard_normal(self, size=None, dtype=None):
        import torch

        return torch.randn(_shape(size), generator=self._g, dtype=self._dtype(dtype),
                           device=self.device)

    def uniform(self, low=0.0, high=1.0, size=None):
        import torch

        out = torch.empty(_shape(size), dtype=self._dtype(None), device=self.device)
        return out.uniform_(low, high, generator=self._g)

    def permutation(self, n):
        import torch

        return torch.randperm(n, generator=self._g, device=self.device)

    def _integers(self, low, high, size):
        import torch

        drawn = torch.randint(low, high, _shape(size), generator=self._g, device=self.device)
        return drawn.cpu().numpy() if size is not None else int(drawn)


class CupyGenerator(_DeviceGenerator):
    """A ``cupy.random.RandomState`` on the CUDA device ``device`` seeded with ``seed``."""

    def __init__(self, seed, device):
        import cupy

        self.device = device
        with cupy.cuda.Device(getattr(device, "id", device)):
            self._rs = cupy.random.RandomState(seed)

    def fill_uniform(self, out):
        out[...] = self._rs.random_sample(out.shape, dtype=out.dtype)
        return out

    def fill_normal(self, out):
        out[...] = self._rs.standard_normal(out.shape, dtype=out.dtype)
        return out

    def random(self, size=None, dtype=None):
        return self._rs.random_sample(size, dtype=dtype or np.float64)

    def standard_normal(self, size=None, dtype=None):
        return self._rs.standard_normal(size, dtype=dtype or np.float64)

    def uniform(self, low=0.0, high=1.0, size=None):
        return self._rs.uniform(low, high, size)

    def permutation(self, n):
        return self._rs.permutation(n)

    def _integers(self, low, high, size):
        drawn = self._rs.randint(low, high, size)
        return drawn.get() if size is not None else int(drawn)


def _shape(size):
    if size is None:
        return ()
    return (size,) if isinstance(size, int) else tuple(size)
