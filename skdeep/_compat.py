"""The one place that imports private scikit-learn API.

Everything else in skdeep imports these names from here, so a change in
scikit-learn's private modules is mended in one file. The array API helpers
(``get_namespace``, ``get_namespace_and_device``, ``device``, ``move_to``,
``check_same_namespace``) are for the estimators' edge
(:mod:`skdeep._array_api`), where scikit-learn's ``array_api_dispatch``
setting decides; the kernels find their namespace themselves (:mod:`skdeep._kernels.backend`).
"""

import functools
from inspect import signature

from sklearn import config_context, get_config
from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._array_api import (
    _convert_to_numpy,
    _is_numpy_namespace,
    device,
    get_namespace,
    get_namespace_and_device,
    yield_namespace_device_dtype_combinations,
)
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.validation import _check_sample_weight, _estimator_has

try:  # scikit-learn >= 1.8
    from sklearn.utils._array_api import move_to
except ImportError:  # pragma: no cover - older scikit-learn
    def move_to(*arrays, xp, device):
        """Each array in namespace ``xp`` on ``device`` (through numpy)."""
        moved = []
        for a in arrays:
            if a is None:
                moved.append(None)
                continue
            a_xp, _, a_device = get_namespace_and_device(a)
            if a_xp is xp and a_device == device:
                moved.append(a)
            elif _is_numpy_namespace(xp):
                moved.append(_convert_to_numpy(a, a_xp))
            else:
                moved.append(xp.asarray(_convert_to_numpy(a, a_xp), device=device))
        return moved[0] if len(moved) == 1 else tuple(moved)

try:  # scikit-learn >= 1.9
    from sklearn.utils._array_api import check_same_namespace
except ImportError:  # pragma: no cover - older scikit-learn
    def check_same_namespace(X, estimator, *, attribute, method):
        """Raise when ``X`` is not in the namespace and on the device of the
        fitted ``attribute`` (array API dispatch on)."""
        if not get_config()["array_api_dispatch"]:
            return
        a_xp, _, a_device = get_namespace_and_device(getattr(estimator, attribute))
        X_xp, _, X_device = get_namespace_and_device(X)
        if (X_xp == a_xp and X_device == a_device) or (
                _is_numpy_namespace(a_xp) and _is_numpy_namespace(X_xp)):
            return
        raise ValueError(
            f"Inputs passed to {type(estimator).__name__}.{method}() must use the same "
            "namespace and the same device as those passed to fit(): "
            f"{a_xp.__name__} on {a_device} at fit, {X_xp.__name__} on {X_device} now."
        )

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "_check_sample_weight",
    "_convert_to_numpy",
    "_estimator_has",
    "_fit_context",
    "_is_numpy_namespace",
    "_safe_indexing",
    "check_same_namespace",
    "device",
    "get_namespace",
    "get_namespace_and_device",
    "move_to",
    "validate_method_params",
    "validate_parameter_constraints",
    "validate_params",
    "yield_namespace_device_dtype_combinations",
]


def validate_method_params(parameter_constraints):
    """``validate_params`` for an estimator method.

    The arguments named in ``parameter_constraints`` are checked at every call,
    before the method runs, and an ``InvalidParameterError`` names the argument
    and ``ClassName.method`` (the class of the instance, not the one defining
    the method). Arguments not in the dict (the data, validated by
    ``validate_data``) are left alone. Calls made inside the method skip their
    own validation, as ``validate_params(prefer_skip_nested_validation=True)``.
    """

    def decorator(method):
        method_signature = signature(method)

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if get_config()["skip_parameter_validation"]:
                return method(self, *args, **kwargs)
            bound = method_signature.bind(self, *args, **kwargs)
            bound.apply_defaults()
            params = {name: value for name, value in bound.arguments.items()
                      if name in parameter_constraints}
            validate_parameter_constraints(
                parameter_constraints, params,
                caller_name=f"{type(self).__name__}.{method.__name__}",
            )
            with config_context(skip_parameter_validation=True):
                return method(self, *args, **kwargs)

        wrapper._skl_parameter_constraints = parameter_constraints
        return wrapper

    return decorator
