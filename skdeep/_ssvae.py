"""The semi-supervised variational autoencoder (Kingma, Rezende, Mohamed & Welling 2014, M2)."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ._compat import Interval, StrOptions, _fit_context, validate_method_params
from ._kernels import ssvae, vae
from ._kernels.network import trainable_parameters
from ._kernels.optimizers import make_optimizer
from ._pretraining import auto_epochs, check_hidden_layer_sizes
from ._rbm import SAMPLE_CONSTRAINTS, rng_from
from ._semi_supervised import LabeledScoreMixin, check_one_label_per_row, encode_labels
from ._training import (
    History,
    check_built_settings,
    from_model_units,
    record_built_settings,
    run_epochs,
    to_model_units,
)
from ._vae import (
    BUILT_SETTINGS,
    SCORE_BLOCK,
    VariationalAutoencoder,
    autoencoder_sizes,
    check_finite,
    check_range,
    divergence_hint,
    init_layers,
    log_density_shift,
    network,
    resolve_input_scaling,
    resolve_likelihood,
    resolve_step,
)

#: max_iter='auto': epochs for about this many minibatch updates, within
#: AUTO_EPOCHS. On a split of the digits (1,198 training rows, 100 or 300 of
#: them labeled, 12 updates an epoch), test accuracy grew with the updates:
#: 600 updates (the former 50 epochs) 0.908 / 0.917 / 0.927 over three draws,
#: 2,400 updates 0.908 / 0.942 / 0.932 and 4,800 updates 0.927 / 0.948 / 0.940,
#: against MLPClassifier's 0.912 / 0.912 / 0.930 on the labeled rows
AUTO_UPDATES = 5000
#: ... at least 50 epochs (the fixed default before: large data sets such as
#: MNIST train as long as they did), at most 500
AUTO_EPOCHS = (50, 500)


class SemiSupervisedVAE(LabeledScoreMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                        ClassifierMixin, BaseEstimator):
    """Semi-supervised variational autoencoder: the class is a partly observed latent variable.

    Model M2 of Kingma et al. (2014). The generative model draws a class y
    from a uniform prior and a Gaussian latent z, and x from p(x | y, z) (a
    decoder network on ``[z, one_hot(y)]``). An encoder network gives the
    posterior q(z | x, y) and a classifier network q(y | x). Labeled rows
    train all three through the evidence lower bound with y observed and a
    classification term; unlabeled rows (label ``-1``) through the bound with
    y summed out under q(y | x), which also trains the classifier.

    Read more in the :ref:`User Guide <ssvae>`.

    Parameters
    ----------
    encoder_layer_sizes : int or array-like of int, default=(500,)
        Hidden layer sizes of the encoder q(z | x, y), from the input upwards.
    n_components : int, default=50
        Dimension of the latent space z.
    decoder_layer_sizes : int, array-like of int or None, default=None
        Hidden layer sizes of the decoder p(x | y, z), from the latent space
        upwards; ``None`` mirrors the encoder.
    classifier_layer_sizes : int or array-like of int, default=(500,)
        Hidden layer sizes of the classifier q(y | x).
    likelihood : {'auto', 'bernoulli', 'gaussian', 'gaussian_learned_variance'}, \
default='auto'
        p(x | y, z): independent Bernoulli pixels (data in [0, 1]), a Gaussian
        with unit variance around the decoder's output (standardized
        real-valued data), or a Gaussian whose mean and log-variance per
        feature the decoder outputs: the choice for the codes of a
        :class:`VariationalAutoencoder` (M1+M2), whose active and collapsed
        dimensions differ in scale. 'auto' is 'bernoulli' when every training
        value (labeled or not) is in [0, 1] with at least 0.4 of the variance
        of binary data of the same means (images), and otherwise 'gaussian'
        on the columns standardized by their training mean and deviation
        (``input_mean_``, ``input_scale_``), as :class:`VariationalAutoencoder`'s
        'auto' (raw wine columns made the bound's gradients overflow); every
        method takes and gives the data's units, log-densities included.
    activation : {'relu', 'tanh', 'logistic', 'leaky_relu', 'identity'}, default='relu'
        Activation of the hidden layers of the three networks.
    classification_weight : float, default=1.0
        Weight of the mean cross-entropy ``-log q(y | x)`` of the labeled rows
        against the mean negative bound per row. The paper's
        ``alpha`` (eq. 9), which multiplies the mean over labeled rows while the
        bound is summed over all N rows, is ``classification_weight * N``;
        the paper's choice is 0.1. The default 1.0 is measured: on MNIST with
        1,000 labels it gave 13.4% test error after 1 epoch and 8.6% after 9,
        where 0.1 gave 40.7% and 21.4%; on synthetic data with 2 labels per
        class, 0.1 swapped the two class names on one seed in four.
    optimizer : {'adam', 'radam', 'rmsprop', 'adagrad', 'adadelta', 'sgd', \
'momentum', 'nesterov'}, default='adam'
        Stochastic optimizer of the minibatch objective.
    learning_rate : float or 'auto', default='auto'
        Step size of the optimizer; 'auto' (``learning_rate_``) is the
        optimizer's step for the fitted likelihood, as in
        :class:`VariationalAutoencoder` (0.001 for Adam).
    batch_size : int, default=100
        Rows per minibatch of the bound; the classification term takes
        ``min(batch_size, n_labeled)`` labeled rows per minibatch.
    max_iter : int or 'auto', default='auto'
        Maximum number of epochs of ``fit``. 'auto' gives about 5,000
        minibatch updates, ``ceil(5000 / ceil(n_samples / batch_size))``
        epochs, at least 50 and at most 500: 50 from 10,000 rows up (MNIST),
        417 on 1,198 rows of the digits. There, with 100 or 300 labels, 50
        epochs (600 updates) gave a test accuracy of 0.908 to 0.927 against
        ``MLPClassifier``'s 0.912 to 0.930 on the labeled rows, and 400
        epochs 0.927 to 0.948.
    tol : float, default=1e-4
        Training stops once the training loss has not improved by ``tol``
        nats for ``n_iter_no_change`` consecutive epochs.
    n_iter_no_change : int, default=10
        See ``tol``; at least as many epochs as make 100 updates.
    verbose : int, default=0
        If positive, print one line per epoch (seconds, training loss).
    random_state : int, RandomState instance or None, default=None
        Seeds initialization, shuffling and the noise of training, and the
        noise of :meth:`score_samples`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels of the labeled rows (never the unlabeled marker).
    likelihood_ : {'bernoulli', 'gaussian', 'gaussian_learned_variance'}
        The likelihood fitted (``likelihood``, with 'auto' resolved).
    input_mean_, input_scale_ : ndarray of shape (n_features_in_,) or None
        The training mean and deviation by which ``likelihood='auto'``
        standardized the columns for its Gaussian; else None.
    learning_rate_ : float
        The step size used (``learning_rate``, with 'auto' resolved).
    encoder_coefs_ : list of ndarray
        Weight matrices of q(z | x, y); the first of shape
        (n_features_in_ + n_classes, .), the features' rows then the classes',
        the last mapping to ``2 * n_components`` outputs (mean, log-variance).
    encoder_intercepts_ : list of ndarray
        Biases of the encoder.
    decoder_coefs_ : list of ndarray
        Weight matrices of p(x | y, z); the first of shape
        (n_components + n_classes, .), the last of shape (., n_features_in_).
    decoder_intercepts_ : list of ndarray
        Biases of the decoder.
    classifier_coefs_ : list of ndarray
        Weight matrices of q(y | x), the last of shape (., n_classes).
    classifier_intercepts_ : list of ndarray
        Biases of the classifier.
    loss_curve_ : list of float
        Training loss of each epoch: the mean over rows of the negative bound
        plus ``classification_weight`` times the labeled rows' mean cross-entropy.
    n_iter_ : int
        Epochs run in total (``partial_fit`` adds one per call).
    max_iter_ : int
        The maximum number of epochs of the last ``fit``: ``max_iter``, or
        what 'auto' resolved to.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    VariationalAutoencoder : The unsupervised model M1, whose codes M2 can
        model (``make_pipeline(VariationalAutoencoder(), SemiSupervisedVAE(
        likelihood='gaussian_learned_variance'))``).
    sklearn.semi_supervised.SelfTrainingClassifier : Semi-supervised learning
        by self-training, with the same ``-1`` convention.
    sklearn.semi_supervised.LabelSpreading : Graph-based semi-supervised learning.

    Notes
    -----
    With the uniform prior p(y) = 1/K and p(z) = N(0, I), the bound of a
    labeled row (paper eq. 6) is

    ``L(x, y) = E_q(z|x,y)[log p(x | y, z)] + log p(y) - KL(q(z | x, y) || p(z))
    <= log p(x, y)``,

    and that of an unlabeled row (eq. 7), the sum over classes exact,

    ``U(x) = sum_y q(y | x) L(x, y) + H(q(y | x)) <= log p(x)``.

    Training minimises, per minibatch, the mean over its rows of ``-L`` or
    ``-U`` plus ``classification_weight`` times the mean of ``-log q(y | x)``
    over ``min(batch_size, n_labeled)`` labeled rows, taken in turn from a
    fresh permutation of the labeled rows each epoch (eq. 9). Every
    minibatch thus sees labeled rows for the classification term even when
    they are 1 row in 500, and the estimate of the whole objective stays
    unbiased. An unlabeled row's K copies (one per class) go through the
    encoder and the decoder as one batch of K times the rows; the encoder's
    first-layer product with x is computed once per row.

    :meth:`transform` gives the mean of z under q(z | x) =
    sum_y q(y | x) q(z | x, y), that is ``sum_y q(y | x) mu(x, y)``.
    :meth:`score_samples` gives ``U(x)``, a lower bound of log p(x) with y
    marginalised.

    Stacked on the codes of a :class:`VariationalAutoencoder` (M1) with
    ``likelihood='gaussian_learned_variance'`` it is the paper's M1+M2 model;
    in a pipeline the VAE ignores ``y``, so ``-1`` rows pass through. Kingma
    et al. report on MNIST with 1000 labels 3.6% test error for M2 and 2.4%
    for M1+M2.

    The estimator computes with numpy on the host: it does not declare
    ``array_api_support``, unlike :class:`VariationalAutoencoder`, whose ELBO
    pass it shares. Give it numpy arrays (``X.cpu().numpy()``) under array API
    dispatch; see :ref:`gpu`.

    References
    ----------
    .. [1] Kingma, D. P., Rezende, D. J., Mohamed, S. and Welling, M. (2014).
       Semi-supervised learning with deep generative models. NIPS.
    .. [2] Kingma, D. P. and Welling, M. (2014). Auto-encoding variational
       Bayes. ICLR.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import SemiSupervisedVAE
    >>> X, y = load_digits(return_X_y=True)
    >>> y_partial = y.copy()
    >>> y_partial[200:] = -1  # only the first 200 rows are labeled
    >>> m2 = SemiSupervisedVAE(encoder_layer_sizes=(64,), n_components=8,
    ...                        classifier_layer_sizes=(64,), max_iter=5,
    ...                        random_state=0).fit(X / 16, y_partial)
    >>> m2.classes_
    array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> m2.predict_proba(X[:2] / 16).shape
    (2, 10)
    >>> X_new, y_new = m2.sample(3, y=7, random_state=0)
    >>> X_new.shape, y_new
    ((3, 64), array([7, 7, 7]))
    """

    _parameter_constraints = {
        # the parameters shared with VariationalAutoencoder mean the same thing
        **{name: constraint for name, constraint in
           VariationalAutoencoder._parameter_constraints.items()
           if name not in ("early_stopping", "validation_fraction", "n_importance_samples")},
        "classifier_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "classification_weight": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    }

    def __init__(
        self,
        encoder_layer_sizes=(500,),
        n_components=50,
        *,
        decoder_layer_sizes=None,
        classifier_layer_sizes=(500,),
        likelihood="auto",
        activation="relu",
        classification_weight=1.0,
        optimizer="adam",
        learning_rate="auto",
        batch_size=100,
        max_iter="auto",
        tol=1e-4,
        n_iter_no_change=10,
        verbose=0,
        random_state=None,
    ):
        self.encoder_layer_sizes = encoder_layer_sizes
        self.n_components = n_components
        self.decoder_layer_sizes = decoder_layer_sizes
        self.classifier_layer_sizes = classifier_layer_sizes
        self.likelihood = likelihood
        self.activation = activation
        self.classification_weight = classification_weight
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.verbose = verbose
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the model to ``(X, y)``, from a fresh initialisation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels; ``-1`` (or ``"-1"`` for string labels) marks an
            unlabeled row. At least one row must be labeled.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None):
        """Run one epoch over ``(X, y)``, initialising the model on the first call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels; ``-1`` marks an unlabeled row. At least one row must
            be labeled.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole training data; needed on the first call
            when the labeled rows of ``y`` lack some of them.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=True, classes=classes)

    def _fit(self, X, y, incremental, classes=None):
        first = not (incremental and hasattr(self, "classes_"))
        if not first:
            check_built_settings(self)
        check_one_label_per_row(y, self)
        X, y = validate_data(self, X, y, dtype=(np.float64, np.float32), reset=first)
        y_index = self._encode_labels(y, classes if first else self.classes_)
        if first:
            self.likelihood_ = resolve_likelihood(self, X)
            self.input_mean_, self.input_scale_ = resolve_input_scaling(self, X)
        check_range(self, X)
        X = to_model_units(self, X)
        if first:
            self._initialize(X)
            record_built_settings(self, BUILT_SETTINGS)
        elif X.dtype != self.encoder_coefs_[0].dtype:
            X = X.astype(self.encoder_coefs_[0].dtype)
        self._optimizer.learning_rate = resolve_step(self)  # set_params between calls
        rng = self._rng
        n_classes = len(self.classes_)
        networks = self._encoder(), self._decoder(), self._classifier()
        params = self._params()
        labeled = np.flatnonzero(y_index >= 0)
        n_classify = min(self.batch_size, len(labeled))
        cycle = _Cycle(labeled, rng)
        weight = self.classification_weight

        def step(rows):
            y_batch = y_index[rows]
            n_copies = len(rows) + (n_classes - 1) * int(np.sum(y_batch < 0))
            eps = vae.draw_noise(rng, (n_copies, self.n_components), X.dtype)
            classify = cycle.take(n_classify)
            bound, nll, *grads = ssvae.objective_gradients(
                X[rows], y_batch, X[classify], y_index[classify], eps, *networks,
                self.likelihood_, n_classes, 1.0 / len(rows), weight)
            self._optimizer.step(params, [g for net in grads for g in net.as_list()])
            return -float(bound.sum()) + weight * len(rows) * float(nll.mean())

        run_epochs(
            step,
            X.shape[0],
            batch_size=self.batch_size,
            max_epochs=1 if incremental else self._max_epochs(X.shape[0]),
            rng=rng,
            history=self._history,
            verbose=self.verbose,
            name=type(self).__name__,
            on_epoch_start=lambda epoch: cycle.restart(),
            parameters=params,
            weights=self.encoder_coefs_ + self.decoder_coefs_ + self.classifier_coefs_,
            divergence_hint=divergence_hint(self),
            tol=None if incremental else self.tol,
            n_iter_no_change=None if incremental else self.n_iter_no_change,
            warn_not_converged=not incremental,
        )
        self.n_iter_ = self._history.n_epochs
        self.loss_curve_ = list(self._history.loss_curve)
        return self

    def _max_epochs(self, n_samples):
        """The epochs of a ``fit``, ``max_iter`` resolved, recorded in ``max_iter_``."""
        self.max_iter_ = (self.max_iter if self.max_iter != "auto" else auto_epochs(
            n_samples, self.batch_size, AUTO_UPDATES, *AUTO_EPOCHS))
        return self.max_iter_

    def _encode_labels(self, y, classes):
        """The class index of each row (-1 where unlabeled); sets ``classes_``
        (from ``classes`` when given, else the labeled rows')."""
        self.classes_, unlabeled, labeled_index = encode_labels(y, self, classes, min_classes=2)
        y_index = np.full(len(unlabeled), -1, dtype=np.intp)
        y_index[~unlabeled] = labeled_index
        return y_index

    def _initialize(self, X):
        lik = vae.LIKELIHOODS[self.likelihood_]
        self._rng = rng_from(self.random_state)
        n_features, n_classes, d = X.shape[1], len(self.classes_), self.n_components
        encoder_sizes, decoder_sizes = autoencoder_sizes(self.encoder_layer_sizes,
                                                         self.decoder_layer_sizes)
        self.encoder_coefs_, self.encoder_intercepts_ = init_layers(
            [n_features + n_classes, *encoder_sizes, 2 * d], self.activation, self._rng, X)
        self.decoder_coefs_, self.decoder_intercepts_ = init_layers(
            [d + n_classes, *decoder_sizes, lik.n_outputs(n_features)], self.activation,
            self._rng, X)
        classifier_sizes = check_hidden_layer_sizes(
            self.classifier_layer_sizes, "classifier_layer_sizes", allow_empty=True)
        self.classifier_coefs_, self.classifier_intercepts_ = init_layers(
            [n_features, *classifier_sizes, n_classes], self.activation, self._rng, X)
        # output biases at the data's base rates, as VariationalAutoencoder
        self.decoder_intercepts_[-1][...] = lik.initial_bias(X)
        self._optimizer = make_optimizer(self.optimizer, self._params(), resolve_step(self))
        self._history = History()

    # ------------------------------------------------------------- the model
    def _encoder(self):
        return network(self.encoder_coefs_, self.encoder_intercepts_, self.activation)

    def _decoder(self):
        return network(self.decoder_coefs_, self.decoder_intercepts_, self.activation)

    def _classifier(self):
        return network(self.classifier_coefs_, self.classifier_intercepts_, self.activation)

    def _params(self):
        return [p for coefs, intercepts in (
            (self.encoder_coefs_, self.encoder_intercepts_),
            (self.decoder_coefs_, self.decoder_intercepts_),
            (self.classifier_coefs_, self.classifier_intercepts_),
        ) for p in trainable_parameters(coefs, intercepts)]

    def _validate_X(self, X):
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        dtype = self.encoder_coefs_[0].dtype
        return to_model_units(self, X if X.dtype == dtype else X.astype(dtype))

    def predict_log_proba(self, X):
        """Logarithm of the classifier's class probabilities, log q(y | x).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = self._validate_X(X)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            log_proba = ssvae.classifier_log_proba(X, self._classifier())
        return check_finite(self, log_proba, X, "predict_log_proba")

    def predict_proba(self, X):
        """The classifier's class probabilities, q(y | x).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The most probable class of each row under q(y | x).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self)
        return self.classes_[self.predict_log_proba(X).argmax(axis=1)]

    def transform(self, X):
        """Posterior mean of z: ``sum_y q(y | x) mu(x, y)``.

        The mean of z under q(z | x) = sum_y q(y | x) q(z | x, y), the
        classifier's probabilities weighting each class's posterior mean.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_components)
            The posterior means.
        """
        check_is_fitted(self)
        X = self._validate_X(X)
        n, n_classes = X.shape[0], len(self.classes_)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            q = np.exp(ssvae.classifier_log_proba(X, self._classifier()))
            mu = ssvae.encode(X, np.empty(0, dtype=np.intp), self._encoder(), n_classes)[0]
            Z = np.einsum("kid,ik->id", mu.reshape(n_classes, n, -1), q)
        return check_finite(self, Z, X, "transform")

    @validate_method_params({name: SAMPLE_CONSTRAINTS[name]
                             for name in ("n_samples", "mean", "random_state")})
    def sample(self, n_samples=1, y=None, *, mean=False, random_state=None):
        """Draw from the model: y ~ p(y) (or given), z ~ N(0, I), x ~ p(x | y, z).

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples, at least 1.
        y : label, array-like of shape (n_samples,) or None, default=None
            The class of the samples: one label for all, one per sample, or
            None to draw each from the uniform prior p(y).
        mean : bool, default=False
            Return E[x | y, z] instead of a draw (smoother images).
        random_state : int, RandomState instance or None, default=None
            Seed of the draws.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features_in_)
            Samples.
        y : ndarray of shape (n_samples,)
            Their classes.
        """
        check_is_fitted(self)
        n_samples = int(n_samples)  # a bool is an int to the constraint
        rng = rng_from(random_state)
        n_classes = len(self.classes_)
        if y is None:
            classes = rng.integers(n_classes, size=n_samples)
        else:
            labels = np.asarray(y)
            labels = np.repeat(labels, n_samples) if labels.ndim == 0 else column_or_1d(labels)
            if len(labels) != n_samples:
                raise ValueError(f"y has {len(labels)} labels for n_samples={n_samples}.")
            unknown = np.setdiff1d(labels, self.classes_)
            if unknown.size:
                raise ValueError(
                    f"y has labels {unknown.tolist()} not in classes_ {self.classes_.tolist()}."
                )
            classes = np.searchsorted(self.classes_, labels)
        dtype = self.decoder_coefs_[0].dtype
        z = vae.draw_noise(rng, (n_samples, self.n_components), dtype)
        out = ssvae.decode(z, classes, self._decoder(), n_classes)
        lik = vae.LIKELIHOODS[self.likelihood_]
        X = from_model_units(self, lik.mean(out) if mean else lik.sample(out, rng))
        return X, self.classes_[classes]

    def score_samples(self, X):
        """Lower bound U(x) of log p(x) of each row, the class marginalised.

        ``U(x) = sum_y q(y | x) L(x, y) + H(q(y | x))`` with one draw of z per
        row and class, seeded by ``random_state`` and the row itself.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Lower bounds of log p(x) in nats (log-densities for
            ``likelihood='gaussian'``).
        """
        check_is_fitted(self)
        X = self._validate_X(X)
        seed = int(rng_from(self.random_state).integers(1 << 32))
        n_classes, d = len(self.classes_), self.n_components
        networks = self._encoder(), self._decoder()
        unlabeled = np.empty(0, dtype=np.intp)  # no labeled rows: every row once per class
        rows = max(1, SCORE_BLOCK // (n_classes * X.shape[1]))
        scores = []
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for start in range(0, X.shape[0], rows):
                x = X[start : start + rows]
                eps = np.moveaxis(vae.row_noise(x, seed, n_classes, d), 1, 0).reshape(-1, d)
                L = ssvae.labeled_bound(x, unlabeled, eps, *networks, self.likelihood_, n_classes)
                log_q = ssvae.classifier_log_proba(x, self._classifier())
                scores.append(ssvae.unlabeled_bound(L.reshape(n_classes, -1).T, log_q))
        return check_finite(self, np.concatenate(scores) + log_density_shift(self), X,
                            "score_samples")

    @property
    def _n_features_out(self):
        return self.n_components

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class _Cycle:
    """Rows drawn in turn from random permutations of ``rows``: every row once
    before any twice."""

    def __init__(self, rows, rng):
        self.rows, self.rng = rows, rng
        self.restart()

    def restart(self):
        self.order = self.rows[:0]

    def take(self, n):
        while len(self.order) < n:
            self.order = np.concatenate([self.order, self.rng.permutation(self.rows)])
        taken, self.order = self.order[:n], self.order[n:]
        return taken
