"""A classifier fitted on the labeled rows only: LabeledOnlyClassifier.

The last step of a semi-supervised pipeline: the representation before it
(an RBM, a DBN, an autoencoder, a VAE, PCA) learns from every row, this step
drops the rows labeled ``-1`` and fits its classifier on the others.
"""

from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d

from ._compat import HasMethods, _estimator_has, _fit_context, _safe_indexing
from ._semi_supervised import (
    LabeledScoreMixin,
    check_marker_is_not_a_class,
    check_one_label_per_row,
    check_some_labeled,
    labeled_classes,
    unlabeled_mask,
)


class LabeledOnlyClassifier(LabeledScoreMixin, ClassifierMixin, MetaEstimatorMixin,
                            BaseEstimator):
    """Fit a classifier on the labeled rows only; rows labeled ``-1`` are dropped.

    Rows whose label is ``-1`` are unlabeled (scikit-learn's semi-supervised
    convention; ``"-1"`` for string labels). Put last in a pipeline, it lets
    the steps before it learn from every row while the classifier learns from
    the labeled ones: ``make_pipeline(VariationalAutoencoder(),
    LabeledOnlyClassifier(LogisticRegression()))`` is model M1 of Kingma et
    al. (2014), a VAE fitted on all rows whose codes feed a classifier fitted on
    the labeled rows. ``predict``, ``predict_proba``, ``predict_log_proba`` and
    ``decision_function`` are the wrapped classifier's; ``score`` is the
    accuracy on the labeled rows of the data it is given.

    Read more in the :ref:`User Guide <semi_supervised_pipeline>`.

    Parameters
    ----------
    estimator : estimator object
        The classifier to fit on the labeled rows, with ``fit`` and
        ``predict``; it is cloned, never modified.

    Attributes
    ----------
    estimator_ : estimator object
        The clone of ``estimator`` fitted on the labeled rows.
    classes_ : ndarray of shape (n_classes,)
        Class labels of the labeled rows (``estimator_.classes_``); never the
        marker ``-1``.
    n_features_in_ : int
        Number of features seen during fit (``estimator_.n_features_in_``), when
        the wrapped classifier records it.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names
        and the wrapped classifier records them.

    See Also
    --------
    sklearn.semi_supervised.SelfTrainingClassifier : Also wraps a classifier,
        and pseudo-labels the unlabeled rows with it.
    sklearn.semi_supervised.LabelSpreading : Graph-based label propagation.
    DBNClassifier : Pre-trains on every row and fine-tunes on the labeled ones.

    Notes
    -----
    ``sample_weight``, when given, is passed to the classifier's ``fit`` for the
    labeled rows. Without unlabeled rows the fit is ``estimator``'s own fit on
    the data unchanged.

    References
    ----------
    .. [1] Kingma, D. P., Rezende, D. J., Mohamed, S. and Welling, M. (2014).
       Semi-supervised learning with deep generative models. NIPS.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.decomposition import PCA
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdeep import LabeledOnlyClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> y_partial = y.copy()
    >>> y_partial[50:] = -1                       # 50 labeled rows, 1,747 unlabeled
    >>> model = make_pipeline(PCA(n_components=20, random_state=0),
    ...                       LabeledOnlyClassifier(LogisticRegression()))
    >>> model.fit(X, y_partial).classes_           # PCA saw every row, -1 is no class
    array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> round(model.score(X[50:], y[50:]), 2)
    0.77
    """

    _parameter_constraints = {"estimator": [HasMethods(["fit", "predict"])]}

    def __init__(self, estimator):
        self.estimator = estimator

    @_fit_context(
        # the wrapped estimator is not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None):
        """Fit a clone of ``estimator`` on the rows whose label is not ``-1``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in any form ``estimator`` accepts.
        y : array-like of shape (n_samples,)
            Class labels; ``-1`` (``"-1"`` for strings) marks an unlabeled row.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to ``estimator.fit`` for the labeled rows
            when given.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        check_one_label_per_row(y, self)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y, sample_weight)
        unlabeled = unlabeled_mask(y)
        check_some_labeled(unlabeled, self)
        check_marker_is_not_a_class(labeled_classes(y, unlabeled), unlabeled, self)
        if unlabeled.any():
            X, y = _safe_indexing(X, ~unlabeled), y[~unlabeled]
            if sample_weight is not None:
                sample_weight = _safe_indexing(sample_weight, ~unlabeled)
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        return self

    @property
    def classes_(self):
        """Class labels of the labeled rows, ``estimator_.classes_``."""
        return self.estimator_.classes_

    @property
    def n_features_in_(self):
        """Number of features seen during fit, ``estimator_.n_features_in_``."""
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self):
        """Names of the features seen during fit, ``estimator_.feature_names_in_``."""
        return self.estimator_.feature_names_in_

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict classes with the classifier fitted on the labeled rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the classifier fitted on the labeled rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from the classifier fitted on the labeled rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the classifier fitted on the labeled rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The wrapped classifier's ``decision_function``.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags = inner.input_tags  # X goes to the classifier unchanged
        tags.non_deterministic = inner.non_deterministic
        if inner.classifier_tags is not None:
            tags.classifier_tags.poor_score = inner.classifier_tags.poor_score
        return tags
