"""The deep autoencoder of Hinton & Salakhutdinov (2006): DBNAutoencoder."""

from numbers import Real

from ._array_api import check_fitted_namespace, check_weights, validate_X
from ._autoencoder import (
    _SHARED_CONSTRAINTS,
    RECONSTRUCTION_LOSSES,
    _BaseAutoencoder,
    squared_errors,
)
from ._compat import Interval, StrOptions, _fit_context
from ._deep import BaseDeepNetwork
from ._kernels.activations import matched_layers
from ._kernels.backend import astype, contiguous, mean
from ._kernels.scaling import (
    common_scale_standardization,
    fold_output_scaling,
    fold_scaling,
    scaled,
    unfold_output_scaling,
    unfold_scaling,
)
from ._pretraining import (
    AUTOENCODER_PRETRAIN_UPDATES,
    PRETRAINING,
    check_hidden_layer_sizes,
    layer_weights,
    learner_activations,
    make_layer_learners,
    pretrain_layers,
)
from ._training import History, warn_code_not_smaller

#: rows from which ``early_stopping='auto'`` holds out a validation split
AUTO_EARLY_STOPPING_ROWS = 100


class DBNAutoencoder(_BaseAutoencoder, BaseDeepNetwork):
    """Deep autoencoder pre-trained layer by layer, unrolled and fine-tuned.

    Hinton & Salakhutdinov (2006): a stack of layer learners (RBMs in the paper)
    is pre-trained greedily, the top one with linear code units; the stack is
    unrolled into an encoder and a decoder whose weights start as the
    transposed encoder weights with the learners' visible biases; the whole
    net is then fine-tuned by back-propagating the reconstruction error.

    Read more in the :ref:`User Guide <autoencoder>`.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(256, 128, 30)
        Encoder layers, bottom first; the last is the (linear) code. The
        paper's 784-1000-500-250-30 net is meant for 60,000 MNIST images; with
        the same codes, the default's 256-128 layers reconstruct held-out rows
        better on the data sets of ``benchmarks/defaults.py`` (5,000 MNIST
        images: 8.24 against 8.72 per image; the digits: 0.90 against 1.14;
        both without early stopping) in a third to a tenth of the time.
    pretraining : {'rbm', 'autoencoder', 'denoising'} or None, default='denoising'
        Layer learners: RBMs (a :class:`GaussianBernoulliRBM` at the bottom
        with ``loss='squared_error'``; the top one with Gaussian hidden units:
        the recipe of Hinton & Salakhutdinov 2006), :class:`Autoencoder` s,
        denoising ones with masking noise (the default: the lowest error on
        the data sets of ``benchmarks/defaults.py``), or none (``init``
        weights: the no-pre-training ablation).
    loss : {'auto', 'cross_entropy', 'squared_error'}, default='auto'
        Reconstruction loss with its output layer: logistic outputs and
        cross-entropy for data in [0, 1]; linear outputs and squared error for
        standardized real-valued data. 'auto' takes cross-entropy when every
        training value is in [0, 1] and squared error otherwise (on
        standardized digits a held-out error of 15.5 against 62.9 for
        cross-entropy, and PCA's 39.5 at the same code). Squared error is
        fitted on ``X`` centred by its column means and divided by one scale,
        the root mean square of the columns' deviations (``input_mean_``,
        ``input_scale_``, folded into the first and last layers): the same
        minimiser in units of mean variance 1, which the step sizes and
        Gaussian input units are made for, so ``1000 * X`` fits as ``X``.
    pretrain_n_iter : int or 'auto', default='auto'
        Pre-training epochs per layer; 'auto' gives each layer at least 4000
        minibatch updates and 10 epochs, at most 200 epochs (Hinton &
        Salakhutdinov use 50 epochs of MNIST, 30,000 updates). Fine-tuning
        starts from the stacked layers' reconstructions, so the autoencoder
        gets longer pre-training than :class:`DBNClassifier`'s 300 updates
        (a lower held-out error in ``benchmarks/defaults.py``).
    pretrain_learning_rate : float or 'auto', default='auto'
        Learning rate of the layer learners. RBM layers take momentum steps:
        'auto' is 0.1 for layers of logistic units and 0.001 for a layer with
        linear units (the code layer, and the bottom layer of real-valued
        data), the paper's rates. Autoencoder layers take Adam steps: 'auto'
        is Adam's 0.001. A number applies to every layer.
    pretrain_batch_size : int or 'auto', default='auto'
        Rows per pre-training minibatch; 'auto' is about a hundredth of the
        rows, between 20 and 100.
    pretrain_k : int, default=1
        Gibbs steps of CD-k (``pretraining='rbm'``).
    pretrain_momentum : float in [0, 1) or 'hinton', default='hinton'
        Momentum of RBM pre-training; 'hinton' is 0.5 for 5 epochs, then 0.9.
    pretrain_weight_decay : float, default=0.0002
        L2 penalty on the pre-training weights.
    activation : {'auto', 'logistic', 'tanh', 'relu', 'leaky_relu', 'identity'}, \
default='auto'
        Units of the hidden layers around the linear code, in the autoencoder
        learners' pre-training and in fine-tuning. 'auto' is 'logistic' under
        RBM pre-training (Hinton & Salakhutdinov's binary units) and 'relu'
        otherwise: rectifiers lowered the held-out error of
        ``benchmarks/defaults.py`` on every data set (MNIST-5000, code 30: 8.24
        against 10.13 for logistic units, without early stopping). Other
        units under RBM pre-training start from the RBMs' logistic units
        matched to them (tanh exactly, as ``tanh(z / 2) = 2 sigma(z) - 1``; rectifiers by the
        logistic's tangent at 0), not from the RBM weights as they are, which
        would leave rectifiers with negative biases dead.
    init : {'auto', 'xavier', 'lecun', 'he'}, default='auto'
        Random initialisation with ``pretraining=None``; 'auto' suits each
        layer's units: 'he' for rectifiers, 'xavier' otherwise.
    dropout : float in [0, 1), default=0.0
        Probability of dropping each hidden unit during fine-tuning.
    input_dropout : float in [0, 1), default=0.0
        Probability of dropping each input during fine-tuning.
    alpha : float, default=0.0
        L2 penalty ``alpha / (2 n) * sum ||W||^2`` added to the mean loss of a
        batch of ``n`` rows (scikit-learn's ``MLPClassifier`` convention).
    optimizer : {'adam', 'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', \
'rmsprop', 'radam', 'cg'}, default='adam'
        Fine-tuning method. 'cg' runs 3 iterations of conjugate gradient on
        each minibatch: the paper's method, with ``batch_size=1000``.
    learning_rate_init : float or 'auto', default='auto'
        Step size of the update rule (not used by 'cg'); 'auto' is the
        optimizer's own default step (0.001 for 'adam').
    learning_rate_decay : float, default=0.0
        The step size of fine-tuning epoch ``t`` (from 0) is
        ``learning_rate_init / (1 + learning_rate_decay * t)``.
    momentum : float in [0, 1), default=0.9
        Momentum of 'momentum' and 'nesterov'.
    batch_size : int or 'auto', default='auto'
        Rows per fine-tuning minibatch; 'auto' is ``min(200, n_samples)``.
    max_iter : int, default=200
        Maximum fine-tuning epochs of ``fit``.
    tol : float, default=1e-4
        Fine-tuning stops when the loss (or, with ``early_stopping``, the
        validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs.
    early_stopping : bool or 'auto', default='auto'
        Hold out ``validation_fraction`` of the rows, stop on minus their
        squared reconstruction error and keep the best weights. 'auto' does
        so from 100 rows (a validation split of 10 rows at the default
        fraction): in ``benchmarks/defaults.py`` it brought the held-out
        error on MNIST-5000 from 8.24 to 7.78 (in 40% of the time) and on
        near-Gaussian rows, where a network overfits what PCA's linear code
        does not, from 20% above PCA's to 2.6% (a low-rank Gaussian matrix,
        code 10); it cost 0.3% to 5% on the digits, still half PCA's error.
    validation_fraction : float, default=0.1
        Share of the rows held out by ``early_stopping``.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping, and at least as many as
        make 100 updates (a small data set has few batches an epoch, and a
        plateau of a few dozen updates is no sign of convergence).
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
    reconstruction_loss_ : {'cross_entropy', 'squared_error'}
        The loss fitted (``loss``, with 'auto' resolved).
    input_mean_ : ndarray of shape (n_features_in_,) or None
        With squared error, the column means the training rows were centred
        by; None with cross-entropy.
    input_scale_ : ndarray of shape (n_features_in_,) or None
        With squared error, the one scale they were divided by (the root mean
        square of the columns' standard deviations, repeated for each column).
        ``coefs_`` have the scaling folded in and take and give ``X``'s units;
        ``loss_curve_`` and ``pretrained_layers_`` are in the scaled units.
        None with cross-entropy.
    intercepts_ : list of ndarray
        Biases of the unrolled net.
    activations_ : list of str
        Activation of each layer: the hidden units (``activation``), a linear
        code, the hidden units, and the output matching ``loss``.
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
    batch_size_ : int
        The fine-tuning minibatch size used (``batch_size`` resolved).
    learning_rate_init_ : float or None
        The step size used (``learning_rate_init`` resolved; None for 'cg').
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
           if name not in {"visible_unit", "init_layers", "n_frozen_layers",
                           "batch_normalization"}},
        "loss": _SHARED_CONSTRAINTS["loss"],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "pretraining": [StrOptions(set(PRETRAINING)), None],
    }

    def __init__(
        self,
        hidden_layer_sizes=(256, 128, 30),
        *,
        pretraining="denoising",
        loss="auto",
        pretrain_n_iter="auto",
        pretrain_learning_rate="auto",
        pretrain_batch_size="auto",
        pretrain_k=1,
        pretrain_momentum="hinton",
        pretrain_weight_decay=0.0002,
        activation="auto",
        init="auto",
        dropout=0.0,
        input_dropout=0.0,
        alpha=0.0,
        optimizer="adam",
        learning_rate_init="auto",
        learning_rate_decay=0.0,
        momentum=0.9,
        batch_size="auto",
        max_iter=200,
        tol=1e-4,
        early_stopping="auto",
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
        self.activation = activation
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
    def fit(self, X, y=None, sample_weight=None):
        """Pre-train the stack, unroll it and fine-tune it on reconstruction.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the pre-training of each layer and in the
            fine-tuning loss (a row of weight 2 counts as two rows in the mean
            of its minibatch; a row of weight 0 takes no part).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, X, incremental=False, sample_weight=sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """One fine-tuning epoch; the first call pre-trains and unrolls first.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row, as in :meth:`fit`.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, X, incremental=True, sample_weight=sample_weight)

    @property
    def _loss(self):
        return RECONSTRUCTION_LOSSES[self.reconstruction_loss_][0]

    def _validate_targets(self, X, y, first, classes=None, sample_weight=None):
        if not first:
            check_fitted_namespace(self, X, "_coef", "partial_fit")
        X = validate_X(self, X, reset=first)
        w = check_weights(sample_weight, X)
        if first:
            self._resolve_loss(X)
            # squared error has the same minimiser in any units: fit in units
            # of mean variance 1, which the learning rates are made for
            self.input_mean_, self.input_scale_ = (
                common_scale_standardization(X, w)
                if self.reconstruction_loss_ == "squared_error" else (None, None))
        self._check_range(X)
        if self.input_mean_ is not None:
            X = scaled(X, self.input_mean_, self.input_scale_)
        return X, X, w, None

    def _fold_input_scaling(self, unfold=False):
        """Fold the scaling of squared-error fits into the first and last
        layers, so that ``coefs_`` take and give ``X``'s units (``unfold``:
        back to the scaled units, to train on)."""
        if self.input_mean_ is None:
            return
        m, r = self.input_mean_, self.input_scale_
        bottom = (unfold_scaling if unfold else fold_scaling)(
            self.coefs_[0], self.intercepts_[0], m, r)
        top = (unfold_output_scaling if unfold else fold_output_scaling)(
            self.coefs_[-1], self.intercepts_[-1], m, r)
        self._set_layer(0, *bottom)
        self._set_layer(-1, *top)

    def _early_stopping(self, X):
        """``early_stopping``, where 'auto' holds out a split from
        ``AUTO_EARLY_STOPPING_ROWS`` rows."""
        if self.early_stopping == "auto":
            return X.shape[0] >= AUTO_EARLY_STOPPING_ROWS
        return self.early_stopping

    def _validation_score(self, X, y, sample_weight=None):
        return -mean(squared_errors(X, self._decode(self._encode(X))), sample_weight)

    def _build(self, X, y, n_outputs, unlabeled=None, sample_weight=None):
        """Pre-train and unroll: encoder = the learners' up-pass, decoder = their
        transposed weights and visible biases (Hinton & Salakhutdinov 2006, Fig. 1)."""
        sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        warn_code_not_smaller(self, sizes[-1], X.shape[1], "the last of hidden_layer_sizes")
        dtype = X.dtype
        n_hidden, unit = len(sizes) - 1, self._hidden_activation(self.pretraining)
        activations = ([unit] * n_hidden + ["identity"] + [unit] * n_hidden
                       + [RECONSTRUCTION_LOSSES[self.reconstruction_loss_][1]])
        self.pretrained_layers_ = self._pretrain(X, sizes, sample_weight)
        if self.pretrained_layers_:
            coefs, hidden, visible = layer_weights(self.pretrained_layers_)
            units = [learner_activations(learner) for learner in self.pretrained_layers_]
            # the unrolled stack, matched to the units it gets: copies, so
            # fine-tuning leaves the pre-trained learners as they were
            layers = matched_layers(
                [(W, c, unit) for W, c, (unit, _) in zip(coefs, hidden, units)]
                + [(W.T, b, unit) for W, b, (_, unit) in zip(coefs[::-1], visible[::-1],
                                                             units[::-1])],
                activations)
            encoder = [(astype(W, dtype), astype(c, dtype)) for W, c in layers[: len(sizes)]]
            decoder = [(contiguous(astype(W, dtype)), astype(b, dtype))
                       for W, b in layers[len(sizes):]]
        else:
            widths = [X.shape[1], *sizes, *sizes[-2::-1], X.shape[1]]
            layers = [self._init(act)(n_in, n_out, self._rng, dtype, like=X)
                      for n_in, n_out, act in zip(widths[:-1], widths[1:], activations)]
            encoder, decoder = layers[: len(sizes)], layers[len(sizes):]
        self.encoder_, self.decoder_ = encoder, decoder
        self.coefs_ = [W for W, _ in encoder + decoder]
        self.intercepts_ = [b for _, b in encoder + decoder]
        self.activations_ = activations
        self.batch_norms_ = [None] * len(self.coefs_)
        self._trainable = [True] * len(self.coefs_)
        self._make_optimizer()
        self._history = History()

    def _pretrain(self, X, sizes, sample_weight=None):
        """The fitted layer learners, or ``[]`` without pre-training."""
        if self.pretraining is None:
            return []
        first_visible = "bernoulli" if self.reconstruction_loss_ == "cross_entropy" else "gaussian"
        learners = make_layer_learners(
            self.pretraining, sizes, settings=self._pretrain_settings(), random_state=self._rng,
            first_visible=first_visible, top_hidden="gaussian",
            activation=self._hidden_activation(self.pretraining),
        )
        return pretrain_layers(X, learners, verbose=self.verbose, sample_weight=sample_weight,
                               updates=AUTOENCODER_PRETRAIN_UPDATES, owner=self)

    def _hidden_sizes(self):
        return [W.shape[1] for W in self.coefs_[: len(self.coefs_) // 2]]

    def _encoder(self):
        n = len(self.coefs_) // 2
        return self.coefs_[:n], self.intercepts_[:n], self.activations_[:n]

    def _decoder(self):
        n = len(self.coefs_) // 2
        return self.coefs_[n:], self.intercepts_[n:], self.activations_[n:]

    _fitted_attribute = "_coef"

    @property
    def _n_features_out(self):
        return self.coefs_[len(self.coefs_) // 2 - 1].shape[1]
