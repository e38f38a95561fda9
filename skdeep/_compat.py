"""The one place that imports private scikit-learn API.

Everything else in skdeep imports these names from here, so a change in
scikit-learn's private modules is mended in one file. The array API helpers
(``get_namespace``, ``get_namespace_and_device``, ``device``) are for the
estimators' edge, where scikit-learn's ``array_api_dispatch`` setting decides;
the kernels find their namespace themselves (:mod:`skdeep._kernels.backend`).
"""

import functools
from inspect import signature

from sklearn import config_context, get_config
from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._array_api import (
    _convert_to_numpy,
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
    "_safe_indexing",
    "device",
    "get_namespace",
    "get_namespace_and_device",
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
