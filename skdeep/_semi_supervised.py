"""Unlabeled rows, as scikit-learn's ``sklearn.semi_supervised`` marks them.

A row whose label is ``-1`` is unlabeled (``LabelSpreading``,
``SelfTrainingClassifier``). String labels use the same marker: ``-1`` in an
object array, or the string ``"-1"`` (what numpy makes of ``-1`` in a string
array). Generative models learn from every row; the supervised part of a fit
uses the labeled rows only, and ``score`` scores the labeled rows only.
"""

import numpy as np
from sklearn.metrics import accuracy_score

from ._compat import _safe_indexing

#: the label of an unlabeled row
UNLABELED = -1


def unlabeled_mask(y):
    """Boolean mask of the rows of ``y`` (1-D) marked unlabeled."""
    y = np.asarray(y)
    if y.dtype.kind in "US":
        return y == str(UNLABELED)
    if y.dtype.kind == "O":
        return np.array([_is_unlabeled(v) for v in y], dtype=bool).reshape(y.shape)
    if y.dtype.kind in "biuf":
        return y == UNLABELED
    return np.zeros(y.shape, dtype=bool)


def _is_unlabeled(value):
    if isinstance(value, str):
        return value == str(UNLABELED)
    try:
        return bool(value == UNLABELED)
    except (TypeError, ValueError):
        return False


def labeled_classes(y, unlabeled=None):
    """The sorted classes of the labeled rows of ``y``; the marker is never one."""
    y = np.asarray(y)
    if unlabeled is None:
        unlabeled = unlabeled_mask(y)
    return np.unique(y[~unlabeled])


def check_some_labeled(unlabeled, estimator):
    """Raise ``ValueError`` when every row is unlabeled."""
    if unlabeled.all():
        raise ValueError(
            f"{type(estimator).__name__} needs at least one labeled row; every label "
            f"is the unlabeled marker {UNLABELED}."
        )


class LabeledScoreMixin:
    """``score`` = accuracy on the labeled rows only (rows marked -1 are skipped),
    so ``cross_val_score`` and ``GridSearchCV`` work on semi-supervised data."""

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on the labeled rows of ``(X, y)``.

        Rows whose label is the unlabeled marker ``-1`` are left out, so that
        model selection works on partly labeled data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,)
            True labels; ``-1`` marks a row without one.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Accuracy of ``self.predict(X)`` on the labeled rows.
        """
        y = np.asarray(y)
        keep = ~unlabeled_mask(y) if y.ndim == 1 else np.ones(len(y), dtype=bool)
        if not keep.any():
            raise ValueError("score needs at least one labeled row; every label is -1.")
        if not keep.all():
            X, y = _safe_indexing(X, keep), y[keep]
            if sample_weight is not None:
                sample_weight = np.asarray(sample_weight)[keep]
        return float(accuracy_score(y, self.predict(X), sample_weight=sample_weight))
