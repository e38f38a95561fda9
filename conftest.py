"""Loaded by pytest before anything imports SciPy or scikit-learn.

scikit-learn's array API checks (``parametrize_with_checks`` runs them for
estimators whose tags declare ``array_api_support``) and skdeep's own
(tests/test_array_api.py) run only where ``SCIPY_ARRAY_API=1`` is set before
SciPy is imported: this sets it, unless the environment says otherwise.
"""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")
