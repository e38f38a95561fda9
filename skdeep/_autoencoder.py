"""The one-hidden-layer (denoising) Autoencoder, and what every autoencoder
shares: encoding, decoding and scoring by reconstruction error."""

from numbers import Integral, Real

import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._array_api import check_fitted_namespace, check_weights, check_X, validate_X
from ._compat import Interval, StrOptions
from ._kernels.activations import HIDDEN_ACTIVATIONS
from ._kernels.backend import (
    astype,
    concat,
    contiguous,
    copy,
    dense_chunks,
    device,
    get_namespace,
    mean,
    size,
    squared_norm,
    take_rows,
    vecdot,
    widest_float,
    zeros,
)
from ._kernels.init import INITS
from ._kernels.network import forward, loss_and_gradients
from ._kernels.noise import NOISES
from ._kernels.optimizers import (
    AUTOENCODER_LEARNING_RATES,
    MOMENTUM_OPTIMIZERS,
    OPTIMIZERS,
    make_optimizer,
    resolve_learning_rate,
)
from ._rbm import generator_for
from ._training import (
    MIN_UPDATES,
    History,
    UnsupervisedFitMixin,
    auto_setting,
    check_built_settings,
    in_unit_interval,
    momentum_at,
    record_built_settings,
    run_epochs,
    warn_outside_unit_interval,
)

#: ``loss`` parameter -> (kernel loss, matching output activation)
RECONSTRUCTION_LOSSES = {
    "cross_entropy": ("binary_log_loss", "logistic"),
    "squared_error": ("squared_error", "identity"),
}


def squared_errors(X, R):
    """Squared reconstruction error ||x - r||^2 of each row."""
    D = R - X
    return vecdot(D, D, axis=1)


class _BaseAutoencoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Encode, decode, score; subclasses provide ``_encoder()`` and ``_decoder()``,
    each ``(coefs, intercepts, activations)`` of a feed-forward net, and name
    in ``_fitted_attribute`` a fitted array (its namespace and device are the
    model's)."""

    _fitted_attribute = "components_"
    #: ``accept_sparse`` of the input (minibatches are made dense one at a time)
    _accept_sparse = False

    def _resolve_loss(self, X):
        """Set ``reconstruction_loss_``: ``loss``, where ``'auto'`` is
        cross-entropy when every training value is in [0, 1] and squared error
        otherwise."""
        self.reconstruction_loss_ = self.loss
        if self.loss == "auto":
            self.reconstruction_loss_ = "cross_entropy" if in_unit_interval(X) else "squared_error"

    def _check_range(self, X):
        if self.reconstruction_loss_ == "cross_entropy":
            warn_outside_unit_interval(X, self, auto_setting("loss", self.loss, "cross-entropy"),
                                       "Use loss='squared_error' for real-valued data")

    def _validate_X(self, X, method):
        """``X`` validated as the fitted model's input to ``method``, in the
        namespace and on the device of the fit; warns when
        cross-entropy is given values outside [0, 1]."""
        check_fitted_namespace(self, X, self._fitted_attribute, method)
        X = validate_X(self, X, reset=False, accept_sparse=self._accept_sparse)
        self._check_range(X)
        return X

    def _encode(self, X):
        return forward(X, *self._encoder()).output

    def _decode(self, H):
        return forward(H, *self._decoder()).output

    def transform(self, X):
        """Encode ``X``: the code layer's activations.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data (a sparse matrix for :class:`Autoencoder`).

        Returns
        -------
        H : ndarray of shape (n_samples, n_components)
            The code.
        """
        check_is_fitted(self)
        X = self._validate_X(X, "transform")
        return self._encode(X)

    def inverse_transform(self, X):
        """Decode a code: the reconstruction of the input.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Codes, as :meth:`transform` returns them.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features_in_)
            Reconstructions (the decoder's output means).
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, self._fitted_attribute, "inverse_transform")
        H = check_X(X)
        if H.shape[1] != self._n_features_out:
            raise ValueError(
                f"X has {H.shape[1]} features, but {type(self).__name__} has a code "
                f"of {self._n_features_out} units."
            )
        return self._decode(H)

    def score_samples(self, X):
        """Negated squared reconstruction error of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data (a sparse matrix for :class:`Autoencoder`).

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``-||x - decode(encode(x))||^2``, summed in the widest float of
            ``X``'s library (float64 for numpy): errors in the units of
            float32 data as large as 1e20 have squares beyond float32.
        """
        check_is_fitted(self)
        X = self._validate_X(X, "score_samples")

        def scores(V):
            wide = widest_float(get_namespace(V), device(V))
            R = self._decode(self._encode(V))
            return -squared_errors(astype(V, wide, copy=False), astype(R, wide, copy=False))

        if sp.issparse(X):
            return concat([scores(V) for V in dense_chunks(X)])
        return scores(X)

    def score(self, X, y=None):
        """Negated mean squared reconstruction error per sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.
        y : None
            Ignored.

        Returns
        -------
        score : float
            ``-mean ||x - decode(encode(x))||^2``; higher is better, so
            ``GridSearchCV`` can select settings without a ``scoring``.
        """
        return mean(self.score_samples(X))

    def _encoder_layers(self):
        """``[(coef (n_in, n_out), intercept, activation), ...]`` of the encoder,
        bottom first: the layers a deep estimator can start from."""
        check_is_fitted(self)
        return list(zip(*self._encoder()))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.array_api_support = True
        tags.input_tags.sparse = bool(self._accept_sparse)
        return tags


_SHARED_CONSTRAINTS = {
    "loss": [StrOptions({*RECONSTRUCTION_LOSSES, "auto"})],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "momentum": [Interval(Real, 0, 1, closed="left"), StrOptions({"hinton"})],
    "shuffle": ["boolean"],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
}


class Autoencoder(UnsupervisedFitMixin, _BaseAutoencoder):
    """One-hidden-layer autoencoder; with ``noise``, a denoising autoencoder.

    The encoder ``h = f(x W^T + c)`` and the decoder ``r = g(h W' + b)`` are
    trained to reconstruct ``x`` from ``x`` or, with ``noise``, from a
    corrupted copy of it (Vincent et al. 2008). With ``tied=True`` the decoder
    weights are the encoder's, ``W' = W``. It is the layer learner of stacked
    (denoising) autoencoders and is useful alone.

    Read more in the :ref:`User Guide <autoencoder>`.

    Parameters
    ----------
    n_components : int, default=256
        Number of hidden units.
    activation : {'logistic', 'tanh', 'relu', 'leaky_relu', 'identity'}, default='logistic'
        Activation ``f`` of the hidden layer.
    loss : {'cross_entropy', 'squared_error', 'auto'}, default='cross_entropy'
        Reconstruction loss, with its matching decoder output ``g``:
        cross-entropy with a logistic output, for data in [0, 1]; squared
        error with a linear output, for real-valued data. 'auto' takes
        cross-entropy when every training value is in [0, 1] and squared
        error otherwise (the default of :class:`DBNAutoencoder`; here the
        default momentum step diverges with squared error on standardized
        data, so the default is the layer learner's cross-entropy).
    tied : bool, default=True
        Decoder weights equal to the encoder's.
    noise : {'gaussian', 'masking'} or None, default=None
        Corruption of the input during training: additive Gaussian noise of
        standard deviation ``noise_level``, or masking noise (each input set
        to 0 with probability ``noise_level``).
    noise_level : float, default=0.25
        Standard deviation of the Gaussian noise or masking probability.
    optimizer : {'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', \
'adam', 'radam'}, default='momentum'
        Update rule of the minibatch steps.
    learning_rate : float or 'auto', default='auto'
        Step size; 'auto' (``learning_rate_``) is 0.1, the former shared
        step, for every rule but RMSProp, 0.01, and AdaDelta, 1.0
        (``AUTOENCODER_LEARNING_RATES`` in ``skdeep._kernels.optimizers``): at
        0.1 their held-out errors on the digits were 2.5 and 3.6 times those
        at these steps.
    momentum : float in [0, 1) or 'hinton', default=0.9
        Momentum of 'momentum' and 'nesterov'; 'hinton' is 0.5 for 5 epochs,
        then 0.9.
    batch_size : int, default=10
        Rows per minibatch; the loss is averaged over the rows of a batch.
    n_iter : int, default=10
        Epochs of ``fit``.
    weight_decay : float, default=0.0
        L2 penalty ``weight_decay / 2 * ||W||^2`` on the weights.
    shuffle : bool, default=True
        Shuffle the rows at every epoch.
    verbose : int, default=0
        If positive, print one line per epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation, shuffling and noise.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        Encoder weights W.
    reconstruction_loss_ : {'cross_entropy', 'squared_error'}
        The loss fitted (``loss``, with 'auto' resolved).
    learning_rate_ : float
        The step size used (``learning_rate``, with 'auto' resolved).
    decoder_components_ : ndarray of shape (n_components, n_features)
        Decoder weights W'; only with ``tied=False``.
    intercept_hidden_ : ndarray of shape (n_components,)
        Hidden biases c.
    intercept_visible_ : ndarray of shape (n_features,)
        Reconstruction biases b.
    loss_curve_ : list of float
        Mean training loss per sample (under the noise) of each epoch.
    n_iter_ : int
        Epochs run in total.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    DBNAutoencoder : A deep autoencoder, pre-trained layer by layer.
    BernoulliRBM : The other layer learner.
    sklearn.decomposition.PCA : The linear autoencoder's solution.

    Notes
    -----
    The training objective of a batch ``B`` is
    ``1/|B| sum_{x in B} L(x, g(f(x~ W^T + c) W' + b)) + weight_decay/2 ||W||^2``
    with ``x~`` the corrupted input; cross-entropy is
    ``L(x, r) = -sum_i x_i log r_i + (1 - x_i) log(1 - r_i)``.

    References
    ----------
    .. [1] Vincent, P., Larochelle, H., Bengio, Y. and Manzagol, P.-A. (2008).
       Extracting and composing robust features with denoising autoencoders.
       ICML.
    .. [2] Bengio, Y., Lamblin, P., Popovici, D. and Larochelle, H. (2007).
       Greedy layer-wise training of deep networks. NIPS.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import Autoencoder
    >>> X = load_digits().data / 16
    >>> ae = Autoencoder(n_components=32, noise="masking", random_state=0).fit(X)
    >>> ae.transform(X).shape
    (1797, 32)
    >>> ae.inverse_transform(ae.transform(X)).shape
    (1797, 64)
    """

    _parameter_constraints = {
        **_SHARED_CONSTRAINTS,
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(HIDDEN_ACTIVATIONS))],
        "tied": ["boolean"],
        "noise": [StrOptions(set(NOISES)), None],
        "noise_level": [Interval(Real, 0, None, closed="left")],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
    }
    _accept_sparse = "csr"

    def __init__(
        self,
        n_components=256,
        *,
        activation="logistic",
        loss="cross_entropy",
        tied=True,
        noise=None,
        noise_level=0.25,
        optimizer="momentum",
        learning_rate="auto",
        momentum=0.9,
        batch_size=10,
        n_iter=10,
        weight_decay=0.0,
        shuffle=True,
        verbose=0,
        random_state=None,
    ):
        self.n_components = n_components
        self.activation = activation
        self.loss = loss
        self.tied = tied
        self.noise = noise
        self.noise_level = noise_level
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.batch_size = batch_size
        self.n_iter = n_iter
        self.weight_decay = weight_decay
        self.shuffle = shuffle
        self.verbose = verbose
        self.random_state = random_state

    def _fit(self, X, incremental, sample_weight=None):
        first = not (incremental and hasattr(self, "components_"))
        if not first:
            check_fitted_namespace(self, X, "components_", "partial_fit")
        X = validate_X(self, X, reset=first, accept_sparse=self._accept_sparse)
        weights = check_weights(sample_weight, X)
        if self.noise == "masking" and self.noise_level >= 1:
            raise ValueError(
                f"noise_level is a masking probability in [0, 1); got {self.noise_level}."
            )
        if first:
            self._resolve_loss(X)
        self._check_range(X)
        self.learning_rate_ = resolve_learning_rate(self.optimizer, self.learning_rate,
                                                    AUTOENCODER_LEARNING_RATES)
        if first:
            self._initialize(X)
            record_built_settings(self, ("loss", "activation"))
        else:
            X = self._continue_with(X)
        rng, params = self._rng, self._params()
        corrupt = NOISES[self.noise] if self.noise is not None else None

        def step(rows):
            target = take_rows(X, rows)
            inputs = corrupt(target, self.noise_level, rng) if corrupt else target
            _, summed, grads = self._objective(
                inputs, target, None if weights is None else take_rows(weights, rows))
            self._optimizer.step(params, grads)
            return summed

        def schedule(epoch):  # settings changed by set_params between calls apply
            self._optimizer.learning_rate = self.learning_rate_
            if self.optimizer in MOMENTUM_OPTIMIZERS:
                self._optimizer.momentum = momentum_at(self.momentum, epoch)

        run_epochs(
            step, X.shape[0], batch_size=self.batch_size,
            max_epochs=1 if incremental else self.n_iter, rng=rng, history=self._history,
            shuffle=self.shuffle, verbose=self.verbose, name=type(self).__name__,
            on_epoch_start=schedule,
            parameters=params, weights=params[:1] + params[3:],
            product_size=min(self.batch_size, X.shape[0]) * size(self.components_),
            min_updates=None if incremental else MIN_UPDATES,
            divergence_hint=(f"Lower learning_rate (now {self.learning_rate_}) of "
                             f"optimizer={self.optimizer!r}; with real-valued input, "
                             "standardize it first."),
            like=X, sample_weight=weights,
        )
        self.n_iter_ = self._history.n_epochs
        self.loss_curve_ = list(self._history.loss_curve)
        return self

    def _initialize(self, X):
        self._rng = generator_for(self.random_state, X)
        n_features, dtype = X.shape[1], X.dtype
        coef, self.intercept_hidden_ = INITS["xavier"](n_features, self.n_components, self._rng,
                                                       dtype, like=X)
        self.components_ = contiguous(coef.T)
        self.intercept_visible_ = zeros(n_features, dtype, like=X)
        if not self.tied:
            self.decoder_components_ = INITS["xavier"](self.n_components, n_features, self._rng,
                                                       dtype, like=X)[0]
        elif hasattr(self, "decoder_components_"):
            del self.decoder_components_
        self._make_optimizer()
        self._history = History()

    def _make_optimizer(self):
        self._optimizer = make_optimizer(self.optimizer, self._params(), self.learning_rate_,
                                         momentum_at(self.momentum, 0))
        self._optimizer_name, self._tied = self.optimizer, self.tied

    def _continue_with(self, X):
        """A later ``partial_fit``: ``X`` in the model's dtype, and the state
        adapted to settings changed since (an optimizer or untied decoder
        weights start afresh), or an error naming the setting."""
        check_built_settings(self)
        if self.n_components != self.components_.shape[0]:
            raise ValueError(
                f"n_components={self.n_components}, but the model was fitted with "
                f"{self.components_.shape[0]} hidden units; call fit to start anew."
            )
        if self.tied and not self._tied:
            raise ValueError("tied=True, but the model was fitted with untied decoder "
                             "weights; call fit to start anew.")
        if not self.tied and self._tied:  # untie: the decoder starts as the encoder
            self.decoder_components_ = copy(self.components_)
        if (self.optimizer, self.tied) != (self._optimizer_name, self._tied):
            self._make_optimizer()
        return astype(X, self.components_.dtype, copy=False)

    def _params(self):
        params = [self.components_, self.intercept_hidden_, self.intercept_visible_]
        return params + ([] if self.tied else [self.decoder_components_])

    def _decoder_weights(self):
        return self.components_ if self.tied else self.decoder_components_

    def _encoder(self):
        return [self.components_.T], [self.intercept_hidden_], [self.activation]

    def _decoder(self):
        output = RECONSTRUCTION_LOSSES[self.reconstruction_loss_][1]
        return [self._decoder_weights()], [self.intercept_visible_], [output]

    def _objective(self, inputs, target, sample_weight=None):
        """Objective of reconstructing ``target`` from ``inputs`` (rows weighted
        by ``sample_weight``), its summed loss, and the gradients in the order
        of ``_params()``."""
        loss, output = RECONSTRUCTION_LOSSES[self.reconstruction_loss_]
        coefs, intercepts, activations = (a + b for a, b in zip(self._encoder(), self._decoder()))
        objective, summed, grads = loss_and_gradients(
            inputs, target, coefs, intercepts, activations, loss, sample_weight=sample_weight
        )
        W = self.components_
        grad_W = contiguous(grads.coefs[0].T)
        if self.tied:  # W appears in both layers
            grad_W += grads.coefs[1]
        if self.weight_decay:
            grad_W += self.weight_decay * W
            objective += 0.5 * self.weight_decay * squared_norm(W)
        result = [grad_W, grads.intercepts[0], grads.intercepts[1]]
        return objective, summed, result + ([] if self.tied else [grads.coefs[1]])

    def _layer_params(self):
        """The layer as a feed-forward layer: ``(coef (n_in, n_out), intercept_hidden,
        intercept_visible)``, the protocol every layer-wise learner follows."""
        check_is_fitted(self)
        return self.components_.T, self.intercept_hidden_, self.intercept_visible_

    @property
    def _n_features_out(self):
        return self.components_.shape[0]
