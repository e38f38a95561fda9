"""Generative classifiers: Bayes' rule (shared with naive Bayes), GaussianMixtureClassifier."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import Interval, StrOptions, _check_sample_weight, _fit_context
from ._kernels.mixture import (
    gaussian_log_prob,
    gaussian_parameters,
    log_posterior,
    precision_cholesky,
    precisions,
)
from ._rbm import rng_from
from ._semi_supervised import (
    LabeledScoreMixin,
    check_one_label_per_row,
    encode_labels,
    run_em,
)

_ILL_DEFINED = (
    "Fitting the mixture model failed because some components have ill-defined "
    "empirical covariance (for instance caused by singleton or collapsed samples). "
    "Try to decrease the number of components, increase reg_covar, or scale the "
    "input data."
)


class BayesRuleMixin:
    """Predictions of a generative classifier by Bayes' rule, in log space.

    The class defines ``_joint_log_likelihood(X)`` (validating ``X``), which
    returns ``log pi_k + log p(x | k)`` of shape (n_samples, n_classes).
    """

    def predict_joint_log_proba(self, X):
        """Joint log probability ``log p(x, k)`` of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples (sparse where the estimator accepts sparse input).

        Returns
        -------
        joint_log_proba : ndarray of shape (n_samples, n_classes)
            ``log pi_k + log p(x | k)``, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self._joint_log_likelihood(X)

    def predict(self, X):
        """Class of highest posterior probability.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples (sparse where the estimator accepts sparse input).

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self._joint_log_likelihood(X), axis=1)]

    def predict_log_proba(self, X):
        """Log posterior probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples (sparse where the estimator accepts sparse input).

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log p(k | x)``, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return log_posterior(self._joint_log_likelihood(X))[1]

    def predict_proba(self, X):
        """Posterior probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples (sparse where the estimator accepts sparse input).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``p(k | x)``, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return np.exp(self.predict_log_proba(X))


class GaussianMixtureClassifier(BayesRuleMixin, LabeledScoreMixin, ClassifierMixin,
                                BaseEstimator):
    """Generative classifier: one Gaussian mixture per class and Bayes' rule.

    Each class ``k`` gets its own :class:`sklearn.mixture.GaussianMixture`
    density ``p(x | k)``, fitted by EM on that class's rows; a sample goes to
    the class of highest posterior ``p(k | x)``, computed in log space. With one
    component and ``covariance_type="diag"`` this is Gaussian naive Bayes.

    Rows labeled ``-1`` are unlabeled (scikit-learn's semi-supervised
    convention). They are used by EM over the joint model (Nigam et al. 2000):
    starting from the fit on the labeled rows, each iteration gives every
    unlabeled row its class and component responsibilities ``p(k, m | x)`` and
    re-estimates every class mixture (and the class priors, when ``priors`` is
    None) from the labeled rows plus the unlabeled rows weighted by
    ``unlabeled_weight`` times their responsibilities.

    Read more in the :ref:`User Guide <gaussian_mixture_classifier>`.

    Parameters
    ----------
    n_components : int, default=1
        Mixture components per class.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
        Covariance structure of each class mixture (see
        :class:`~sklearn.mixture.GaussianMixture`).
    tol : float, default=1e-3
        Convergence threshold of EM on the per-sample log-likelihood (per unit
        of sample weight), for each class mixture and for the EM over labeled
        and unlabeled rows alike.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance; raise it for pixel data with
        constant pixels (``1e-2`` suits images scaled to [0, 1]).
    max_iter : int, default=100
        EM iterations per initialisation of each class mixture, and of the EM
        over labeled and unlabeled rows that follows when ``y`` has rows
        labeled ``-1``.
    n_init : int, default=1
        Initialisations per class mixture; the best is kept.
    priors : array-like of shape (n_classes,), default=None
        Class prior probabilities, in the order of ``classes_``. ``None`` uses
        the class frequencies of the training data (with unlabeled rows, their
        expected frequencies, re-estimated by EM).
    unlabeled_weight : float, default=1.0
        Weight of an unlabeled row relative to a labeled one (Nigam et al.'s
        :math:`\\lambda`, in [0, 1]); ``0`` ignores unlabeled rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation of every class mixture.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (those of the labeled rows; never the marker ``-1``).
    class_prior_ : ndarray of shape (n_classes,)
        Class prior probabilities used in Bayes' rule.
    estimators_ : list of GaussianMixture
        The fitted density of each class, in the order of ``classes_``. After a
        weighted or semi-supervised fit, their parameters are the ones fitted
        here (set on the ``GaussianMixture``, whose methods all work); their
        ``n_iter_``, ``converged_`` and ``lower_bound_`` describe the fit on the
        labeled rows.
    n_iter_ : ndarray of shape (n_classes,)
        EM iterations of the best initialisation of each class mixture, on the
        labeled rows.
    em_n_iter_ : int
        Iterations of the EM over labeled and unlabeled rows; ``0`` when no row
        is unlabeled or ``unlabeled_weight=0``.
    log_likelihood_curve_ : ndarray of shape (em_n_iter_ + 1,)
        Observed-data log-likelihood, weighted by sample weights, of the fit on
        the labeled rows and after each EM iteration over all rows:
        :math:`\\sum_{labeled} \\log \\pi_{y_i} p(x_i \\mid y_i) + \\lambda
        \\sum_{unlabeled} \\log p(x_i)`.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    SemiSupervisedNB : The same EM for naive Bayes on count or binary data.
    sklearn.naive_bayes.GaussianNB : The one-component, diagonal case.
    sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis : The
        one-component, full-covariance case (with its own regularisation).
    sklearn.mixture.GaussianMixture : The per-class density.

    Notes
    -----
    Bayes' rule, with :math:`\\pi_k` the class prior:

    .. math::
        \\log p(k \\mid x) = \\log \\pi_k + \\log p(x \\mid k)
            - \\operatorname{logsumexp}_j (\\log \\pi_j + \\log p(x \\mid j)).

    ``sample_weight`` multiplies each row's responsibilities in every M-step (an
    integer weight acts as that many copies of the row), and the k-means
    initialisation of each class mixture is weighted the same way.

    With ``reg_covar=0`` every EM iteration raises ``log_likelihood_curve_``;
    ``reg_covar > 0`` adds to the variances after each M-step, as
    :class:`~sklearn.mixture.GaussianMixture` does, which can lower it by a
    little.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006,
    sections 4.2 (generative classifiers) and 9.2 (Gaussian mixtures).

    K. Nigam, A. McCallum, S. Thrun and T. Mitchell, "Text classification from
    labeled and unlabeled documents using EM", *Machine Learning* 39, 2000.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skdeep import GaussianMixtureClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = GaussianMixtureClassifier(n_components=2, random_state=0).fit(X, y)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> clf.predict_proba(X[:1]).round(3)
    array([[1., 0., 0.]])

    Semi-supervised: keep 3 labels per class and mark the other rows ``-1``.
    EM on all rows classifies better than the fit on the 9 labeled rows alone.

    >>> import numpy as np
    >>> labeled = [0, 1, 2, 50, 51, 52, 100, 101, 102]
    >>> y_partial = np.full_like(y, -1)
    >>> y_partial[labeled] = y[labeled]
    >>> semi = GaussianMixtureClassifier(covariance_type="diag", reg_covar=1e-2)
    >>> semi.fit(X, y_partial).classes_
    array([0, 1, 2])
    >>> only_labeled = GaussianMixtureClassifier(covariance_type="diag", reg_covar=1e-2)
    >>> round(only_labeled.fit(X[labeled], y[labeled]).score(X, y), 2)
    0.83
    >>> round(semi.score(X, y), 2)
    0.95
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions({"full", "tied", "diag", "spherical"})],
        "tol": [Interval(Real, 0.0, None, closed="left")],
        "reg_covar": [Interval(Real, 0.0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "priors": ["array-like", None],
        "unlabeled_weight": [Interval(Real, 0.0, 1.0, closed="both")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        priors=None,
        unlabeled_weight=1.0,
        random_state=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.priors = priors
        self.unlabeled_weight = unlabeled_weight
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit one Gaussian mixture per class, by EM over all rows if some are unlabeled.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels; ``-1`` marks an unlabeled row.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row; an integer weight counts as that many copies of
            the row. ``None`` weighs every row 1.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        # numpy on the host: scikit-learn's GaussianMixture refuses its k-means
        # start under array API dispatch, and the weighted EM is numpy's
        with config_context(array_api_dispatch=False):
            return self._fit(X, y, sample_weight)

    def _fit(self, X, y, sample_weight):
        check_one_label_per_row(y, self)
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        weights = None
        if sample_weight is not None:
            weights = _check_sample_weight(sample_weight, X, dtype=X.dtype,
                                           ensure_non_negative=True)
            keep = weights > 0  # a row of weight 0 is a row left out
            X, y, weights = X[keep], y[keep], weights[keep]
            if np.all(weights == weights[0]):  # constant weights change nothing
                weights = None
        _check_scale(X)
        self.classes_, unlabeled, y_index = encode_labels(y, self)
        n_classes = len(self.classes_)
        if weights is None:
            weights = np.ones(len(X), dtype=X.dtype)
            counts = np.bincount(y_index, minlength=n_classes)
            weighted = False
        else:
            counts = np.bincount(y_index, weights=weights[~unlabeled], minlength=n_classes)
            weighted = True
        self._check_class_sizes(y_index, counts)
        self.class_prior_ = self._check_priors(counts)

        X_labeled, w_labeled = X[~unlabeled], weights[~unlabeled]
        by_class = [(X_labeled[y_index == k], w_labeled[y_index == k]) for k in range(n_classes)]
        seeds = rng_from(self.random_state).integers(np.iinfo(np.int32).max, size=n_classes)
        self.estimators_ = [
            self._fit_weighted(Xk, wk, int(seed)) if weighted else self._mixture(int(seed)).fit(Xk)
            for (Xk, wk), seed in zip(by_class, seeds)
        ]
        self.n_iter_ = np.array([gm.n_iter_ for gm in self.estimators_])

        used = unlabeled & (self.unlabeled_weight > 0)  # unlabeled_weight=0: none used
        X_unlabeled, w_unlabeled = X[used], self.unlabeled_weight * weights[used]
        em = _JointMixtureEM(by_class, X_unlabeled, w_unlabeled, self.covariance_type,
                             self.reg_covar,
                             prior=None if self.priors is None else self.class_prior_)
        start = (self.class_prior_, [_mixture_parameters(gm) for gm in self.estimators_])
        (prior, mixtures), self.em_n_iter_, converged, self.log_likelihood_curve_ = run_em(
            em.e_step, em.m_step, start,
            max_iter=self.max_iter if len(X_unlabeled) else 0, tol=self.tol,
            n_rows=w_labeled.sum() + w_unlabeled.sum(),
        )  # fmt: skip
        if len(X_unlabeled):
            if not converged:
                warnings.warn(
                    f"EM over the labeled and unlabeled rows did not converge in "
                    f"max_iter={self.max_iter} iterations; increase max_iter or tol.",
                    ConvergenceWarning,
                )
            self.class_prior_ = prior
            for gm, parameters in zip(self.estimators_, mixtures):
                _set_mixture(gm, parameters)
        self._check_finite()
        return self

    def _mixture(self, seed):
        """An unfitted class mixture with this classifier's settings."""
        return GaussianMixture(
            n_components=self.n_components,
            covariance_type=self.covariance_type,
            tol=self.tol,
            reg_covar=self.reg_covar,
            max_iter=self.max_iter,
            n_init=self.n_init,
            random_state=seed,
        )

    def _fit_weighted(self, X, w, seed):
        """``GaussianMixture(...).fit`` with sample weights: the same k-means
        initialisation (weighted), EM loop, stopping rule and choice among
        ``n_init`` starts."""
        random_state = check_random_state(seed)
        em = _JointMixtureEM([(X, w)], X[:0], w[:0], self.covariance_type, self.reg_covar,
                             prior=np.ones(1))
        best = None
        for _ in range(self.n_init):
            labels = KMeans(n_clusters=self.n_components, n_init=1, random_state=random_state)
            labels = labels.fit(X, sample_weight=w).labels_
            resp = np.zeros((len(X), self.n_components), dtype=X.dtype)
            resp[np.arange(len(X)), labels] = w
            mixture = em.mixture_parameters([(X, resp)])
            fit = run_em(em.e_step, em.m_step, (np.ones(1), [mixture]),
                         max_iter=self.max_iter, tol=self.tol, n_rows=w.sum())
            lower_bounds = fit[3][:-1] / w.sum()
            if best is None or lower_bounds[-1] > best[1][-1]:
                best = (fit, lower_bounds)
        ((_, (mixture,)), n_iter, converged, _), lower_bounds = best
        if not converged:
            warnings.warn(
                "Best performing initialization did not converge. Try different init "
                "parameters, or increase max_iter, tol, or check for degenerate data.",
                ConvergenceWarning,
            )
        gm = self._mixture(seed)
        _set_mixture(gm, mixture)
        gm.converged_, gm.n_iter_ = converged, n_iter
        gm.lower_bound_, gm.lower_bounds_ = lower_bounds[-1], list(lower_bounds)
        gm.n_features_in_ = X.shape[1]
        return gm

    def _check_class_sizes(self, y_index, counts):
        """Each class needs n_components rows, and two to estimate a covariance
        (one row of integer weight w counts as w rows, as repeated rows would)."""
        rows = np.bincount(y_index, minlength=len(self.classes_))
        for label, n_rows, count in zip(self.classes_, rows, counts):
            if n_rows < self.n_components:
                need = f"fewer than n_components={self.n_components}"
            elif n_rows < 2 and count < 2:
                need = "fewer than the 2 a Gaussian mixture needs to estimate a covariance"
            else:
                continue
            raise ValueError(
                f"class {_label_text(label)}: {n_rows} sample(s) labeled, {need}. Give "
                "every class more labeled rows, or lower n_components."
            )

    def _check_priors(self, counts):
        if self.priors is None:
            return counts / counts.sum()
        priors = np.asarray(self.priors, dtype=np.float64)
        if priors.shape != counts.shape:
            raise ValueError(
                f"Number of priors ({priors.size}) must match the number of classes "
                f"({counts.size})."
            )
        if (priors < 0).any() or not np.isfinite(priors).all():
            raise ValueError("Priors must be non-negative and finite.")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"The priors must sum to 1, not {priors.sum()}.")
        return priors

    def _check_finite(self):
        for label, gm in zip(self.classes_, self.estimators_):
            if not all(np.isfinite(a).all() for a in _mixture_parameters(gm)):
                raise ValueError(
                    f"The Gaussian mixture of class {_label_text(label)} has non-finite "
                    "parameters (an overflow): scale the data first, for instance with "
                    "sklearn.preprocessing.StandardScaler."
                )

    def _joint_log_likelihood(self, X):
        """``log pi_k + log p(x | k)`` of shape (n_samples, n_classes)."""
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        # in float64: float32 log-densities of rows far from the data overflow
        # to -inf in every class, and Bayes' rule turns them into NaN
        X = X.astype(np.float64, copy=False)
        with np.errstate(divide="ignore"):  # a zero prior is a log prior of -inf
            log_prior = np.log(self.class_prior_)
        return np.column_stack([gm.score_samples(X) for gm in self.estimators_]) + log_prior

    def score_samples(self, X):
        """Log density of the class-prior-weighted mixture of class densities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
            ``log p(x) = logsumexp_k (log pi_k + log p(x | k))``.
        """
        check_is_fitted(self)
        return log_posterior(self._joint_log_likelihood(X))[0]


class _JointMixtureEM:
    """E- and M-steps of EM over the joint model: a class ``k`` with prior
    ``pi_k`` and a Gaussian mixture ``p(x | k)`` of components ``m``.

    A labeled row of class ``k`` (weight ``w``) is shared among that class's
    components by ``p(m | x, k)``; an unlabeled row (weight ``lambda w``) among
    all classes and components by ``p(k, m | x) = p(k | x) p(m | x, k)``.
    Parameters are ``(prior, [(weights, means, covariances, precisions_chol)
    per class])``; a given ``prior`` stays fixed, ``None`` re-estimates it.
    """

    def __init__(self, by_class, X_unlabeled, w_unlabeled, covariance_type, reg_covar,
                 prior=None):
        self.by_class = by_class
        self.X_unlabeled, self.w_unlabeled = X_unlabeled, w_unlabeled
        self.covariance_type, self.reg_covar = covariance_type, reg_covar
        self.prior = prior

    def _log_joint(self, X, mixture):
        weights, means, _, chol = mixture
        return gaussian_log_prob(X, means, chol, self.covariance_type) + np.log(weights)

    def e_step(self, params):
        prior, mixtures = params
        with np.errstate(divide="ignore"):  # a zero prior is a log prior of -inf
            log_prior = np.log(prior)
        objective = 0.0
        labeled_resp, unlabeled_resp = [], []
        log_density = np.empty((len(self.X_unlabeled), len(mixtures)),
                               dtype=self.X_unlabeled.dtype)
        for k, ((Xk, wk), mixture) in enumerate(zip(self.by_class, mixtures)):
            log_px, log_resp = log_posterior(self._log_joint(Xk, mixture))
            objective += wk @ log_px + wk.sum() * log_prior[k]
            labeled_resp.append(wk[:, None] * np.exp(log_resp))
            if len(self.X_unlabeled):
                log_density[:, k], log_resp = log_posterior(
                    self._log_joint(self.X_unlabeled, mixture)
                )
                unlabeled_resp.append(np.exp(log_resp))
        log_evidence, log_class_resp = log_posterior(log_density + log_prior)
        objective += self.w_unlabeled @ log_evidence
        # in the dtype of X (the priors are float64), so that float32 stays float32
        class_resp = (self.w_unlabeled[:, None] * np.exp(log_class_resp)).astype(
            self.X_unlabeled.dtype, copy=False)
        return float(objective), (labeled_resp, unlabeled_resp, class_resp)

    def mixture_parameters(self, parts):
        """Weights, means, covariances and precision Cholesky factors of one
        mixture from weighted responsibilities."""
        nk, means, covariances = gaussian_parameters(parts, self.reg_covar, self.covariance_type)
        try:
            chol = precision_cholesky(covariances, self.covariance_type)
        except np.linalg.LinAlgError:
            raise ValueError(_ILL_DEFINED) from None
        return nk / nk.sum(), means, covariances, chol

    def m_step(self, statistics):
        labeled_resp, unlabeled_resp, class_resp = statistics
        mixtures, mass = [], np.empty(len(self.by_class))
        for k, ((Xk, _), resp) in enumerate(zip(self.by_class, labeled_resp)):
            parts = [(Xk, resp)]
            if len(self.X_unlabeled):
                parts.append((self.X_unlabeled, class_resp[:, k : k + 1] * unlabeled_resp[k]))
            mixtures.append(self.mixture_parameters(parts))
            mass[k] = resp.sum() + class_resp[:, k].sum()
        prior = mass / mass.sum() if self.prior is None else self.prior
        return prior, mixtures


def _mixture_parameters(gm):
    """The parameters of a fitted ``GaussianMixture``, as ``_JointMixtureEM`` takes them."""
    return gm.weights_, gm.means_, gm.covariances_, gm.precisions_cholesky_


def _set_mixture(gm, parameters):
    """Make ``gm`` hold the mixture ``(weights, means, covariances, precisions_chol)``."""
    gm.weights_, gm.means_, gm.covariances_, gm.precisions_cholesky_ = parameters
    gm.precisions_ = precisions(gm.precisions_cholesky_, gm.covariance_type)


def _label_text(label):
    """A class label as the user wrote it: ``0``, not ``np.int64(0)``."""
    return repr(label.item() if isinstance(label, np.generic) else label)


def _check_scale(X):
    """Raise when squares of ``X`` summed over its rows overflow its dtype: the
    covariance estimates would be infinite or NaN."""
    if X.size == 0:
        return
    largest = np.max(np.abs(X))
    with np.errstate(over="ignore"):
        overflows = not np.isfinite(largest * largest * X.shape[0])
    if overflows:
        raise ValueError(
            f"X has values as large as {largest:.3g}, whose squares overflow {X.dtype} "
            "in the covariance estimates: scale the data first, for instance with "
            "sklearn.preprocessing.StandardScaler."
        )
