"""The one place that imports private scikit-learn API.

Everything else in skdeep imports these names from here, so a change in
scikit-learn's private modules is mended in one file. The array API helpers
(``get_namespace``, ``get_namespace_and_device``, ``device``) are for the
estimators' edge, where scikit-learn's ``array_api_dispatch`` setting decides;
the kernels find their namespace themselves (:mod:`skdeep._kernels.backend`).
"""

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
    Options,
    StrOptions,
    validate_params,
)

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "Options",
    "StrOptions",
    "_convert_to_numpy",
    "_fit_context",
    "_safe_indexing",
    "device",
    "get_namespace",
    "get_namespace_and_device",
    "validate_params",
    "yield_namespace_device_dtype_combinations",
]
