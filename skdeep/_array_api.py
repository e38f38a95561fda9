"""The estimators' edge with scikit-learn's array API dispatch.

With ``sklearn.set_config(array_api_dispatch=True)`` an estimator given arrays
of another library (PyTorch tensors, CuPy arrays, array-api-strict arrays)
validates them in that library, computes there on their device and returns
results there; with dispatch off, or numpy input, everything is numpy as
before. These helpers do the validation part: the float dtypes to validate
to, targets moved to the namespace and device of ``X``, and the check that a
fitted model is given data of its own namespace and device. The computation
itself finds its namespace from the arrays (:mod:`skdeep._kernels.backend`).
"""

import numpy as np
from sklearn.utils.validation import check_array, validate_data

from ._compat import (
    _check_sample_weight,
    _is_numpy_namespace,
    check_same_namespace,
    get_namespace_and_device,
    move_to,
)
from ._kernels import backend

#: the float dtypes of numpy input, the widest first: integer input becomes float64
NUMPY_FLOATS = (np.float64, np.float32)


def float_dtypes(X):
    """The ``dtype=`` of ``validate_data`` for ``X``: float64 and float32 of its
    namespace, kept as they are given; other input becomes float64 on the host
    and float32 on an accelerator (where float64 is slow, or missing: a device
    without float64 offers float32 alone)."""
    xp, is_array_api, dev = get_namespace_and_device(X)
    if not is_array_api or _is_numpy_namespace(xp):
        return NUMPY_FLOATS
    floats = backend.float_dtypes(xp, dev)
    return floats if backend.is_cpu(dev) else floats[::-1]


def validate_X(estimator, X, *, reset, **kwargs):
    """``validate_data(estimator, X)`` to a float dtype of ``X``'s namespace."""
    return validate_data(estimator, X, dtype=float_dtypes(X), reset=reset, **kwargs)


def check_X(X, **kwargs):
    """``check_array(X)`` to a float dtype of ``X``'s namespace."""
    return check_array(X, dtype=float_dtypes(X), **kwargs)


def validate_X_y(estimator, X, y, *, reset, **kwargs):
    """``validate_data(estimator, X, y)`` to a float dtype of ``X``'s namespace,
    ``y`` moved to ``X``'s namespace and device unless its labels are strings
    (which stay numpy, as scikit-learn's ``classes_``)."""
    X, y = validate_data(estimator, X, y, dtype=float_dtypes(X), reset=reset, **kwargs)
    return X, to_namespace_of(y, X)


def to_namespace_of(a, X):
    """``a`` in the namespace and on the device of ``X`` (array API dispatch on),
    unless ``a`` holds strings or objects; unchanged otherwise."""
    if a is None or getattr(getattr(a, "dtype", None), "kind", None) in ("O", "U", "S"):
        return a
    xp, is_array_api, dev = get_namespace_and_device(X)
    if not is_array_api:
        return a
    a_xp, _, a_dev = get_namespace_and_device(a)
    if a_xp is xp and a_dev == dev:
        return a
    return move_to(a, xp=xp, device=dev)


def check_fitted_namespace(estimator, X, attribute, method):
    """Raise when ``X`` is not in the namespace and on the device the model
    was fitted in (array API dispatch on), naming ``estimator.method()``."""
    check_same_namespace(X, estimator, attribute=attribute, method=method)


def check_weights(sample_weight, X):
    """``sample_weight`` as an array of ``X``'s dtype, namespace and device
    (scikit-learn's checks: one non-negative finite value per row), or None."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, (list, tuple)):
        sample_weight = np.asarray(sample_weight)
    return to_namespace_of(_check_sample_weight(sample_weight, X, dtype=X.dtype,
                                                ensure_non_negative=True), X)
