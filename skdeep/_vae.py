"""The variational autoencoder (Kingma & Welling 2014)."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._array_api import check_fitted_namespace, check_weights, check_X, validate_X
from ._compat import (
    Interval,
    StrOptions,
    validate_method_params,
    validate_parameter_constraints,
)
from ._kernels import vae
from ._kernels.activations import HIDDEN_ACTIVATIONS
from ._kernels.backend import (
    as_scalar,
    asarray,
    astype,
    concat,
    copy,
    errstate,
    get_namespace,
    mean,
    reshape,
    take_rows,
    to_numpy,
)
from ._kernels.draws import permutation
from ._kernels.init import INITS
from ._kernels.network import trainable_parameters
from ._kernels.optimizers import (
    OPTIMIZERS,
    VAE_LEARNING_RATES,
    make_optimizer,
    resolve_learning_rate,
)
from ._kernels.scaling import standardization
from ._pretraining import binary_like, check_hidden_layer_sizes
from ._rbm import SAMPLE_CONSTRAINTS, generator_for, rng_from
from ._training import (
    History,
    UnsupervisedFitMixin,
    auto_setting,
    check_built_settings,
    from_model_units,
    in_unit_interval,
    record_built_settings,
    run_epochs,
    to_model_units,
    warn_code_not_smaller,
    warn_outside_unit_interval,
)

#: initialization of a hidden layer by its activation (He et al. 2015 for
#: rectifiers); output layers and the other activations use Xavier's
HIDDEN_INITS = {"relu": "he", "leaky_relu": "he"}
#: settings that fix what a fitted VAE computes: a later ``partial_fit``
#: refuses a change of them
BUILT_SETTINGS = ("n_components", "encoder_layer_sizes", "decoder_layer_sizes",
                  "classifier_layer_sizes", "likelihood", "activation")
#: decoded outputs (rows x features) per block when scoring
SCORE_BLOCK = 1 << 22


def autoencoder_sizes(encoder_layer_sizes, decoder_layer_sizes):
    """Hidden sizes of the encoder and of the decoder (``None`` mirrors the
    encoder), checked by :func:`check_hidden_layer_sizes`."""
    encoder = check_hidden_layer_sizes(encoder_layer_sizes, "encoder_layer_sizes",
                                       allow_empty=True)
    decoder = (encoder[::-1] if decoder_layer_sizes is None
               else check_hidden_layer_sizes(decoder_layer_sizes, "decoder_layer_sizes",
                                             allow_empty=True))
    return encoder, decoder


def init_layers(sizes, activation, rng, like):
    """``(coefs, intercepts)`` of a dense network with the layer sizes ``sizes``,
    in the dtype, namespace and device of the array ``like``: hidden layers
    initialised for ``activation`` (``HIDDEN_INITS``), the output layer by
    Xavier's rule."""
    coefs, intercepts = [], []
    n_layers = len(sizes) - 1
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        init = HIDDEN_INITS.get(activation, "xavier") if i < n_layers - 1 else "xavier"
        W, b = INITS[init](n_in, n_out, rng, like.dtype, like=like)
        coefs.append(W)
        intercepts.append(b)
    return coefs, intercepts


def network(coefs, intercepts, activation):
    """The ``(coefs, intercepts, activations)`` triple of a network with
    ``activation`` on the hidden layers and the identity on the output."""
    return coefs, intercepts, [activation] * (len(coefs) - 1) + ["identity"]


def resolve_likelihood(estimator, X, sample_weight=None):
    """``estimator.likelihood``, where ``'auto'`` is Bernoulli when every
    training value is in [0, 1] and the data are ``binary_like`` (images), and
    the unit-variance Gaussian otherwise, min-max scaled tables included
    (``benchmarks/defaults.py --sections vae-tables``)."""
    if estimator.likelihood != "auto":
        return estimator.likelihood
    return ("bernoulli" if in_unit_interval(X) and binary_like(X, sample_weight)
            else "gaussian")


def resolve_input_scaling(estimator, X, sample_weight=None):
    """``(input_mean_, input_scale_)``: where ``likelihood='auto'`` took the
    unit-variance Gaussian, the columns' training mean and deviation, so that
    the model fits standardized data, whose unit variance it assumes (raw
    columns of scale 1,000 made the ELBO's gradients overflow); else
    ``(None, None)``, the data as given."""
    if estimator.likelihood == "auto" and estimator.likelihood_ == "gaussian":
        return standardization(X, sample_weight)
    return None, None


def log_density_shift(estimator):
    """What a log-density in the model's units (:func:`to_model_units`) gains
    in the data's: ``-sum_j log input_scale_[j]``, the change of variables'
    log-Jacobian."""
    r = getattr(estimator, "input_scale_", None)
    if r is None:
        return 0.0
    xp = get_namespace(r)
    return -xp.sum(xp.log(r))


def check_range(estimator, X):
    """Warn when the fitted Bernoulli likelihood (``likelihood_``) is given
    values outside [0, 1]."""
    if estimator.likelihood_ == "bernoulli":
        warn_outside_unit_interval(X, estimator,
                                   auto_setting("likelihood", estimator.likelihood, "Bernoulli"),
                                   "Use likelihood='gaussian' for real-valued data")


def check_finite(estimator, result, X, method, model_units=True):
    """``result`` of ``estimator.method(X)``, or a ``ValueError`` naming the
    first row whose result is not finite: the networks overflowed on values
    far larger than the training data's, a clear error instead of NaN. The
    row's largest value is reported in the data's units (``X`` is in the
    model's, :func:`to_model_units`, unless ``model_units`` is False)."""
    xp = get_namespace(result)
    finite = xp.isfinite(reshape(result, (result.shape[0], -1)))
    if bool(xp.all(finite)):
        return result
    bad = ~np.all(to_numpy(finite), axis=1)
    row = int(np.flatnonzero(bad)[0])
    values = X[row : row + 1, ...]
    if model_units:
        with errstate(get_namespace(values), over="ignore"):
            values = from_model_units(estimator, values)
    raise ValueError(
        f"{type(estimator).__name__}.{method}: the result of {int(bad.sum())} row(s) is "
        f"not finite (the first is row {row}, whose largest absolute value is "
        f"{float(np.max(np.abs(to_numpy(values)), initial=0)):.3g}): the "
        "networks overflow on values this large. Scale X as the data the model was "
        "fitted on."
    )


def resolve_step(estimator):
    """Set and return ``learning_rate_``: ``learning_rate``, where ``'auto'``
    is the optimizer's step in :data:`VAE_LEARNING_RATES` for the fitted
    likelihood."""
    steps = VAE_LEARNING_RATES["bernoulli" if estimator.likelihood_ == "bernoulli" else "gaussian"]
    estimator.learning_rate_ = resolve_learning_rate(estimator.optimizer,
                                                     estimator.learning_rate, steps)
    return estimator.learning_rate_


def divergence_hint(estimator):
    """What to change when a VAE's training diverges."""
    advice = "standardize it" + (" and use likelihood='gaussian'"
                                 if estimator.likelihood_ == "bernoulli" else "")
    return (f"Lower learning_rate (now {estimator.learning_rate_}, optimizer="
            f"{estimator.optimizer!r}); with real-valued input, {advice}.")


class VariationalAutoencoder(UnsupervisedFitMixin, ClassNamePrefixFeaturesOutMixin,
                             TransformerMixin, BaseEstimator):
    """Variational autoencoder with Gaussian latent variables.

    An encoder network maps x to the mean and log-variance of a diagonal
    Gaussian posterior q(z | x); a decoder network maps a latent z to the
    parameters of p(x | z) (Bernoulli or unit-variance Gaussian). Both are
    trained jointly by maximising the evidence lower bound (ELBO) with the
    reparameterization trick.

    Read more in the :ref:`User Guide <vae>`.

    Parameters
    ----------
    encoder_layer_sizes : int or array-like of int, default=(500,)
        Hidden layer sizes of the encoder, from the input upwards.
    n_components : int, default=20
        Dimension of the latent space.
    decoder_layer_sizes : int, array-like of int or None, default=None
        Hidden layer sizes of the decoder, from the latent space upwards;
        ``None`` mirrors the encoder.
    likelihood : {'auto', 'bernoulli', 'gaussian', 'gaussian_learned_variance'}, \
default='auto'
        p(x | z): independent Bernoulli pixels (data in [0, 1]; the decoder
        outputs logits), a Gaussian with unit variance around the decoder's
        output (standardized real-valued data), or a Gaussian whose mean and
        log-variance per feature the decoder outputs (real-valued data whose
        features are predictable to different precisions). 'auto' is
        'bernoulli' when every training value is in [0, 1] with at least 0.4
        of the variance of binary data of the same means (images: digits
        0.51, MNIST 0.78), and 'gaussian' otherwise, min-max scaled tables
        included (0.08 to 0.28), as :class:`DBN`'s input units: on wine,
        iris, breast cancer and a 5-class ``make_classification`` set scaled
        to [0, 1], the Gaussian reconstructed held-out rows with 0.30 to 0.74
        times the Bernoulli's error, and its codes classified 3 to 27 points
        better. On standardized digits a held-out squared error of 22.9
        against 61.1 for the Bernoulli likelihood, whose means cannot leave
        [0, 1] (64.9 for the mean row). The Gaussian of 'auto' models the
        columns standardized by their training mean and deviation
        (``input_mean_``, ``input_scale_``), as its unit variance assumes
        (raw wine or breast-cancer columns, of scale 1,000, made the ELBO's
        gradients overflow); every method takes and gives the data's units,
        log-densities included. 'gaussian' takes the values as given. With
        unit variance and standardized data the noise alone can explain the
        data; a small network may then leave its code unused.
    activation : {'relu', 'tanh', 'logistic', 'leaky_relu', 'identity'}, default='relu'
        Activation of the hidden layers of both networks.
    optimizer : {'adam', 'radam', 'rmsprop', 'adagrad', 'adadelta', 'sgd', \
'momentum', 'nesterov'}, default='adam'
        Stochastic optimizer of the minibatch ELBO.
    learning_rate : float or 'auto', default='auto'
        Step size of the optimizer; 'auto' (``learning_rate_``) is 0.001 for
        Adam (the default) and RMSProp, 0.01 for AdaGrad and 1.0 for
        AdaDelta (their papers' steps: at a shared 0.001 AdaDelta
        reconstructed the digits no better than their mean); SGD, momentum,
        Nesterov and RAdam take 0.01 with the Bernoulli likelihood and 0.001
        (momentum and Nesterov 0.0001) with a Gaussian one, whose gradient is
        unbounded: at 0.01 they diverged on standardized data
        (``VAE_LEARNING_RATES`` in ``skdeep._kernels.optimizers``).
    batch_size : int, default=100
        Rows per minibatch.
    max_iter : int, default=50
        Maximum number of epochs of ``fit``.
    tol : float, default=1e-4
        Training stops once the monitored value (the training loss, or the
        validation ELBO with ``early_stopping``) has not improved by ``tol``
        nats for ``n_iter_no_change`` consecutive epochs.
    n_iter_no_change : int, default=10
        See ``tol``; at least as many epochs as make 100 updates.
    early_stopping : bool, default=False
        In ``fit``, hold out ``validation_fraction`` of the rows, monitor their
        ELBO (with noise fixed for the whole fit) and keep the best parameters.
    validation_fraction : float, default=0.1
        Fraction of rows held out with ``early_stopping``.
    n_importance_samples : int, default=1
        Samples from q(z | x) per row in :meth:`score_samples`: 1 gives the
        ELBO, more the tighter importance-weighted bound (Burda et al. 2016).
    verbose : int, default=0
        If positive, print one line per epoch (seconds, training loss).
    random_state : int, RandomState instance or None, default=None
        Seeds initialization, shuffling and the noise of training, and the
        noise of :meth:`score_samples`.

    Attributes
    ----------
    likelihood_ : {'bernoulli', 'gaussian', 'gaussian_learned_variance'}
        The likelihood fitted (``likelihood``, with 'auto' resolved).
    input_mean_, input_scale_ : ndarray of shape (n_features_in_,) or None
        The columns' training mean and deviation (1 for a constant column)
        by which ``likelihood='auto'`` standardized the data for its
        Gaussian; None where it took the Bernoulli likelihood, and for a
        likelihood given.
    learning_rate_ : float
        The step size used (``learning_rate``, with 'auto' resolved).
    encoder_coefs_ : list of ndarray
        Weight matrices of the encoder, layer ``i`` of shape (n_in, n_out); the
        last one maps to ``2 * n_components`` outputs, the posterior mean then
        log-variance.
    encoder_intercepts_ : list of ndarray
        Biases of the encoder.
    decoder_coefs_ : list of ndarray
        Weight matrices of the decoder, the last one of shape (., n_features).
    decoder_intercepts_ : list of ndarray
        Biases of the decoder.
    loss_curve_ : list of float
        Training loss (minus the minibatch ELBO, averaged over the rows) of
        each epoch.
    validation_scores_ : list of float or None
        Mean validation ELBO of each epoch with ``early_stopping``, else None.
    best_validation_score_ : float or None
        Best of ``validation_scores_``, else None.
    n_iter_ : int
        Epochs run in total (``partial_fit`` adds one per call).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    DBNAutoencoder : Deterministic deep autoencoder pre-trained with RBMs.
    sklearn.decomposition.PCA : The linear-Gaussian special case, in closed form.
    BernoulliRBM : An undirected model whose ``score`` is also in nats.

    Notes
    -----
    With q(z | x) = N(mu(x), diag sigma^2(x)) and the prior p(z) = N(0, I),
    the ELBO of a row is

    ``L(x) = E_q[log p(x | z)] - KL(q(z | x) || p(z)) <= log p(x)``,

    the KL term in closed form, the expectation estimated with one draw
    ``z = mu + sigma * eps``, ``eps ~ N(0, I)``, through which gradients flow
    (Kingma & Welling 2014, eq. 10). The importance-weighted bound
    ``log (1/K) sum_k p(x, z_k) / q(z_k | x)`` with ``z_k ~ q(z | x)`` lies
    between the ELBO and log p(x) and rises to log p(x) with ``K``
    (Burda et al. 2016). The noise :meth:`score_samples` uses for a row is
    seeded by ``random_state`` and the row itself, so each row's score does not
    depend on the other rows given with it.

    References
    ----------
    .. [1] Kingma, D. P. and Welling, M. (2014). Auto-encoding variational
       Bayes. ICLR.
    .. [2] Burda, Y., Grosse, R. and Salakhutdinov, R. (2016). Importance
       weighted autoencoders. ICLR.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import VariationalAutoencoder
    >>> X = load_digits().data / 16
    >>> vae = VariationalAutoencoder(encoder_layer_sizes=(64,), n_components=2,
    ...                              max_iter=5, random_state=0).fit(X)
    >>> vae.transform(X).shape
    (1797, 2)
    >>> vae.sample(3, random_state=0).shape
    (3, 64)
    >>> bool(vae.score(X) < 0)  # mean ELBO in nats
    True
    """

    _parameter_constraints = {
        "encoder_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "decoder_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left"), None],
        "likelihood": [StrOptions({*vae.LIKELIHOODS, "auto"})],
        "activation": [StrOptions(set(HIDDEN_ACTIVATIONS))],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_importance_samples": [Interval(Integral, 1, None, closed="left")],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        encoder_layer_sizes=(500,),
        n_components=20,
        *,
        decoder_layer_sizes=None,
        likelihood="auto",
        activation="relu",
        optimizer="adam",
        learning_rate="auto",
        batch_size=100,
        max_iter=50,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
        n_importance_samples=1,
        verbose=0,
        random_state=None,
    ):
        self.encoder_layer_sizes = encoder_layer_sizes
        self.n_components = n_components
        self.decoder_layer_sizes = decoder_layer_sizes
        self.likelihood = likelihood
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_importance_samples = n_importance_samples
        self.verbose = verbose
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def _fit(self, X, incremental, sample_weight=None):
        first = not (incremental and hasattr(self, "encoder_coefs_"))
        if not first:
            check_fitted_namespace(self, X, "_coef", "partial_fit")
            check_built_settings(self)
        X = validate_X(self, X, reset=first)
        weights = check_weights(sample_weight, X)
        if first:
            self.likelihood_ = resolve_likelihood(self, X, weights)
            self.input_mean_, self.input_scale_ = resolve_input_scaling(self, X, weights)
        check_range(self, X)
        X = to_model_units(self, X)
        if first:
            self._initialize(X, weights)
            record_built_settings(self, BUILT_SETTINGS)
        elif X.dtype != self.encoder_coefs_[0].dtype:
            X = astype(X, self.encoder_coefs_[0].dtype)
            weights = None if weights is None else astype(weights, X.dtype)
        self._optimizer.learning_rate = resolve_step(self)  # set_params between calls
        rng = self._rng
        X_train, w_train, validation_score, save_best = X, weights, None, None
        if self.early_stopping and not incremental:
            X_train, w_train, validation_score, save_best = self._validation_split(
                X, rng, weights)
        encoder, decoder = self._encoder(), self._decoder()
        params = self._params()

        def step(rows):
            x = take_rows(X_train, rows)
            eps = vae.draw_noise(rng, (x.shape[0], self.n_components), x.dtype, like=x)
            w = None if w_train is None else take_rows(w_train, rows)
            elbo, g_enc, g_dec = vae.elbo_gradients(x, eps, encoder, decoder, self.likelihood_,
                                                    sample_weight=w)
            self._optimizer.step(params, g_enc.as_list() + g_dec.as_list())
            xp = get_namespace(elbo)
            return -as_scalar(xp.sum(elbo if w is None else elbo * w))

        run_epochs(
            step,
            X_train.shape[0],
            batch_size=self.batch_size,
            max_epochs=1 if incremental else self.max_iter,
            rng=rng,
            history=self._history,
            verbose=self.verbose,
            name=type(self).__name__,
            parameters=params,
            weights=self.encoder_coefs_ + self.decoder_coefs_,
            divergence_hint=divergence_hint(self),
            tol=None if incremental else self.tol,
            n_iter_no_change=None if incremental else self.n_iter_no_change,
            validation_score=validation_score,
            save_best=save_best,
            warn_not_converged=not incremental,
            like=X,
            sample_weight=w_train,
        )
        if save_best is not None and self._best is not None:
            for p, best in zip(params, self._best):
                p[...] = best
        self._best = None
        self.n_iter_ = self._history.n_epochs
        self.loss_curve_ = list(self._history.loss_curve)
        self.validation_scores_ = list(self._history.validation_scores) or None
        self.best_validation_score_ = (
            self._history.best_validation_score if self.validation_scores_ else None
        )
        return self

    def _initialize(self, X, sample_weight=None):
        lik = vae.LIKELIHOODS[self.likelihood_]
        self._rng = generator_for(self.random_state, X)
        n_features = X.shape[1]
        encoder_sizes, decoder_sizes = autoencoder_sizes(self.encoder_layer_sizes,
                                                         self.decoder_layer_sizes)
        warn_code_not_smaller(self, self.n_components, n_features, "n_components")
        self.encoder_coefs_, self.encoder_intercepts_ = init_layers(
            [n_features, *encoder_sizes, 2 * self.n_components], self.activation, self._rng, X)
        self.decoder_coefs_, self.decoder_intercepts_ = init_layers(
            [self.n_components, *decoder_sizes, lik.n_outputs(n_features)], self.activation,
            self._rng, X)
        # output biases at the data's base rates, so training starts from the
        # independent-pixel model (Hinton 2010, section 8, for the RBM)
        self.decoder_intercepts_[-1][...] = astype(lik.initial_bias(X, sample_weight), X.dtype)
        self._optimizer = make_optimizer(self.optimizer, self._params(), resolve_step(self))
        self._history = History()
        self._best = None

    def _validation_split(self, X, rng, weights=None):
        n_val = max(1, int(round(self.validation_fraction * X.shape[0])))
        if n_val >= X.shape[0]:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves no training "
                f"rows out of {X.shape[0]}."
            )
        order = (rng.permutation(X.shape[0]) if get_namespace(X) is np
                 else permutation(rng, X.shape[0], like=X))
        X_val, X_train = take_rows(X, order[:n_val]), take_rows(X, order[n_val:])
        w_val, w_train = ((None, None) if weights is None else
                          (take_rows(weights, order[:n_val]), take_rows(weights, order[n_val:])))
        eps = vae.draw_noise(rng, (n_val, self.n_components), X.dtype, like=X)

        def validation_score():
            mu, log_var = vae.encode(X_val, self._encoder())
            out = vae.decode(vae.reparameterize(mu, log_var, eps), self._decoder())
            elbo = vae.elbo(X_val, out, mu, log_var, self.likelihood_)
            if w_val is None:
                return mean(elbo)
            xp = get_namespace(elbo)
            return as_scalar(xp.sum(elbo * w_val)) / max(as_scalar(xp.sum(w_val)), 1e-300)

        def save_best():
            self._best = [copy(p) for p in self._params()]

        return X_train, w_train, validation_score, save_best

    # ------------------------------------------------------------- the model
    def _encoder(self):
        return network(self.encoder_coefs_, self.encoder_intercepts_, self.activation)

    def _decoder(self):
        return network(self.decoder_coefs_, self.decoder_intercepts_, self.activation)

    def _params(self):
        return (trainable_parameters(self.encoder_coefs_, self.encoder_intercepts_)
                + trainable_parameters(self.decoder_coefs_, self.decoder_intercepts_))

    @property
    def _coef(self):
        """The encoder's first weights (whose namespace and device are the model's)."""
        return self.encoder_coefs_[0]

    def _validate_X(self, X, method):
        """``X`` validated as the fitted model's input to ``method``, in the
        namespace and on the device of the fit; warns when the Bernoulli
        likelihood is given values outside [0, 1]."""
        check_fitted_namespace(self, X, "_coef", method)
        X = validate_X(self, X, reset=False)
        check_range(self, X)
        return to_model_units(self, X)

    def transform(self, X):
        """Posterior mean E[z | x] of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_components)
            The means of q(z | x).
        """
        check_is_fitted(self)
        X = self._validate_X(X, "transform")
        with errstate(get_namespace(X), over="ignore", invalid="ignore", divide="ignore"):
            Z = copy(vae.encode(X, self._encoder())[0])
        return check_finite(self, Z, X, "transform")

    def inverse_transform(self, X):
        """Decoder mean E[x | z] of each latent vector.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Latent vectors, as :meth:`transform` returns them.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features_in_)
            Pixel probabilities (Bernoulli likelihood) or means (Gaussian).
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, "_coef", "inverse_transform")
        Z = check_X(X)
        if Z.shape[1] != self.n_components:
            raise ValueError(
                f"X has {Z.shape[1]} features, but {type(self).__name__} has "
                f"{self.n_components} latent components."
            )
        with errstate(get_namespace(Z), over="ignore", invalid="ignore", divide="ignore"):
            X_original = from_model_units(
                self, vae.LIKELIHOODS[self.likelihood_].mean(vae.decode(Z, self._decoder())))
        return check_finite(self, X_original, Z, "inverse_transform", model_units=False)

    @validate_method_params({name: SAMPLE_CONSTRAINTS[name]
                             for name in ("n_samples", "mean", "random_state")})
    def sample(self, n_samples=1, *, mean=False, random_state=None):
        """Draw from the model: z ~ N(0, I), then x ~ p(x | z).

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples, at least 1.
        mean : bool, default=False
            Return E[x | z] instead of a draw (smoother images).
        random_state : int, RandomState instance or None, default=None
            Seed of the draws.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features_in_)
            Samples.
        """
        check_is_fitted(self)
        W = self.decoder_coefs_[0]
        rng = generator_for(random_state, W)
        out = vae.decode(vae.draw_noise(rng, (int(n_samples), self.n_components), W.dtype,
                                        like=W),
                         self._decoder())
        lik = vae.LIKELIHOODS[self.likelihood_]
        return from_model_units(self, lik.mean(out) if mean else lik.sample(out, rng))

    def score_samples(self, X):
        """ELBO, or the importance-weighted bound, of each row, in nats.

        With ``n_importance_samples=1`` the single-sample ELBO (KL in closed
        form); with ``K > 1`` the bound ``log (1/K) sum_k p(x, z_k) / q(z_k | x)``,
        a lower bound of log p(x) that tightens as ``K`` grows, comparable with
        an RBM's AIS log-likelihood.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Lower bounds of log p(x) (log-densities for ``likelihood='gaussian'``).

        Raises
        ------
        ValueError
            If a row's bound is not finite: its values are so large that the
            networks overflow (scale ``X`` as the training data).
        """
        check_is_fitted(self)
        # set_params after fit is not validated by fit: check what is used here
        validate_parameter_constraints(
            {"n_importance_samples": self._parameter_constraints["n_importance_samples"]},
            {"n_importance_samples": self.n_importance_samples},
            caller_name=type(self).__name__,
        )
        X = self._validate_X(X, "score_samples")
        seed = int(rng_from(self.random_state).integers(1 << 32))
        k = self.n_importance_samples
        rows = max(1, SCORE_BLOCK // (k * X.shape[1]))
        encoder, decoder = self._encoder(), self._decoder()
        scores = []
        n = X.shape[0]
        with errstate(get_namespace(X), over="ignore", invalid="ignore", divide="ignore"):
            for start in range(0, n, rows):
                scores.append(self._score_block(X[start : min(start + rows, n), :], seed, k,
                                                encoder, decoder))
        return check_finite(self, concat(scores) + log_density_shift(self), X,
                            "score_samples")

    def _score_block(self, x, seed, k, encoder, decoder):
        """The bounds of the rows ``x``."""
        eps = asarray(np.moveaxis(vae.row_noise(x, seed, k, self.n_components), 1, 0), like=x)
        if k == 1:
            mu, log_var = vae.encode(x, encoder)
            out = vae.decode(vae.reparameterize(mu, log_var, eps[0, ...]), decoder)
            return vae.elbo(x, out, mu, log_var, self.likelihood_)
        return vae.importance_weighted_log_likelihood(x, eps, encoder, decoder, self.likelihood_)

    def score(self, X, y=None):
        """Mean of :meth:`score_samples` over the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Mean lower bound of log p(x) in nats; higher is better.
        """
        return mean(self.score_samples(X))

    @property
    def _n_features_out(self):
        # from a fitted attribute, so that get_feature_names_out raises
        # NotFittedError before fit
        return self.decoder_coefs_[0].shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.array_api_support = True
        return tags
