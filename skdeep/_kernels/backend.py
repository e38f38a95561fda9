"""The one seam between the kernels and array libraries: namespace, device, dtypes.

The kernels are written once against the namespace ``xp`` of the arrays they
are given, found here by :func:`get_namespace`: numpy itself for numpy arrays
(and scipy sparse matrices), otherwise the array API namespace that
``array_api_compat`` gives for the arrays (PyTorch tensors, CuPy arrays,
array-api-strict arrays). Nothing here or in the kernels imports scikit-learn;
``array_api_compat`` is imported only when an array other than numpy's arrives
(the ``torch`` extra installs it).

The kernels' ``xp`` is the standard namespace with one extension: its
element-wise functions and ``matmul`` take ``out=``. numpy, CuPy and PyTorch
(through ``array_api_compat``) take it natively, so the numpy code path is the
same sequence of numpy calls, into the same preallocated buffers, whatever the
library; for any other library the result is computed and then assigned into
``out``. PyTorch's namespace also calls PyTorch's own functions for the
element-wise calls of a training step and has its fused ``sigmoid``
(:func:`_torch_namespace`).

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
from scipy.special import expit as _np_expit, logsumexp as _np_logsumexp, xlogy as _np_xlogy

#: namespaces whose element-wise functions and ``matmul`` take ``out=`` themselves
_NATIVE_OUT = {"numpy", "array_api_compat.numpy", "array_api_compat.cupy", "cupy",
               "array_api_compat.torch"}


def _array_api_compat():
    try:
        import array_api_compat
    except ImportError as exc:  # pragma: no cover - the extras install it
        raise ImportError(
            "Arrays other than numpy's need the package array-api-compat: "
            "pip install scikit-deep[torch] (with CuPy: pip install array-api-compat)."
        ) from exc
    return array_api_compat


def _is_numpy_like(a):
    return (a is None or isinstance(a, (np.ndarray, np.generic, Number, list, tuple))
            or sp.issparse(a))


def get_namespace(*arrays):
    """The namespace ``xp`` of ``arrays``: numpy itself when they are numpy arrays,
    scipy sparse matrices, scalars or None, else the ``array_api_compat``
    namespace of the others (which must share one library), its functions
    taking ``out=``. Looked up once per array type (a few hundred nanoseconds
    a call: the kernels call it at every step)."""
    xp = np
    for a in arrays:
        kind = type(a)
        if kind is np.ndarray or a is None:
            continue
        found = _by_type.get(kind)
        if found is None:
            found = _by_type[kind] = _lookup(a)
        if found is np or found is xp:
            continue
        if xp is not np:
            raise TypeError(f"Arrays of two libraries: {xp.__name__} and {found.__name__}.")
        xp = found
    return xp


#: the namespace of each array type met so far
_by_type = {}


def _lookup(a):
    if _is_numpy_like(a):
        return np
    return _kernel_namespace(_array_api_compat().array_namespace(a))


def namespace_by_name(name):
    """The kernels' namespace for a library's module name (``"numpy"``,
    ``"array_api_compat.torch"``, ...), e.g. after unpickling."""
    if name == "numpy":
        return np
    return _kernel_namespace(importlib.import_module(name))


def _kernel_namespace(xp):
    """The kernels' version of the standard namespace ``xp`` (made once)."""
    if xp.__name__ not in _kernel_namespaces:
        if xp.__name__ == "array_api_compat.torch":
            made = _torch_namespace(xp)
        elif xp.__name__ in _NATIVE_OUT:
            made = xp
        else:
            made = _AssignOut(xp)
        _kernel_namespaces[xp.__name__] = made
    return _kernel_namespaces[xp.__name__]


_kernel_namespaces = {}


class _Namespace:
    """The namespace ``xp`` with some of its functions replaced."""

    def __init__(self, xp, **functions):
        self._xp = xp
        self.__name__ = xp.__name__
        self.__dict__.update(functions)

    def __getattr__(self, name):
        return getattr(self._xp, name)


class _AssignOut(_Namespace):
    """The namespace ``xp`` with ``out=`` on every function: the result is
    computed, cast to ``out``'s dtype where it differs (a comparison written
    into a float buffer) and assigned into ``out``."""

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


def _torch_namespace(xp):
    """``array_api_compat.torch`` calling PyTorch's own functions directly for
    the calls a training step makes, where PyTorch's rules give the standard's
    result (no 0-d tensor operand; ``matmul`` of one dtype): the wrappers'
    type-promotion fixes cost more per call than a small product on a GPU,
    40% of a CD step's time at batch 100 (measured on the CPU at tiny sizes).
    It also has ``sigmoid``, PyTorch's fused logistic function (see
    :meth:`.units.BernoulliUnits.mean`)."""
    import torch

    def two_arg(native, wrapped):
        def call(x1, x2, /, **kwargs):
            if (isinstance(x1, torch.Tensor) and x1.ndim
                    and (isinstance(x2, (int, float))
                         or isinstance(x2, torch.Tensor) and x2.ndim)):
                return native(x1, x2, **kwargs)
            return wrapped(x1, x2, **kwargs)

        return call

    def matmul(x1, x2, /, **kwargs):
        if x1.dtype == x2.dtype:
            return torch.matmul(x1, x2, **kwargs)
        return xp.matmul(x1, x2, **kwargs)

    tensor_divide = two_arg(torch.div, xp.divide)

    def divide(x1, x2, /, **kwargs):
        if isinstance(x1, (int, float)) and x1 == 1 and isinstance(x2, torch.Tensor) and x2.ndim:
            return torch.reciprocal(x2, **kwargs)
        return tensor_divide(x1, x2, **kwargs)

    natives = {"add": torch.add, "subtract": torch.sub, "multiply": torch.mul, "less": torch.lt}
    return _Namespace(xp, matmul=matmul, divide=divide, sigmoid=torch.sigmoid,
                      **{name: two_arg(f, getattr(xp, name)) for name, f in natives.items()})


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
    """``x`` cast to ``dtype`` (no copy when ``copy=False`` and it has that dtype);
    a sparse matrix stays sparse."""
    if sp.issparse(x):
        return x.astype(dtype, copy=copy)
    xp = get_namespace(x)
    if xp is np:
        return np.array(x, dtype=dtype) if copy else np.asarray(x, dtype=dtype)
    return xp.astype(x, dtype, copy=copy)


def copy(x):
    """A copy of ``x``."""
    xp = get_namespace(x)
    return x.copy() if xp is np else xp.asarray(x, copy=True)


def concat(arrays, axis=0):
    """The arrays joined along ``axis`` (sparse matrices: a CSR matrix)."""
    if any(sp.issparse(a) for a in arrays):
        return (sp.vstack if axis == 0 else sp.hstack)(arrays, format="csr")
    xp = get_namespace(*arrays)
    if xp is np:
        return np.concatenate(arrays, axis=axis)
    return xp.concat(arrays, axis=axis)


def contiguous(x):
    """``x`` with its rows contiguous in memory (a copy unless they are already)."""
    xp = get_namespace(x)
    if xp is np:
        return np.ascontiguousarray(x)
    if type(x).__module__.startswith("torch"):
        return x.contiguous()
    return xp.asarray(x, copy=True)


def size(x):
    """The number of elements of ``x`` (PyTorch's ``size`` is a method)."""
    n = 1
    for d in x.shape:
        n *= int(d)
    return n


def take_rows(x, rows, dense=True):
    """The rows ``rows`` (an integer array of ``x``'s library) of ``x``; dense
    for a sparse matrix (a minibatch), so that the kernels see arrays only,
    unless ``dense`` is False (for a product with a weight matrix, which
    scipy computes from the stored values alone)."""
    if sp.issparse(x):
        return x[rows].toarray() if dense else x[rows]
    xp = get_namespace(x)
    if xp is np:
        return np.take(x, rows, axis=0)
    return xp.take(x, rows, axis=0)


def dense_chunks(X, size=2048):
    """Dense row blocks of ``X`` (array or sparse matrix)."""
    for start in range(0, X.shape[0], size):
        block = X[start : min(start + size, X.shape[0]), :]
        yield block.toarray() if sp.issparse(block) else block


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
    if len(values) == 1:
        return values[0] if xp is np else float(values[0])
    return values if xp is np else tuple(map(float, values))


def mean(x, weights=None):
    """The mean of all elements of ``x`` (weighted by ``weights``, of ``x``'s
    shape, when given), a Python float (one transfer from a device)."""
    xp = get_namespace(x)
    if weights is not None:
        return float(xp.sum(x * weights) / xp.sum(weights))
    return float(np.mean(x)) if xp is np else float(xp.mean(x))


def weight_total(weights):
    """The sum of a batch's weights, 1 where it is 0 (a batch of rows of weight
    0 then has zero statistics, not 0 / 0): a float for numpy, a 0-d array on
    the device otherwise (no transfer to the host per batch)."""
    xp = get_namespace(weights)
    total = xp.sum(weights)
    if xp is np:
        return float(total) or 1.0
    return xp.where(total > 0, total, xp.ones_like(total))


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
    """Whether the memory of ``a`` and ``b`` may overlap (numpy, PyTorch, CuPy;
    False for other libraries: the caller then copies, which is correct)."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        return np.may_share_memory(a, b)
    module = type(a).__module__
    if module != type(b).__module__:
        return False
    if module.startswith("torch"):
        if a.data_ptr() == b.data_ptr():
            return a.device == b.device
        (a0, a1), (b0, b1) = _torch_bounds(a), _torch_bounds(b)
        return a.device == b.device and a0 < b1 and b0 < a1
    if module.startswith("cupy"):
        import cupy

        return bool(cupy.may_share_memory(a, b))
    return False


def _torch_bounds(t):
    """First and one-past-last byte addresses a tensor's elements span (its
    strides are never negative)."""
    if t.numel() == 0:
        return t.data_ptr(), t.data_ptr()
    span = sum((n - 1) * s for n, s in zip(t.shape, t.stride())) + 1
    return t.data_ptr(), t.data_ptr() + span * t.element_size()


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

