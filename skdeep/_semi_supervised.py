"""Unlabeled rows, as scikit-learn's ``sklearn.semi_supervised`` marks them.

A row whose label is ``-1`` is unlabeled (``LabelSpreading``,
``SelfTrainingClassifier``). String labels use the same marker: ``-1`` in an
object array, or the string ``"-1"`` (what numpy makes of ``-1`` in a string
array). Generative models learn from every row; the supervised part of a fit
uses the labeled rows only, and ``score`` scores the labeled rows only.
"""

import numpy as np
from sklearn import get_config
from sklearn.metrics import accuracy_score
from sklearn.utils.multiclass import check_classification_targets

from ._array_api import to_namespace_of
from ._compat import _safe_indexing
from ._kernels.backend import get_namespace, to_numpy

#: the label of an unlabeled row
UNLABELED = -1


def unlabeled_mask(y):
    """Boolean mask of the rows of ``y`` (1-D) marked unlabeled (in ``y``'s
    namespace and on its device for arrays of other libraries)."""
    if get_namespace(y) is not np:  # numbers: strings and objects are numpy's
        return y == UNLABELED
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
    if bool(get_namespace(unlabeled).all(unlabeled)):
        raise ValueError(
            f"{type(estimator).__name__} needs at least one labeled row; every label "
            f"is the unlabeled marker {UNLABELED}."
        )


def check_one_label_per_row(y, estimator):
    """Raise for ``y`` of several columns (multilabel or multi-output), which
    the classifiers here do not model; a single column passes (scikit-learn's
    validation ravels it, with a warning)."""
    if hasattr(y, "shape"):
        shape = tuple(y.shape)
    elif isinstance(y, (list, tuple)) and len(y) and isinstance(y[0], (list, tuple)):
        shape = (len(y), len(y[0]))
    else:  # 1-d, or left to scikit-learn's validation
        return
    if len(shape) == 2 and shape[1] > 1:
        name = type(estimator).__name__
        raise ValueError(
            f"{name} takes one label per row; got y of shape {tuple(shape)}, several "
            f"labels or outputs per row. Fit one {name} per column with "
            f"sklearn.multioutput.MultiOutputClassifier({name}())."
        )


def check_marker_is_not_a_class(classes, unlabeled, estimator):
    """Raise ``ValueError`` when the labeled rows hold one class and other rows
    carry the marker: labels such as ``{-1, 1}`` meant as two classes."""
    if classes.shape[0] != 1:
        return
    n_unlabeled = int(np.count_nonzero(to_numpy(unlabeled)))
    if n_unlabeled:
        raise ValueError(
            f"{type(estimator).__name__} needs labeled rows of at least 2 classes; got "
            f"one class, {to_numpy(classes).tolist()}, and {n_unlabeled} rows labeled "
            f"{UNLABELED}, the unlabeled marker of "
            "scikit-learn's semi-supervised convention. If -1 is a class, encode "
            "the labels first, e.g. y = LabelEncoder().fit_transform(y)."
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
        if get_config()["array_api_dispatch"]:
            y, sample_weight = (to_namespace_of(a, X) for a in (y, sample_weight))
        if not get_config()["array_api_dispatch"] or get_namespace(y) is np:
            y = np.asarray(y)
        xp = get_namespace(y)  # y's library: X's, or numpy's
        keep = ~unlabeled_mask(y) if y.ndim == 1 else xp.ones(y.shape[0], dtype=xp.bool)
        if not bool(xp.any(keep)):
            raise ValueError("score needs at least one labeled row; every label is -1.")
        if not bool(xp.all(keep)):
            X = _safe_indexing(X, keep) if get_namespace(X) is np else X[to_namespace_of(keep, X)]
            y = y[keep]
            if sample_weight is not None:
                on_host = get_namespace(sample_weight) is np
                sample_weight = (np.asarray(sample_weight)[keep] if on_host
                                 else sample_weight[to_namespace_of(keep, sample_weight)])
        return float(accuracy_score(y, self.predict(X), sample_weight=sample_weight))


def encode_labels(y, estimator, classes=None, min_classes=1):
    """Classes of the labeled rows, the unlabeled mask, and the class index
    (into the classes) of each labeled row.

    ``classes`` fixes the classes instead (those of an earlier ``partial_fit``,
    or its ``classes`` argument; the marker is left out of them), and a label
    outside them raises. Raises too when no row is labeled, when there are
    fewer than ``min_classes`` classes, or when the labeled rows' targets are
    not classes (``check_classification_targets``; the marker is left out, so
    an object array may mix the marker ``-1`` with string labels).
    """
    y = np.asarray(y)
    unlabeled = unlabeled_mask(y)
    check_some_labeled(unlabeled, estimator)
    labels = y[~unlabeled]
    check_classification_targets(labels)
    if classes is None:
        classes = labeled_classes(y, unlabeled)
    else:
        classes = labeled_classes(classes)
        unseen = np.setdiff1d(labels, classes)
        if unseen.size:
            raise ValueError(
                f"y contains labels {unseen.tolist()} not in classes_ {classes.tolist()}; "
                "pass every class to the first partial_fit."
            )
    check_marker_is_not_a_class(classes, unlabeled, estimator)
    if len(classes) < min_classes:
        raise ValueError(
            f"{type(estimator).__name__} needs labeled samples of at least {min_classes} "
            f"classes; got {len(classes)} class{'' if len(classes) == 1 else 'es'}: "
            f"{classes.tolist()}."
        )
    return classes, unlabeled, np.searchsorted(classes, labels)


def run_em(e_step, m_step, params, *, max_iter, tol, n_rows):
    """Expectation-maximization until the objective per row settles.

    The stopping rule is scikit-learn's ``GaussianMixture``: iteration ``t``
    runs the M-step on the E-step of the parameters after ``t - 1`` iterations,
    and EM stops once the objective of those parameters, divided by ``n_rows``,
    changed by less than ``tol`` since the iteration before.

    Parameters
    ----------
    e_step : callable
        ``e_step(params) -> (objective, statistics)``: the objective of
        ``params`` (an observed-data log-likelihood, larger is better) and the
        expected statistics the M-step needs.
    m_step : callable
        ``m_step(statistics) -> params``.
    params : object
        The starting parameters.
    max_iter : int
        At most this many M-steps; ``0`` returns ``params``.
    tol : float
        Threshold on the change of ``objective / n_rows``.
    n_rows : float
        The (weighted) number of rows the objective sums over.

    Returns
    -------
    params : object
        The parameters after the last M-step.
    n_iter : int
        M-steps run.
    converged : bool
        Whether the stopping rule was met within ``max_iter`` iterations.
    curve : ndarray of shape (n_iter + 1,)
        The objective of the starting parameters and after each M-step.
    """
    objective, statistics = e_step(params)
    curve = [objective]
    lower_bound, n_iter, converged = -np.inf, 0, False
    for n_iter in range(1, max_iter + 1):
        previous, lower_bound = lower_bound, objective / n_rows
        params = m_step(statistics)
        objective, statistics = e_step(params)
        curve.append(objective)
        change = lower_bound - previous
        if abs(change) < tol:
            converged = True
            break
        if np.isnan(change):  # an objective of -inf throughout: nothing to improve
            break
    return params, n_iter, converged, np.asarray(curve, dtype=np.float64)
