"""Generative classifiers: GaussianMixtureClassifier."""

from numbers import Integral, Real

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.mixture import GaussianMixture
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import Interval, StrOptions, _fit_context
from ._rbm import rng_from


class GaussianMixtureClassifier(ClassifierMixin, BaseEstimator):
    """Generative classifier: one Gaussian mixture per class and Bayes' rule.

    Each class ``k`` gets its own :class:`sklearn.mixture.GaussianMixture`
    density ``p(x | k)``, fitted by EM on that class's rows; a sample goes to
    the class of highest posterior ``p(k | x)``, computed in log space. With one
    component and ``covariance_type="diag"`` this is Gaussian naive Bayes.

    Read more in the :ref:`User Guide <gaussian_mixture_classifier>`.

    Parameters
    ----------
    n_components : int, default=1
        Mixture components per class.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
        Covariance structure of each class mixture (see
        :class:`~sklearn.mixture.GaussianMixture`).
    tol : float, default=1e-3
        Convergence threshold of EM on the per-sample log-likelihood.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance; raise it for pixel data with
        constant pixels (``1e-2`` suits images scaled to [0, 1]).
    max_iter : int, default=100
        EM iterations per initialisation.
    n_init : int, default=1
        Initialisations per class mixture; the best is kept.
    priors : array-like of shape (n_classes,), default=None
        Class prior probabilities, in the order of ``classes_``. ``None`` uses
        the class frequencies of the training data.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation of every class mixture.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        Class prior probabilities used in Bayes' rule.
    estimators_ : list of GaussianMixture
        The fitted density of each class, in the order of ``classes_``.
    n_iter_ : ndarray of shape (n_classes,)
        EM iterations of the best initialisation of each class mixture.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
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

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006,
    sections 4.2 (generative classifiers) and 9.2 (Gaussian mixtures).

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
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions({"full", "tied", "diag", "spherical"})],
        "tol": [Interval(Real, 0.0, None, closed="left")],
        "reg_covar": [Interval(Real, 0.0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "priors": ["array-like", None],
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
        random_state=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.priors = priors
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit one Gaussian mixture per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        counts = np.bincount(y_index, minlength=len(self.classes_))
        self.class_prior_ = self._check_priors(counts)
        too_small = counts < self.n_components
        if too_small.any():
            label = self.classes_[np.flatnonzero(too_small)[0]]
            raise ValueError(
                f"class {label!r} has {counts[too_small][0]} samples, fewer than "
                f"n_components={self.n_components}."
            )
        seeds = rng_from(self.random_state).integers(np.iinfo(np.int32).max, size=len(counts))
        self.estimators_ = [
            GaussianMixture(
                n_components=self.n_components,
                covariance_type=self.covariance_type,
                tol=self.tol,
                reg_covar=self.reg_covar,
                max_iter=self.max_iter,
                n_init=self.n_init,
                random_state=int(seed),
            ).fit(X[y_index == k])
            for k, seed in enumerate(seeds)
        ]
        self.n_iter_ = np.array([gm.n_iter_ for gm in self.estimators_])
        return self

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

    def _joint_log_likelihood(self, X):
        """``log pi_k + log p(x | k)`` of shape (n_samples, n_classes)."""
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        with np.errstate(divide="ignore"):  # a zero prior is a log prior of -inf
            log_prior = np.log(self.class_prior_)
        return np.column_stack([gm.score_samples(X) for gm in self.estimators_]) + log_prior

    def predict(self, X):
        """Class of highest posterior probability.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

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
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log p(k | x)``, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        jll = self._joint_log_likelihood(X)
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X):
        """Posterior probability of each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``p(k | x)``, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return np.exp(self.predict_log_proba(X))

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
        return logsumexp(self._joint_log_likelihood(X), axis=1)
