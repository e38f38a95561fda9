"""The one seam between the kernels and array libraries: namespace, device, dtypes.

The kernels are written once against the namespace ``xp`` of the arrays they
are given, found here by :func:`get_namespace`: numpy itself for numpy arrays
(and scipy sparse matrices), otherwise the array API namespace that
``array_api_compat`` gives for the arrays (PyTorch tensors, CuPy arrays,
array-api-strict arrays). Nothing here or in the kernels imports scikit-learn;
``array_api_compat`` is imported only when an array other than numpy's arrives
(the ``torch`` and ``cupy`` extras install it).

The kernels' ``xp`` is the standard namespace with one extension: its
element-wise functions and ``matmul`` take ``out=``. numpy, CuPy and PyTorch
(through ``array_api_compat``) take it natively, so the numpy code path is the
same sequence of numpy calls, into the same preallocated buffers, whatever the
library; for any other library the result is computed and then assigned into
``out``.

The few operations the standard lacks or that numpy does faster its own way
(row-wise dot products, log-sum-exp, ``xlogy``, the logistic function, memory
overlap, floating-point error states) are functions here with a numpy branch,
so that numpy's results and speed do not change.
"""

import contextlib
import importlib
from numbers import Number

import numpy as np
import scipy.sparse as sp
from scipy.special import expit as _np_expit
from scipy.special import logsumexp as _np_logsumexp
from scipy.special import xlogy as _np_xlogy

#: namespaces whose element-wise functions and ``matmul`` take ``out=`` themselves
_NATIVE_OUT = {"numpy", "array_api_compat.numpy", "array_api_compat.cupy", "cupy",
               "array_api_compat.torch"}
_wrapped = {}


def _array_api_compat():
    try:
        import array_api_compat
    except ImportError as exc:  # pragma: no cover - the extras install it
        raise ImportError(
            "Arrays other than numpy's need the package array-api-compat: "
            "pip install scikit-deep[torch] (or scikit-deep[cupy])."
        ) from exc
    return array_api_compat


def _is_numpy_like(a):
    return (a is None or isinstance(a, (np.ndarray, np.generic, Number, list, tuple))
            or sp.issparse(a))


def get_namespace(*arrays):
    """The namespace ``xp`` of ``arrays``: numpy itself when they are numpy arrays,
    scipy sparse matrices, scalars or None, else the ``array_api_compat``
    namespace of the others (which must share one library), its functions
    taking ``out=``."""
    for a in arrays:
        if type(a) is not np.ndarray and not _is_numpy_like(a):
            break
    else:
        return np
    others = [a for a in arrays if not _is_numpy_like(a)]
    xp = _array_api_compat().array_namespace(*others)
    if xp.__name__ in _NATIVE_OUT:
        return xp
    if xp.__name__ not in _wrapped:
        _wrapped[xp.__name__] = _AssignOut(xp)
    return _wrapped[xp.__name__]


class _AssignOut:
    """The namespace ``xp`` with ``out=`` on every function: the result is
    computed, cast to ``out``'s dtype where it differs (a comparison written
    into a float buffer) and assigned into ``out``."""

    def __init__(self, xp):
        self._xp = xp
        self.__name__ = xp.__name__

    def __getattr__(self, name):
        attr = getattr(self._xp, name)
        if not callable(attr) or isinstance(attr, type):
            return attr
        xp = self._xp

        def call(*args, out=None, **kwargs):
            result = attr(*args, **kwargs)
            if out is None:
                return result
            if result.dtype != out.dtype:
                result = xp.astype(result, out.dtype)
            out[...] = result
            return out

        call.__name__ = name
        setattr(self, name, call)
        return call


def namespace_by_name(name):
    """The kernels' namespace for a library's module name (``"numpy"``,
    ``"array_api_compat.torch"``, ...), e.g. after unpickling."""
    if name == "numpy":
        return np
    xp = importlib.import_module(name)
    if name in _NATIVE_OUT:
        return xp
    return _wrapped.setdefault(name, _AssignOut(xp))


def is_numpy(xp):
    """Whether ``xp`` is numpy itself (the kernels' numpy code path)."""
    return xp is np


def device(x):
    """The device of ``x`` (``"cpu"`` for numpy arrays and sparse matrices)."""
    if _is_numpy_like(x):
        return "cpu"
    return _array_api_compat().device(x)


def is_cpu(dev):
    """Whether ``dev`` is the host: numpy's ``"cpu"``, PyTorch's CPU device,
    array-api-strict's devices (all in host memory)."""
    name = str(getattr(dev, "type", dev)).lower()
    return name == "cpu" or "cpu_device" in name or name.startswith("array_api_strict")


# ------------------------------------------------------------------- creation
def empty(shape, dtype, like=None):
    """Uninitialised array of ``shape`` in ``like``'s namespace and on its device
    (numpy when ``like`` is None)."""
    xp = get_namespace(like)
    if xp is np:
        return np.empty(shape, dtype=dtype)
    return xp.empty(shape, dtype=dtype, device=device(like))


def zeros(shape, dtype, like=None):
    """Zeros of ``shape`` in ``like``'s namespace and on its device."""
    xp = get_namespace(like)
    if xp is np:
        return np.zeros(shape, dtype=dtype)
    return xp.zeros(shape, dtype=dtype, device=device(like))


def full(shape, value, dtype, like=None):
    """``value`` everywhere, in ``like``'s namespace and on its device."""
    xp = get_namespace(like)
    if xp is np:
        return np.full(shape, value, dtype=dtype)
    return xp.full(shape, value, dtype=dtype, device=device(like))


def asarray(obj, dtype=None, like=None):
    """``obj`` (an array of any library, a list, a numpy array) as an array of
    ``like``'s namespace on its device; a host round trip when ``obj`` lives
    elsewhere, so for set-up, never inside a training loop."""
    xp = get_namespace(like)
    if xp is np:
        return np.asarray(to_numpy(obj), dtype=dtype)
    if not _is_numpy_like(obj) and get_namespace(obj) is not xp:
        obj = to_numpy(obj)
    return xp.asarray(obj, dtype=dtype, device=device(like))


def to_numpy(x):
    """``x`` as a numpy array on the host (a copy unless it is one already)."""
    if _is_numpy_like(x):
        return np.asarray(x)
    module = type(x).__module__
    if module.startswith("torch"):
        return x.detach().cpu().numpy()
    if module.startswith("cupy"):
        return x.get()
    return np.from_dlpack(x)


def astype(x, dtype, copy=True):
    """``x`` cast to ``dtype`` (no copy when ``copy=False`` and it has that dtype)."""
    xp = get_namespace(x)
    if xp is np:
        return np.array(x, dtype=dtype) if copy else np.asarray(x, dtype=dtype)
    return xp.astype(x, dtype, copy=copy)


def copy(x):
    """A copy of ``x``."""
    xp = get_namespace(x)
    return x.copy() if xp is np else xp.asarray(x, copy=True)


def concat(arrays, axis=0):
    """The arrays joined along ``axis``."""
    xp = get_namespace(*arrays)
    if xp is np:
        return np.concatenate(arrays, axis=axis)
    return xp.concat(arrays, axis=axis)


def reshape(x, shape):
    """``x`` with a new shape (a view where the library can)."""
    xp = get_namespace(x)
    return x.reshape(shape) if xp is np else xp.reshape(x, shape)


# --------------------------------------------------------------------- dtypes
def float_dtypes(xp, dev=None):
    """The real floating dtypes ``xp`` supports on ``dev``, widest first
    (``(float32,)`` on devices without float64, such as Apple's MPS)."""
    if xp is np:
        return (np.float64, np.float32)
    supported = xp.__array_namespace_info__().dtypes(kind="real floating", device=dev)
    return tuple(supported[name] for name in ("float64", "float32") if name in supported)


def widest_float(xp, dev=None):
    """float64 where ``dev`` supports it, else float32: the dtype of
    accumulations such as log Z."""
    return float_dtypes(xp, dev)[0]


def default_float(xp, dev=None):
    """The dtype a model gets from input that is not floating point: float64 on
    the host, float32 on an accelerator (where float64 is slow or missing)."""
    return float_dtypes(xp, dev)[0] if is_cpu(dev or "cpu") else xp.float32


def noise_dtype(xp):
    """dtype of the uniform and normal draws of Gibbs sampling: float32, whatever
    the model's dtype (faster draws, and a float32 and a float64 model fitted
    with the same seed see the same random numbers)."""
    return xp.float32


# ------------------------------------------------------------------- scalars
def scalars(xp, *values):
    """``values`` as ``xp``'s arrays take scalars: unchanged for numpy (a numpy
    float64 scalar makes numpy compute in float64, so its type is part of the
    result), Python floats for the others (the standard's scalars)."""
    if xp is np:
        return values if len(values) > 1 else values[0]
    values = tuple(float(v) for v in values)
    return values if len(values) > 1 else values[0]


def as_scalar(x):
    """A reported value (a loss, an error): a Python float for numpy; for other
    libraries the 0-d array itself, left on its device, so that a training loop
    does not wait for the device at every batch (``float()`` it when needed)."""
    return float(x) if get_namespace(x) is np else x


# ------------------------------------------------------- numpy's own fast paths
def errstate(xp, **kwargs):
    """numpy's floating-point error state for numpy, nothing for the others."""
    return np.errstate(**kwargs) if xp is np else contextlib.nullcontext()


def may_share_memory(a, b):
    """Whether ``a`` and ``b`` may overlap in memory (False when unknown: the
    caller then copies, which is always correct)."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        return np.may_share_memory(a, b)
    return False


_EINSUM = {(2, 1): "ij,ij->i", (2, 0): "ij,ij->j", (2, None): "ij,ij->",
           (1, None): "i,i->", (1, 0): "i,i->"}


def vecdot(a, b, axis=-1):
    """sum(a * b) along ``axis`` (over all elements when None), for real arrays
    of equal shape; numpy uses ``einsum``."""
    xp = get_namespace(a, b)
    if xp is np:
        key = (a.ndim, axis % a.ndim if axis is not None else None)
        if key in _EINSUM:
            return np.einsum(_EINSUM[key], a, b)
        return np.sum(a * b, axis=axis)
    if axis is None:
        return xp.sum(a * b)
    return xp.vecdot(a, b, axis=axis - a.ndim if axis >= 0 else axis)


def squared_norm(x):
    """sum(x ** 2) over all elements, as a reported scalar (see :func:`as_scalar`)."""
    xp = get_namespace(x)
    if xp is np:
        return float(np.vdot(x, x))
    return xp.sum(x * x)


def logsumexp(x, axis=None):
    """log(sum(exp(x))) along ``axis`` without overflow (scipy's for numpy)."""
    xp = get_namespace(x)
    if xp is np:
        return _np_logsumexp(x, axis=axis)
    m = xp.max(x, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    s = xp.sum(xp.exp(x - m), axis=axis, keepdims=True)
    out = xp.log(s) + m
    return xp.squeeze(out, axis=axis) if axis is not None else xp.reshape(out, ())


def xlogy(x, y):
    """x * log(y), 0 where x == 0 (scipy's for numpy)."""
    xp = get_namespace(x, y)
    if xp is np:
        return _np_xlogy(x, y)
    return xp.where(x == 0, xp.zeros_like(y), x * xp.log(y))


def expit(x):
    """The logistic function 1 / (1 + exp(-x)) (scipy's for numpy)."""
    xp = get_namespace(x)
    if xp is np:
        return _np_expit(x)
    return 1.0 / (1.0 + xp.exp(-x))

