"""Autoencoders: the one-hidden-layer (denoising) Autoencoder and the
DBNAutoencoder of Hinton & Salakhutdinov (2006)."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._compat import Interval, StrOptions, _fit_context
from ._deep import PRETRAIN_SETTINGS, BaseDeepNetwork
from ._kernels.activations import HIDDEN_ACTIVATIONS
from ._kernels.init import INITS
from ._kernels.network import forward, loss_and_gradients, trainable_parameters
from ._kernels.noise import NOISES
from ._kernels.optimizers import MOMENTUM_OPTIMIZERS, OPTIMIZERS, make_optimizer
from ._pretraining import (
    check_hidden_layer_sizes,
    layer_weights,
    make_layer_learners,
    pretrain_layers,
)
from ._rbm import rng_from
from ._training import (
    History,
    UnsupervisedFitMixin,
    momentum_at,
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
    return np.einsum("ij,ij->i", D, D)


class _BaseAutoencoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Encode, decode, score; subclasses provide ``_encoder()`` and ``_decoder()``,
    each ``(coefs, intercepts, activations)`` of a feed-forward net."""

    def _check_range(self, X):
        if self.loss == "cross_entropy":
            warn_outside_unit_interval(X, self, "loss='cross_entropy'",
                                       "Use loss='squared_error' for real-valued data")

    def _validate_X(self, X):
        """``X`` validated as the fitted model's input; warns when
        ``loss='cross_entropy'`` is given values outside [0, 1]."""
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
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
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        H : ndarray of shape (n_samples, n_components)
            The code.
        """
        check_is_fitted(self)
        X = self._validate_X(X)
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
        H = check_array(X, dtype=(np.float64, np.float32))
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
        X : array-like of shape (n_samples, n_features)
            Data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``-||x - decode(encode(x))||^2``.
        """
        check_is_fitted(self)
        X = self._validate_X(X)
        return -squared_errors(X, self._decode(self._encode(X)))

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
        return float(np.mean(self.score_samples(X)))

    def _encoder_layers(self):
        """``[(coef (n_in, n_out), intercept, activation), ...]`` of the encoder,
        bottom first: the layers a deep estimator can start from."""
        check_is_fitted(self)
        return list(zip(*self._encoder()))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


_SHARED_CONSTRAINTS = {
    "loss": [StrOptions(set(RECONSTRUCTION_LOSSES))],
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
    loss : {'cross_entropy', 'squared_error'}, default='cross_entropy'
        Reconstruction loss, with its matching decoder output ``g``:
        cross-entropy with a logistic output, for data in [0, 1]; squared
        error with a linear output, for real-valued data.
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
    learning_rate : float, default=0.1
        Step size.
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
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
    }

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
        learning_rate=0.1,
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

    def _fit(self, X, incremental):
        first = not (incremental and hasattr(self, "components_"))
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=first)
        if self.noise == "masking" and self.noise_level >= 1:
            raise ValueError(f"noise_level is a masking probability in [0, 1); got {self.noise_level}.")
        self._check_range(X)
        if first:
            self._initialize(X)
        rng, params = self._rng, self._params()
        corrupt = NOISES[self.noise] if self.noise is not None else None

        def step(rows):
            target = X[rows]
            inputs = corrupt(target, self.noise_level, rng) if corrupt else target
            _, summed, grads = self._objective(inputs, target)
            self._optimizer.step(params, grads)
            return summed

        def schedule(epoch):
            if self.optimizer in MOMENTUM_OPTIMIZERS:
                self._optimizer.momentum = momentum_at(self.momentum, epoch)

        run_epochs(
            step, X.shape[0], batch_size=self.batch_size,
            max_epochs=1 if incremental else self.n_iter, rng=rng, history=self._history,
            shuffle=self.shuffle, verbose=self.verbose, name=type(self).__name__,
            on_epoch_start=schedule,
            is_finite=lambda: all(np.isfinite(p).all() for p in params),
            divergence_hint=(f"Lower learning_rate (now {self.learning_rate}) of "
                             f"optimizer={self.optimizer!r}."),
        )
        self.n_iter_ = self._history.n_epochs
        self.loss_curve_ = list(self._history.loss_curve)
        return self

    def _initialize(self, X):
        self._rng = rng_from(self.random_state)
        n_features, dtype = X.shape[1], X.dtype
        coef, self.intercept_hidden_ = INITS["xavier"](n_features, self.n_components, self._rng, dtype)
        self.components_ = np.ascontiguousarray(coef.T)
        self.intercept_visible_ = np.zeros(n_features, dtype=dtype)
        if not self.tied:
            self.decoder_components_ = INITS["xavier"](self.n_components, n_features, self._rng, dtype)[0]
        elif hasattr(self, "decoder_components_"):
            del self.decoder_components_
        self._optimizer = make_optimizer(self.optimizer, self._params(), self.learning_rate,
                                         momentum_at(self.momentum, 0))
        self._history = History()

    def _params(self):
        params = [self.components_, self.intercept_hidden_, self.intercept_visible_]
        return params + ([] if self.tied else [self.decoder_components_])

    def _decoder_weights(self):
        return self.components_ if self.tied else self.decoder_components_

    def _encoder(self):
        return [self.components_.T], [self.intercept_hidden_], [self.activation]

    def _decoder(self):
        output = RECONSTRUCTION_LOSSES[self.loss][1]
        return [self._decoder_weights()], [self.intercept_visible_], [output]

    def _objective(self, inputs, target):
        """Objective of reconstructing ``target`` from ``inputs``, its summed loss,
        and the gradients in the order of ``_params()``."""
        loss, output = RECONSTRUCTION_LOSSES[self.loss]
        coefs, intercepts, activations = (a + b for a, b in zip(self._encoder(), self._decoder()))
        objective, summed, grads = loss_and_gradients(
            inputs, target, coefs, intercepts, activations, loss
        )
        W = self.components_
        grad_W = grads.coefs[0].T.copy()
        if self.tied:  # W appears in both layers
            grad_W += grads.coefs[1]
        if self.weight_decay:
            grad_W += self.weight_decay * W
            objective += 0.5 * self.weight_decay * float(np.vdot(W, W))
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



class DBNAutoencoder(_BaseAutoencoder, BaseDeepNetwork):
    """Deep autoencoder pre-trained layer by layer, unrolled and fine-tuned.

    Hinton & Salakhutdinov (2006): a stack of layer learners (RBMs by default)
    is pre-trained greedily, the top one with linear code units; the stack is
    unrolled into an encoder and a decoder whose weights start as the
    transposed encoder weights with the learners' visible biases; the whole
    net is then fine-tuned by back-propagating the reconstruction error.

    Read more in the :ref:`User Guide <autoencoder>`.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(1000, 500, 250, 30)
        Encoder layers, bottom first; the last is the (linear) code.
    pretraining : {'rbm', 'autoencoder', 'denoising'} or None, default='rbm'
        Layer learners: RBMs (a :class:`GaussianBernoulliRBM` at the bottom
        with ``loss='squared_error'``; the top one with Gaussian hidden units),
        :class:`Autoencoder` s, denoising ones with masking noise, or none
        (``init`` weights: the no-pre-training ablation).
    loss : {'cross_entropy', 'squared_error'}, default='cross_entropy'
        Reconstruction loss with its output layer: logistic outputs and
        cross-entropy for data in [0, 1]; linear outputs and squared error for
        standardized real-valued data.
    pretrain_n_iter : int, default=10
        Pre-training epochs per layer (Hinton & Salakhutdinov use 50).
    pretrain_learning_rate : float, default=0.1
        Learning rate of the layer learners. RBMs with linear units (the code
        layer, and the bottom layer of real-valued data) use a hundredth of
        it, as the paper's 0.001 against 0.1.
    pretrain_batch_size : int, default=100
        Rows per pre-training minibatch.
    pretrain_k : int, default=1
        Gibbs steps of CD-k (``pretraining='rbm'``).
    pretrain_momentum : float in [0, 1) or 'hinton', default='hinton'
        Momentum of the pre-training; 'hinton' is 0.5 for 5 epochs, then 0.9.
    pretrain_weight_decay : float, default=0.0002
        L2 penalty on the pre-training weights.
    init : {'xavier', 'lecun', 'he'}, default='xavier'
        Random initialisation with ``pretraining=None``.
    dropout : float in [0, 1), default=0.0
        Probability of dropping each hidden unit during fine-tuning.
    input_dropout : float in [0, 1), default=0.0
        Probability of dropping each input during fine-tuning.
    alpha : float, default=0.0
        L2 penalty ``alpha / 2 * sum ||W||^2`` added to the mean loss of a batch.
    optimizer : {'adam', 'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', \
'rmsprop', 'radam', 'cg'}, default='adam'
        Fine-tuning method. 'cg' runs 3 iterations of conjugate gradient on
        each minibatch: the paper's method, with ``batch_size=1000``.
    learning_rate_init : float, default=0.001
        Step size of the update rule (not used by 'cg').
    learning_rate_decay : float, default=0.0
        The step size of fine-tuning epoch ``t`` (from 0) is
        ``learning_rate_init / (1 + learning_rate_decay * t)``.
    momentum : float in [0, 1), default=0.9
        Momentum of 'momentum' and 'nesterov'.
    batch_size : int, default=100
        Rows per fine-tuning minibatch.
    max_iter : int, default=50
        Maximum fine-tuning epochs of ``fit``.
    tol : float, default=1e-4
        Fine-tuning stops when the loss (or, with ``early_stopping``, the
        validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows, stop on minus their
        squared reconstruction error and keep the best weights.
    validation_fraction : float, default=0.1
        Share of the rows held out by ``early_stopping``.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping.
    shuffle : bool, default=True
        Shuffle the rows at every epoch.
    warm_start : bool, default=False
        Continue fine-tuning the fitted network at ``fit``.
    verbose : int, default=0
        If positive, print one line per pre-trained layer and per fine-tuning
        epoch; above 1 the layer learners print their epochs too.
    random_state : int, RandomState instance or None, default=None
        Seeds pre-training, initialisation, the split, shuffling and dropout.

    Attributes
    ----------
    coefs_ : list of ndarray
        Weight matrices of the unrolled net, encoder then decoder, each of
        shape (n_in, n_out).
    intercepts_ : list of ndarray
        Biases of the unrolled net.
    activations_ : list of str
        Activation of each layer: logistic, a linear code, logistic, and the
        output matching ``loss``.
    encoder_ : list of (ndarray, ndarray)
        ``(coef, intercept)`` of the encoder layers (the arrays of ``coefs_``
        and ``intercepts_``).
    decoder_ : list of (ndarray, ndarray)
        ``(coef, intercept)`` of the decoder layers.
    pretrained_layers_ : list of estimators
        The fitted layer learners of the pre-training (empty without).
    loss_curve_ : list of float
        Mean training loss per sample of each fine-tuning epoch.
    best_loss_ : float or None
        Lowest training loss; None with ``early_stopping``.
    validation_scores_ : list of float or None
        With ``early_stopping``, minus the mean squared reconstruction error
        of the held-out rows per epoch; else None.
    best_validation_score_ : float or None
        Best validation score with ``early_stopping``, else None.
    n_iter_ : int
        Fine-tuning epochs run in total.
    t_ : int
        Minibatch updates run in total.
    converged_ : bool
        Whether the last ``fit`` stopped by its stopping rule.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    Autoencoder : One hidden layer.
    DBN : The unsupervised stack of RBMs.
    sklearn.decomposition.PCA : The linear baseline.

    Notes
    -----
    The code is ``f(... f(x W_1 + c_1) ... W_L + c_L)`` with logistic ``f``
    below a linear code layer; the decoder starts from ``W_L^T, ..., W_1^T``
    with the learners' visible biases ``b_L, ..., b_1`` (Hinton &
    Salakhutdinov 2006, Fig. 1). On MNIST the paper reports an average
    squared reconstruction error per test image of 3.00 for a
    784-1000-500-250-30 autoencoder against 13.87 for 30-component PCA; see
    ``benchmarks/autoencoder_mnist.py``.

    References
    ----------
    .. [1] Hinton, G. E. and Salakhutdinov, R. R. (2006). Reducing the
       dimensionality of data with neural networks. Science 313, 504-507.
    .. [2] Vincent, P., Larochelle, H., Lajoie, I., Bengio, Y. and Manzagol,
       P.-A. (2010). Stacked denoising autoencoders. JMLR 11, 3371-3408.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import DBNAutoencoder
    >>> X = load_digits().data / 16
    >>> ae = DBNAutoencoder(hidden_layer_sizes=(32, 2), max_iter=5,
    ...                     random_state=0).fit(X)
    >>> ae.transform(X).shape
    (1797, 2)
    >>> ae.inverse_transform(ae.transform(X)).shape
    (1797, 64)
    """

    _parameter_constraints = {
        **{name: constraint for name, constraint in BaseDeepNetwork._parameter_constraints.items()
           if name not in {"visible_unit", "init_layers", "n_frozen_layers", "activation",
                           "batch_normalization"}},
        "loss": _SHARED_CONSTRAINTS["loss"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(1000, 500, 250, 30),
        *,
        pretraining="rbm",
        loss="cross_entropy",
        pretrain_n_iter=10,
        pretrain_learning_rate=0.1,
        pretrain_batch_size=100,
        pretrain_k=1,
        pretrain_momentum="hinton",
        pretrain_weight_decay=0.0002,
        init="xavier",
        dropout=0.0,
        input_dropout=0.0,
        alpha=0.0,
        optimizer="adam",
        learning_rate_init=0.001,
        learning_rate_decay=0.0,
        momentum=0.9,
        batch_size=100,
        max_iter=50,
        tol=1e-4,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        shuffle=True,
        warm_start=False,
        verbose=0,
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.pretraining = pretraining
        self.loss = loss
        self.pretrain_n_iter = pretrain_n_iter
        self.pretrain_learning_rate = pretrain_learning_rate
        self.pretrain_batch_size = pretrain_batch_size
        self.pretrain_k = pretrain_k
        self.pretrain_momentum = pretrain_momentum
        self.pretrain_weight_decay = pretrain_weight_decay
        self.init = init
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.alpha = alpha
        self.optimizer = optimizer
        self.learning_rate_init = learning_rate_init
        self.learning_rate_decay = learning_rate_decay
        self.momentum = momentum
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.warm_start = warm_start
        self.verbose = verbose
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Pre-train the stack, unroll it and fine-tune it on reconstruction.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, X, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """One fine-tuning epoch; the first call pre-trains and unrolls first.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, X, incremental=True)

    @property
    def _loss(self):
        return RECONSTRUCTION_LOSSES[self.loss][0]

    def _validate_targets(self, X, y, first, classes=None):
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=first)
        self._check_range(X)
        return X, X

    def _validation_score(self, X, y):
        return -float(np.mean(squared_errors(X, self._decode(self._encode(X)))))

    def _build(self, X, y, n_outputs):
        """Pre-train and unroll: encoder = the learners' up-pass, decoder = their
        transposed weights and visible biases (Hinton & Salakhutdinov 2006, Fig. 1)."""
        sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        dtype = X.dtype
        self.pretrained_layers_ = self._pretrain(X, sizes)
        if self.pretrained_layers_:
            coefs, hidden, visible = layer_weights(self.pretrained_layers_)
            encoder = [(W.astype(dtype), c.astype(dtype)) for W, c in zip(coefs, hidden)]
            # copies: fine-tuning leaves the pre-trained learners as they were
            decoder = [(np.array(W.T, dtype=dtype, order="C"), b.astype(dtype))
                       for W, b in zip(coefs[::-1], visible[::-1])]
        else:
            widths = [X.shape[1], *sizes, *sizes[-2::-1], X.shape[1]]
            layers = [INITS[self.init](n_in, n_out, self._rng, dtype)
                      for n_in, n_out in zip(widths[:-1], widths[1:])]
            encoder, decoder = layers[: len(sizes)], layers[len(sizes):]
        self.encoder_, self.decoder_ = encoder, decoder
        self.coefs_ = [W for W, _ in encoder + decoder]
        self.intercepts_ = [b for _, b in encoder + decoder]
        n_hidden = len(sizes) - 1
        self.activations_ = (["logistic"] * n_hidden + ["identity"] + ["logistic"] * n_hidden
                             + [RECONSTRUCTION_LOSSES[self.loss][1]])
        self.batch_norms_ = [None] * len(self.coefs_)
        self._trainable = [True] * len(self.coefs_)
        params = trainable_parameters(self.coefs_, self.intercepts_)
        self._optimizer = (None if self.optimizer == "cg" else make_optimizer(
            self.optimizer, params, self.learning_rate_init, self.momentum))
        self._history = History()

    def _pretrain(self, X, sizes):
        """The fitted layer learners, or ``[]`` without pre-training."""
        if self.pretraining is None:
            return []
        first_visible = "bernoulli" if self.loss == "cross_entropy" else "gaussian"
        settings = {key: getattr(self, name) for name, key in PRETRAIN_SETTINGS.items()}
        settings.update(method="cd", verbose=max(int(self.verbose) - 1, 0))
        layer_settings = [dict(settings) for _ in sizes]
        if self.pretraining == "rbm":  # linear units take a hundredth of the rate
            for i in {len(sizes) - 1} | ({0} if first_visible == "gaussian" else set()):
                layer_settings[i]["learning_rate"] = self.pretrain_learning_rate / 100
        learners = make_layer_learners(
            self.pretraining, sizes, settings=layer_settings, random_state=self._rng,
            first_visible=first_visible, top_hidden="gaussian",
        )
        return pretrain_layers(X, learners, verbose=self.verbose)

    def _encoder(self):
        n = len(self.coefs_) // 2
        return self.coefs_[:n], self.intercepts_[:n], self.activations_[:n]

    def _decoder(self):
        n = len(self.coefs_) // 2
        return self.coefs_[n:], self.intercepts_[n:], self.activations_[n:]

    @property
    def _n_features_out(self):
        return self.coefs_[len(self.coefs_) // 2 - 1].shape[1]
