"""Naive Bayes trained by EM on labeled and unlabeled rows: SemiSupervisedNB."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import binarize
from sklearn.utils.validation import check_non_negative, validate_data

from ._compat import Interval, StrOptions, _check_sample_weight, _fit_context
from ._generative import BayesRuleMixin
from ._kernels.mixture import log_posterior
from ._kernels.naive_bayes import EVENT_MODELS, counts
from ._semi_supervised import (
    LabeledScoreMixin,
    check_one_label_per_row,
    encode_labels,
    run_em,
)


class SemiSupervisedNB(BayesRuleMixin, LabeledScoreMixin, ClassifierMixin, BaseEstimator):
    """Naive Bayes for count or binary features, trained by EM on unlabeled rows too.

    Rows labeled ``-1`` are unlabeled (scikit-learn's semi-supervised
    convention). Starting from the naive Bayes fit on the labeled rows, each EM
    iteration gives every unlabeled row its class posterior ``p(k | x)`` (the
    E-step) and re-estimates the class priors and the per-class feature
    probabilities from the labeled rows plus the unlabeled rows, each weighted
    by ``unlabeled_weight`` times its posterior (the M-step): Nigam, McCallum,
    Thrun and Mitchell (2000). With every row labeled it is scikit-learn's
    :class:`~sklearn.naive_bayes.MultinomialNB` or
    :class:`~sklearn.naive_bayes.BernoulliNB`.

    Read more in the :ref:`User Guide <semi_supervised_naive_bayes>`.

    Parameters
    ----------
    event_model : {'multinomial', 'bernoulli'}, default='multinomial'
        ``'multinomial'``: features are counts (word counts), as
        :class:`~sklearn.naive_bayes.MultinomialNB`; ``'bernoulli'``: features
        are binary occurrences, as :class:`~sklearn.naive_bayes.BernoulliNB`.
    alpha : float, default=1.0
        Additive (Laplace/Lidstone) smoothing of the feature probabilities, as
        scikit-learn's ``alpha``: the MAP estimate under a symmetric Dirichlet
        prior of concentration ``alpha + 1``.
    binarize : float or None, default=0.0
        ``event_model='bernoulli'`` only: threshold above which a feature counts
        as present; ``None`` takes ``X`` as already binary.
    fit_prior : bool, default=True
        Learn the class priors (from the labeled rows and the unlabeled rows'
        posteriors); ``False`` uses a uniform prior.
    class_prior : array-like of shape (n_classes,), default=None
        Fixed class prior probabilities; when given, ``fit_prior`` is ignored.
    unlabeled_weight : float, default=1.0
        Weight of an unlabeled row relative to a labeled one (Nigam et al.'s
        :math:`\\lambda`, in [0, 1]); ``0`` ignores unlabeled rows.
    max_iter : int, default=100
        Most EM iterations.
    tol : float, default=1e-3
        EM stops when the objective (``log_likelihood_curve_``), divided by the
        weighted number of rows, changes by less than ``tol``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (those of the labeled rows; never the marker ``-1``).
    class_count_ : ndarray of shape (n_classes,)
        Weighted number of rows of each class: labeled rows plus
        ``unlabeled_weight`` times the unlabeled rows' posteriors.
    class_log_prior_ : ndarray of shape (n_classes,)
        Log prior of each class.
    feature_count_ : ndarray of shape (n_classes, n_features)
        Weighted feature counts of each class (for ``'bernoulli'``, of
        occurrences), counted as ``class_count_``.
    feature_log_prob_ : ndarray of shape (n_classes, n_features)
        Smoothed log probability of each feature given the class.
    n_iter_ : int
        EM iterations run; ``0`` when every row is labeled or
        ``unlabeled_weight=0``.
    log_likelihood_curve_ : ndarray of shape (n_iter_ + 1,)
        The objective EM raises, for the fit on the labeled rows and after each
        iteration: the observed-data log-likelihood plus the log prior of the
        feature probabilities (see Notes).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    sklearn.naive_bayes.MultinomialNB : The supervised multinomial model.
    sklearn.naive_bayes.BernoulliNB : The supervised Bernoulli model.
    GaussianMixtureClassifier : The same EM for Gaussian mixtures per class.
    sklearn.semi_supervised.SelfTrainingClassifier : Semi-supervised
        learning by self-training any classifier.

    Notes
    -----
    With labeled rows :math:`L`, unlabeled rows :math:`U`, sample weights
    :math:`w_i` and :math:`\\lambda` = ``unlabeled_weight``, EM raises

    .. math::
        \\sum_{i \\in L} w_i \\log \\pi_{y_i} p(x_i \\mid y_i)
        + \\lambda \\sum_{i \\in U} w_i \\log \\sum_k \\pi_k p(x_i \\mid k)
        + \\log p(\\theta),

    where :math:`\\log p(\\theta)` is :math:`\\alpha \\sum_{kj} \\log
    \\theta_{kj}` (multinomial) or :math:`\\alpha \\sum_{kj} [\\log p_{kj} +
    \\log(1 - p_{kj})]` (Bernoulli). The multinomial :math:`\\log p(x \\mid k) =
    \\sum_j x_j \\log \\theta_{kj}` leaves out the multinomial coefficient, which
    depends on :math:`x` alone.

    References
    ----------
    K. Nigam, A. McCallum, S. Thrun and T. Mitchell, "Text classification from
    labeled and unlabeled documents using EM", *Machine Learning* 39, 2000.

    A. McCallum and K. Nigam, "A comparison of event models for naive Bayes
    text classification", AAAI-98 Workshop on Learning for Text
    Categorization, 1998.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import SemiSupervisedNB
    >>> rng = np.random.default_rng(0)
    >>> topics = np.array([[8, 1, 1, 0], [0, 1, 1, 8]])
    >>> y = rng.integers(0, 2, size=200)
    >>> X = np.vstack([rng.multinomial(20, t / t.sum()) for t in topics[y]])
    >>> y_partial = np.full_like(y, -1)
    >>> y_partial[:4] = y[:4]
    >>> clf = SemiSupervisedNB().fit(X, y_partial)
    >>> clf.classes_
    array([0, 1])
    >>> clf.score(X, y)
    1.0
    """

    _parameter_constraints = {
        "event_model": [StrOptions(set(EVENT_MODELS))],
        "alpha": [Interval(Real, 0.0, None, closed="neither")],
        "binarize": [None, Interval(Real, None, None, closed="neither")],
        "fit_prior": ["boolean"],
        "class_prior": ["array-like", None],
        "unlabeled_weight": [Interval(Real, 0.0, 1.0, closed="both")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(
        self,
        event_model="multinomial",
        *,
        alpha=1.0,
        binarize=0.0,
        fit_prior=True,
        class_prior=None,
        unlabeled_weight=1.0,
        max_iter=100,
        tol=1e-3,
    ):
        self.event_model = event_model
        self.alpha = alpha
        self.binarize = binarize
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.unlabeled_weight = unlabeled_weight
        self.max_iter = max_iter
        self.tol = tol

    def _check_X(self, X):
        """Validate ``X`` for prediction; binarize it for the Bernoulli model."""
        return self._binarize(validate_data(self, X, accept_sparse="csr", reset=False))

    def _binarize(self, X):
        if self.event_model == "bernoulli" and self.binarize is not None:
            return binarize(X, threshold=self.binarize)
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit naive Bayes to the labeled rows, then by EM to all rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Counts (``'multinomial'``) or occurrences (``'bernoulli'``).
        y : array-like of shape (n_samples,)
            Class labels; ``-1`` marks an unlabeled row.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row; an integer weight counts as that many copies of
            the row.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        check_one_label_per_row(y, self)
        X, y = validate_data(self, X, y, accept_sparse="csr")
        if self.event_model == "multinomial":
            check_non_negative(X, f"{type(self).__name__} (input X)")
        X = self._binarize(X)
        weights = _check_sample_weight(sample_weight, X, dtype=np.float64)
        self.classes_, unlabeled, y_index = encode_labels(y, self)
        n_classes = len(self.classes_)
        if self.class_prior is not None and len(self.class_prior) != n_classes:
            raise ValueError(
                f"Number of priors ({len(self.class_prior)}) must match the number of "
                f"classes ({n_classes})."
            )
        labeled_rows, unlabeled_rows = np.flatnonzero(~unlabeled), np.flatnonzero(unlabeled)
        if self.unlabeled_weight == 0:
            unlabeled_rows = unlabeled_rows[:0]
        X_labeled, w_labeled = X[labeled_rows], weights[labeled_rows]
        resp = np.zeros((len(labeled_rows), n_classes))
        resp[np.arange(len(labeled_rows)), y_index] = w_labeled
        labeled = counts(X_labeled, resp)
        positive = w_labeled > 0  # rows of weight 0 are left out of the objective
        X_positive, y_positive, w_positive = (
            X_labeled[positive], y_index[positive], w_labeled[positive]
        )
        X_unlabeled = X[unlabeled_rows]
        w_unlabeled = self.unlabeled_weight * weights[unlabeled_rows]
        model = EVENT_MODELS[self.event_model]

        def m_step(statistics):
            class_count, feature_count = statistics
            log_prob = model.log_prob(feature_count, class_count, self.alpha)
            return class_count, feature_count, self._log_prior(class_count), log_prob

        def e_step(params):
            _, _, log_prior, log_prob = params
            jll = model.log_likelihood(X_unlabeled, log_prob) + log_prior
            log_evidence, log_resp = log_posterior(jll)
            labeled_jll = model.log_likelihood(X_positive, log_prob) + log_prior
            objective = (
                w_positive @ labeled_jll[np.arange(len(y_positive)), y_positive]
                + w_unlabeled @ log_evidence
                + model.log_prior(log_prob, self.alpha)
            )
            expected = counts(X_unlabeled, w_unlabeled[:, None] * np.exp(log_resp))
            return float(objective), (labeled[0] + expected[0], labeled[1] + expected[1])

        with np.errstate(divide="ignore", invalid="ignore"):  # an empty class: log 0
            params, self.n_iter_, converged, self.log_likelihood_curve_ = run_em(
                e_step, m_step, m_step(labeled),
                max_iter=self.max_iter if len(unlabeled_rows) else 0, tol=self.tol,
                n_rows=w_labeled.sum() + w_unlabeled.sum(),
            )  # fmt: skip
        if len(unlabeled_rows) and not converged:
            warnings.warn(
                f"EM did not converge in max_iter={self.max_iter} iterations; increase "
                "max_iter or tol.",
                ConvergenceWarning,
            )
        (self.class_count_, self.feature_count_, self.class_log_prior_,
         self.feature_log_prob_) = params  # fmt: skip
        if not np.isfinite(self.feature_log_prob_).all():
            raise ValueError(
                "The feature counts overflow (non-finite feature probabilities): scale "
                "the data down first."
            )
        return self

    def _log_prior(self, class_count):
        """Log class priors: given, learned from the (expected) class counts, or uniform."""
        if self.class_prior is not None:
            return np.log(np.asarray(self.class_prior, dtype=np.float64))
        if self.fit_prior:
            return np.log(class_count) - np.log(class_count.sum())
        return np.full(len(class_count), -np.log(len(class_count)))

    def _joint_log_likelihood(self, X):
        """``log pi_k + log p(x | k)`` of shape (n_samples, n_classes)."""
        X = self._check_X(X)
        log_likelihood = EVENT_MODELS[self.event_model].log_likelihood
        return log_likelihood(X, self.feature_log_prob_) + self.class_log_prior_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.poor_score = True  # as scikit-learn's discrete naive Bayes
        tags.input_tags.positive_only = self.event_model == "multinomial"
        return tags
