"""Fine-tuned deep networks: the machinery shared by DBNClassifier and DBNRegressor.

A network is built bottom-up from (1) the layers of another fitted estimator
(transfer learning), (2) layers pre-trained greedily by
:func:`skdeep._pretraining.pretrain_layers`, or (3) random initialisation, and
topped with an output layer; then the whole net is fine-tuned by
back-propagation through :func:`skdeep._training.run_epochs`.
"""

import copy
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, clone, is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._kernels import draws
from ._kernels.activations import HIDDEN_ACTIVATIONS
from ._kernels.backend import (
    asarray,
    astype,
    concat,
    copy as copy_array,
    get_namespace,
    size,
    take_rows,
    to_numpy,
)
from ._kernels.init import INITS, init_for
from ._kernels.network import (
    BatchNorm,
    forward,
    loss_and_gradients,
    trainable_parameters,
)
from ._kernels.optimizers import (
    OPTIMIZERS,
    conjugate_gradient,
    make_optimizer,
    resolve_learning_rate,
)
from ._kernels.scaling import fold_scaling, scaled, unfold_scaling, unit_interval_scaling
from ._pretraining import (
    PRETRAINING,
    check_hidden_layer_sizes,
    encoding_layers,
    make_layer_learners,
    pretrain_layers,
    resolve_visible_unit,
    warn_binary_visible_range,
)
from ._rbm import generator_for
from ._training import (
    History,
    check_built_settings,
    decayed_learning_rate,
    is_binary,
    record_built_settings,
    run_epochs,
)

#: 'cg' minimises each (large) minibatch by conjugate gradient instead of a step rule
FINE_TUNING_OPTIMIZERS = (*OPTIMIZERS, "cg")
#: CG iterations per minibatch (Hinton & Salakhutdinov 2006: 3 line searches
#: on batches of 1000)
CG_ITERATIONS = 3
#: settings that fix what the built network computes: a warm start or a later
#: ``partial_fit`` refuses a change of them
BUILT_SETTINGS = ("activation", "visible_unit", "loss")
#: ``batch_size='auto'``: scikit-learn's ``min(200, n_samples)``
BATCH_SIZE = 200
#: estimator parameter -> layer learner parameter of the pre-training
PRETRAIN_SETTINGS = {
    "pretrain_n_iter": "n_iter",
    "pretrain_learning_rate": "learning_rate",
    "pretrain_batch_size": "batch_size",
    "pretrain_k": "k",
    "pretrain_momentum": "momentum",
    "pretrain_weight_decay": "weight_decay",
}


def transferred_layers(source, X, y):
    """``[(coef, intercept, activation), ...]`` of ``source``'s hidden layers.

    ``source`` is a fitted estimator with ``_encoder_layers()`` (a DBN, an
    autoencoder, a fine-tuned deep estimator, or a
    :class:`sklearn.frozen.FrozenEstimator` of one). An unfitted one (what
    :func:`sklearn.base.clone` makes of a fitted estimator) is cloned and
    fitted on ``X`` first. Arrays are copied: the source is never modified.
    """
    if not hasattr(source, "_encoder_layers"):
        raise TypeError(
            "init_layers must be a DBN, DBNClassifier, DBNRegressor, Autoencoder or "
            "DBNAutoencoder (fitted, or wrapped in sklearn.frozen.FrozenEstimator), "
            f"got {type(source).__name__}."
        )
    try:
        check_is_fitted(source)
    except NotFittedError:
        source = clone(source)
        fit_args = (X, y) if is_classifier(source) or is_regressor(source) else (X,)
        source.fit(*fit_args)
    # copies, in X's namespace and on its device
    return [(astype(asarray(W, like=X), X.dtype), astype(asarray(b, like=X), X.dtype), act)
            for W, b, act in source._encoder_layers()]


def folded_layer(coef, intercept, norm):
    """Coefficient and intercept of a layer with its batch norm (inference mode)
    folded in: gamma (x W + b - mean) / sqrt(var + eps) + beta."""
    if norm is None:
        return copy_array(coef), copy_array(intercept)
    scale = norm.gamma / get_namespace(coef).sqrt(norm.running_var + norm.eps)
    return coef * scale, (intercept - norm.running_mean) * scale + norm.beta


class BaseDeepNetwork(BaseEstimator):
    """Pre-training (or transfer) then back-propagation fine-tuning.

    Subclasses set ``_loss`` and ``_out_activation`` and implement
    ``_validate_targets(X, y, first, classes, sample_weight)`` returning
    ``(X, Y, w, unlabeled)`` with ``Y`` the 2-D network targets of the rows
    ``X``, ``w`` their weights (or None) and ``unlabeled`` the rows without a
    target and their weights, ``(X_unlabeled, w_unlabeled)`` (or None),
    ``_labels(Y)`` (``y`` back from ``Y``) and
    ``_validation_score(X, Y, sample_weight)``. Pre-training uses every row,
    fine-tuning the rows with targets; the held-out rows of
    ``early_stopping`` take no part in pre-training either.
    """

    _loss = None
    _out_activation = None

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "pretraining": [StrOptions({*PRETRAINING, "auto"}), None],
        "visible_unit": [StrOptions({"auto", "bernoulli", "gaussian"})],
        "pretrain_n_iter": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "pretrain_learning_rate": [Interval(Real, 0, None, closed="neither"),
                                   StrOptions({"auto"})],
        "pretrain_batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "pretrain_k": [Interval(Integral, 1, None, closed="left")],
        "pretrain_momentum": [Interval(Real, 0, 1, closed="left"), StrOptions({"hinton"})],
        "pretrain_weight_decay": [Interval(Real, 0, None, closed="left")],
        "init_layers": "no_validation",  # checked in fit: any estimator with layers
        "n_frozen_layers": [Interval(Integral, 0, None, closed="left")],
        "activation": [StrOptions({*HIDDEN_ACTIVATIONS, "auto"})],
        "init": [StrOptions({*INITS, "auto"})],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "input_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_normalization": ["boolean"],
        "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
        "optimizer": [StrOptions(set(FINE_TUNING_OPTIMIZERS))],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "learning_rate_decay": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(128, 128),
        *,
        pretraining="auto",
        visible_unit="auto",
        pretrain_n_iter="auto",
        pretrain_learning_rate="auto",
        pretrain_batch_size="auto",
        pretrain_k=1,
        pretrain_momentum="hinton",
        pretrain_weight_decay=0.0002,
        init_layers=None,
        n_frozen_layers=0,
        activation="auto",
        init="auto",
        dropout=0.0,
        input_dropout=0.0,
        batch_normalization=False,
        alpha="auto",
        optimizer="adam",
        learning_rate_init="auto",
        learning_rate_decay=0.0,
        momentum=0.9,
        batch_size="auto",
        max_iter=200,
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
        self.visible_unit = visible_unit
        self.pretrain_n_iter = pretrain_n_iter
        self.pretrain_learning_rate = pretrain_learning_rate
        self.pretrain_batch_size = pretrain_batch_size
        self.pretrain_k = pretrain_k
        self.pretrain_momentum = pretrain_momentum
        self.pretrain_weight_decay = pretrain_weight_decay
        self.init_layers = init_layers
        self.n_frozen_layers = n_frozen_layers
        self.activation = activation
        self.init = init
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.batch_normalization = batch_normalization
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

    # ------------------------------------------------------------ building
    def _hidden_activation(self, pretraining):
        """The activation of the hidden layers built here: ``'auto'`` is logistic
        under RBM pre-training (its hidden units are binary), ReLU otherwise."""
        if self.activation != "auto":
            return self.activation
        return "logistic" if pretraining == "rbm" else "relu"

    def _resolved_pretraining(self, X, unlabeled, transferred):
        """``pretraining`` with 'auto' resolved: RBMs, whose binary visible
        units are the exact model of binary data, on binary rows (unlabeled
        ones included); denoising autoencoders on other values, and above
        transferred layers, whose outputs are real-valued."""
        if self.pretraining != "auto":
            return self.pretraining
        rows = [X] + ([] if unlabeled is None else [unlabeled[0]])
        if not transferred and all(is_binary(a) for a in rows):
            return "rbm"
        return "denoising"

    def _init(self, activation):
        return INITS[init_for(activation) if self.init == "auto" else self.init]

    def _pretrain_settings(self):
        settings = {key: getattr(self, name) for name, key in PRETRAIN_SETTINGS.items()}
        settings.update(method="cd", verbose=max(int(self.verbose) - 1, 0))
        return settings

    def _build(self, X, y, n_outputs, unlabeled=None, sample_weight=None):
        """Initial layers: transferred, then pre-trained or random (on the rows
        of ``X``, weighted by ``sample_weight``, and the unlabeled rows
        ``unlabeled = (X_unlabeled, their weights)``), then the head."""
        sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        if self.n_frozen_layers > len(sizes):
            raise ValueError(
                f"n_frozen_layers={self.n_frozen_layers} exceeds the number of hidden "
                f"layers ({len(sizes)})."
            )
        dtype, rng = X.dtype, self._rng
        self.pretraining_ = self._resolved_pretraining(X, unlabeled, self.init_layers is not None)
        activation = self._hidden_activation(self.pretraining_)
        layers = []
        if self.init_layers is not None:
            layers = transferred_layers(self.init_layers, X, y)
            shapes = [W.shape for W, _, _ in layers]
            expected = list(zip([X.shape[1], *sizes], sizes))[: len(layers)]
            if len(layers) > len(sizes) or shapes != expected:
                raise ValueError(
                    f"init_layers has layers of shapes {shapes}, which must be the "
                    f"bottom of the network: hidden_layer_sizes={tuple(sizes)} on "
                    f"{X.shape[1]} features gives {list(zip([X.shape[1], *sizes], sizes))}."
                )
        new_sizes = sizes[len(layers):]
        self.pretrained_layers_ = []
        if new_sizes and self.pretraining_ is not None:
            inputs, weights = X, sample_weight
            if unlabeled is not None:
                inputs = concat([X, unlabeled[0]])
                weights = None if weights is None else concat([weights, unlabeled[1]])
            for W, b, act in layers:
                inputs = forward(inputs, [W], [b], [act]).output
            visible = self.visible_unit_
            if layers:
                visible = "bernoulli" if layers[-1][2] == "logistic" else "gaussian"
            else:
                warn_binary_visible_range(X, self)
            learners = make_layer_learners(
                self.pretraining_, new_sizes, settings=self._pretrain_settings(),
                random_state=rng, first_visible=visible, activation=activation)
            self.pretrained_layers_ = pretrain_layers(inputs, learners, verbose=self.verbose,
                                                      sample_weight=weights, owner=self)
            for W, c in encoding_layers(self.pretrained_layers_,
                                        [activation] * len(self.pretrained_layers_)):
                layers.append((astype(W, dtype), astype(c, dtype), activation))
        n_in = layers[-1][0].shape[1] if layers else X.shape[1]
        for n_out in sizes[len(layers):]:
            W, b = self._init(activation)(n_in, n_out, rng, dtype, like=X)
            layers.append((W, b, activation))
            n_in = n_out
        W, b = self._init(self._out_activation)(n_in, n_outputs, rng, dtype, like=X)
        layers.append((W, b, self._out_activation))
        self.coefs_ = [W for W, _, _ in layers]
        self.intercepts_ = [b for _, b, _ in layers]
        self.activations_ = [act for _, _, act in layers]
        self.batch_norms_ = [BatchNorm(n, dtype, like=X) if self.batch_normalization else None
                             for n in sizes] + [None]
        self._trainable = [i >= self.n_frozen_layers for i in range(len(layers))]
        self._make_optimizer()
        self._history = History()

    def _make_optimizer(self):
        params = trainable_parameters(self.coefs_, self.intercepts_, self.batch_norms_,
                                      self._trainable)
        self.learning_rate_init_ = (None if self.optimizer == "cg" else resolve_learning_rate(
            self.optimizer, self.learning_rate_init))
        self._optimizer = (None if self.optimizer == "cg" else make_optimizer(
            self.optimizer, params, self.learning_rate_init_, self.momentum))
        self._optimizer_name = self.optimizer

    # ------------------------------------------------------------ fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build the network (unless ``warm_start`` continues a fit), then fine-tune.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; a sparse matrix needs binary input units
            (``visible_unit`` 'auto' or 'bernoulli'; its minibatches are made
            dense one at a time).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (classifier; ``-1`` marks an unlabeled row) or targets
            (regressor).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the fine-tuning loss (a row of weight 2
            counts as two rows in the mean of its minibatch), as in
            scikit-learn's ``MLPClassifier``, and in the pre-training of each
            layer.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=False, sample_weight=sample_weight)

    def _fit(self, X, y, incremental, classes=None, sample_weight=None):
        first = not ((incremental or self.warm_start) and hasattr(self, "coefs_"))
        X, Y, w, unlabeled = self._validate_targets(X, y, first, classes, sample_weight)
        if first and hasattr(self, "visible_unit"):
            self.visible_unit_, self.input_min_, self.input_scale_ = self._input_units(
                X, unlabeled)
        X, unlabeled = self._scaled_input(X, unlabeled)
        if first or not incremental:
            self._rng = generator_for(self.random_state, X)
        validation = None
        if not incremental and self._early_stopping(X):
            X, Y, w, validation = self._validation_split(X, Y, w)
        if first:
            self._build(X, self._labels(Y), Y.shape[1], unlabeled, w)
            record_built_settings(self, BUILT_SETTINGS)  # checked by _continue_with
        else:
            X = self._continue_with(X)
            self._fold_input_scaling(unfold=True)
        try:
            if X.shape[0]:  # a later partial_fit may bring unlabeled rows only
                self._fine_tune(X, Y, w, validation, incremental)
        finally:
            self._fold_input_scaling()
        return self

    def _input_units(self, X, unlabeled):
        """``(visible_unit_, input_min_, input_scale_)``: the input units for
        the training rows (the unlabeled ones included); where
        ``visible_unit='auto'`` would take Gaussian units for the bottom of the
        network, binary units on the rows scaled to [0, 1] by their range, the
        inputs the defaults were chosen for (transferred layers take ``X`` as
        given)."""
        arrays = [X] + ([] if unlabeled is None else [unlabeled[0]])
        unit = resolve_visible_unit(self, *arrays)
        if unit == "gaussian" and self.visible_unit == "auto" and self.init_layers is None:
            return "bernoulli", *unit_interval_scaling(*arrays)
        return unit, None, None

    def _scaled_input(self, X, unlabeled):
        """``X`` and the unlabeled rows in the units the network is trained in."""
        low, span = getattr(self, "input_min_", None), getattr(self, "input_scale_", None)
        if low is None:
            return X, unlabeled
        if unlabeled is not None:
            unlabeled = (scaled(unlabeled[0], low, span), unlabeled[1])
        return scaled(X, low, span), unlabeled

    def _fold_input_scaling(self, unfold=False):
        """Fold the input scaling into the first layer, so that ``coefs_`` take
        ``X`` as given (``unfold``: back to the scaled units, to train on)."""
        low, span = getattr(self, "input_min_", None), getattr(self, "input_scale_", None)
        if low is None:
            return
        self._set_layer(0, *(unfold_scaling if unfold else fold_scaling)(
            self.coefs_[0], self.intercepts_[0], low, span))

    def _set_layer(self, i, W, b):
        """Write layer ``i``'s weights in place: the optimizer holds these arrays."""
        self.coefs_[i][...] = W
        self.intercepts_[i][...] = b

    def _early_stopping(self, X):
        """Whether ``fit`` on the rows ``X`` holds out a validation split."""
        return self.early_stopping

    def _validation_split(self, X, Y, w):
        """``(X, Y, w, (X_val, Y_val, w_val))``: the ``early_stopping`` split,
        stratified by class for a classifier (``Y`` is one-hot there)."""
        seed = int(self._rng.integers(np.iinfo(np.int32).max))
        arrays = (X, Y) if w is None else (X, Y, w)
        try:
            if get_namespace(X) is np:
                parts = train_test_split(
                    *arrays, test_size=self.validation_fraction, random_state=seed,
                    stratify=Y if is_classifier(self) else None)
            else:  # the same rows, drawn on the host, gathered on the device
                train, val = train_test_split(
                    np.arange(X.shape[0]), test_size=self.validation_fraction,
                    random_state=seed, stratify=to_numpy(Y) if is_classifier(self) else None)
                train, val = (asarray(rows, like=X) for rows in (train, val))
                parts = [take_rows(a, rows) for a in arrays for rows in (train, val)]
        except ValueError as exc:
            raise ValueError(
                f"early_stopping cannot hold out validation_fraction="
                f"{self.validation_fraction} of {X.shape[0]} rows"
                + (f" with every one of the {Y.shape[1]} classes in both parts"
                   if is_classifier(self) else "")
                + f" ({exc}); raise validation_fraction or set early_stopping=False."
            ) from None
        X, X_val, Y, Y_val = parts[:4]
        w, w_val = parts[4:] if w is not None else (None, None)
        return X, Y, w, (X_val, Y_val, w_val)

    def _continue_with(self, X):
        """A later ``partial_fit`` or warm start: ``X`` in the network's dtype,
        the settings that fixed its shape unchanged (or an error naming the
        one that changed), and those that can change adapted."""
        sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        if sizes != self._hidden_sizes():
            raise ValueError(
                f"hidden_layer_sizes={tuple(sizes)}, but the network was built with "
                f"{tuple(self._hidden_sizes())}; call fit with warm_start=False to "
                "start anew."
            )
        batch_normalization = getattr(self, "batch_normalization", False)
        if batch_normalization != (self.batch_norms_[0] is not None):
            raise ValueError(
                f"batch_normalization={batch_normalization}, but the network was "
                "built otherwise; call fit with warm_start=False to start anew."
            )
        check_built_settings(self)
        n_frozen = getattr(self, "n_frozen_layers", 0)
        trainable = [i >= n_frozen for i in range(len(self.coefs_))]
        if trainable != self._trainable:  # n_frozen_layers changed: new optimizer state
            self._trainable = trainable
            self._make_optimizer()
        return astype(X, self.coefs_[0].dtype, copy=False)

    def _hidden_sizes(self):
        return [W.shape[1] for W in self.coefs_[:-1]]

    def _resolved_alpha(self, X, Y, w, incremental):
        """``alpha``, where ``'auto'`` is ``_rectifier_alpha(X, Y, w)`` for hidden
        layers of rectifiers (kept from the first fit by a later
        ``partial_fit``) and scikit-learn's 0.0001 for others. The penalty of a
        batch is ``alpha / (2 n)``: a ``batch_size`` other than 'auto''s
        ``min(200, n_samples)`` scales the rectifiers' penalty with it, so that
        each update is penalized as at the default."""
        if self.alpha != "auto":
            return self.alpha
        rectifiers = all(act in ("relu", "leaky_relu") for act in self.activations_[:-1])
        if not rectifiers:
            return 0.0001
        if not (incremental and hasattr(self, "_auto_alpha")):
            self._auto_alpha = self._rectifier_alpha(X, Y, w)
        return self._auto_alpha * self.batch_size_ / min(BATCH_SIZE, X.shape[0])

    def _rectifier_alpha(self, X, Y, w):
        """'auto' penalty of rectifier hidden layers: scikit-learn's."""
        return 0.0001

    def _loss_and_gradients(self, X, Y, rng, objective=True, sample_weight=None):
        # the penalty of a batch of batch_size_ rows also in a smaller last
        # batch, which scikit-learn's alpha / (2 n) would penalize more: 40
        # times a full batch's for a last batch of 5 rows of 200
        alpha = self.alpha_ * X.shape[0] / self.batch_size_
        return loss_and_gradients(
            X, Y, self.coefs_, self.intercepts_, self.activations_, self._loss,
            alpha=alpha, dropout=[self.input_dropout] + [self.dropout] * (len(self.coefs_) - 1),
            batch_norms=self.batch_norms_, trainable=self._trainable, rng=rng,
            objective=objective, sample_weight=sample_weight)

    def _fine_tune(self, X, Y, w, validation, incremental):
        if self._optimizer_name != self.optimizer:  # changed by set_params: new state
            self._make_optimizer()
        rng = self._rng
        params = trainable_parameters(self.coefs_, self.intercepts_, self.batch_norms_,
                                      self._trainable)
        self.batch_size_ = min(BATCH_SIZE if self.batch_size == "auto" else self.batch_size,
                               X.shape[0])
        self.alpha_ = self._resolved_alpha(X, Y, w, incremental)

        def step(rows):
            # sparse rows stay sparse (the first layer's products skip their
            # zeros) unless input dropout multiplies them by a mask
            Xb, Yb = take_rows(X, rows, dense=self.input_dropout > 0), take_rows(Y, rows)
            wb = None if w is None else take_rows(w, rows)
            if self._optimizer is not None:
                _, summed, grads = self._loss_and_gradients(Xb, Yb, rng, objective=False,
                                                            sample_weight=wb)
                self._optimizer.step(params, grads.as_list())
                return summed
            seed = int(rng.integers(np.iinfo(np.int64).max))
            first_loss = []

            def objective(_):  # the same dropout masks at every evaluation
                value, summed, grads = self._loss_and_gradients(
                    Xb, Yb, draws.generator(seed, like=Xb), sample_weight=wb)
                first_loss.append(summed)
                return value, grads.as_list()

            conjugate_gradient(objective, params, CG_ITERATIONS)
            return first_loss[0]

        best = []

        def save_best():
            best[:] = [self._snapshot()]

        def schedule(epoch):  # settings changed by set_params between calls apply
            if self._optimizer is not None:
                self.learning_rate_init_ = resolve_learning_rate(self.optimizer,
                                                                 self.learning_rate_init)
                self._optimizer.learning_rate = decayed_learning_rate(
                    self.learning_rate_init_, self.learning_rate_decay, epoch)
                if hasattr(self._optimizer, "momentum"):
                    self._optimizer.momentum = self.momentum

        stopped = run_epochs(
            step, X.shape[0], batch_size=self.batch_size_, on_epoch_start=schedule,
            sample_weight=w,
            max_epochs=1 if incremental else self.max_iter, rng=rng,
            history=self._history, shuffle=self.shuffle, verbose=self.verbose,
            name=type(self).__name__,
            parameters=params, weights=[W for W, t in zip(self.coefs_, self._trainable) if t],
            product_size=self.batch_size_ * max(size(W) for W in self.coefs_),
            divergence_hint=(
                f"Lower learning_rate_init (now {self.learning_rate_init_}) or change "
                f"the optimizer (now {self.optimizer!r})."
            ),
            tol=self.tol, n_iter_no_change=None if incremental else self.n_iter_no_change,
            validation_score=(None if validation is None
                              else lambda: self._validation_score(*validation)),
            save_best=save_best,
            warn_not_converged=not incremental,
            like=X,
        )
        if best:
            self._restore(best[0])
        history = self._history
        self.n_iter_ = history.n_epochs
        self.t_ = history.t
        self.loss_curve_ = list(history.loss_curve)
        self.best_loss_ = history.best_loss if validation is None else None
        self.validation_scores_ = list(history.validation_scores) if validation else None
        self.best_validation_score_ = (history.best_validation_score if validation
                                       else None)
        self.converged_ = stopped

    def _snapshot(self):
        return copy.deepcopy((self.coefs_, self.intercepts_, self.batch_norms_))

    def _restore(self, snapshot):
        for current, saved in zip((self.coefs_, self.intercepts_), snapshot[:2]):
            for a, b in zip(current, saved):
                a[...] = b
        for norm, saved in zip(self.batch_norms_, snapshot[2]):
            if norm is not None:
                for name in ("gamma", "beta", "running_mean", "running_var"):
                    getattr(norm, name)[...] = getattr(saved, name)

    def _labels(self, Y):
        """The targets ``y`` that ``Y`` encodes (what a transferred source fits on)."""
        return Y

    # ------------------------------------------------------------ predicting
    @property
    def _coef(self):
        """The bottom layer's weights (whose namespace and device are the model's)."""
        return self.coefs_[0]

    def _forward(self, X):
        return forward(X, self.coefs_, self.intercepts_, self.activations_,
                       batch_norms=self.batch_norms_).output

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.array_api_support = True
        # binary input units take a sparse matrix (DBNAutoencoder has none)
        tags.input_tags.sparse = getattr(self, "visible_unit", "gaussian") != "gaussian"
        return tags

    def _encoder_layers(self):
        """``[(coef (n_in, n_out), intercept, activation), ...]`` of the hidden
        layers, bottom first (batch norm folded in): the layers another deep
        estimator can start from."""
        check_is_fitted(self)
        return [(*folded_layer(W, b, norm), act) for W, b, norm, act in zip(
            self.coefs_[:-1], self.intercepts_[:-1], self.batch_norms_[:-1],
            self.activations_[:-1])]


PARAMETERS_DOC = """
    hidden_layer_sizes : array-like of int, default=(128, 128)
        Units of each hidden layer, bottom first.
    pretraining : {'auto', 'rbm', 'autoencoder', 'denoising'} or None, default='auto'
        Greedy layer-wise pre-training of the hidden layers: RBMs trained by
        CD-k (a deep belief network, Hinton et al. 2006), autoencoders (a
        stacked autoencoder, Bengio et al. 2007), denoising autoencoders with
        masking noise (Vincent et al. 2010), or None for random initialisation
        by ``init`` (the no-pre-training baseline). 'auto' (``pretraining_``)
        takes RBMs for binary inputs (every value 0 or 1, unlabeled rows
        included: one-hot categories, binarized images), whose binary
        visible units are their exact model, and denoising autoencoders with
        the network's own activation otherwise. On real values denoising
        autoencoders matched or beat random initialisation on every data set
        of ``benchmarks/defaults.py``; on its nine binary classification sets
        (``--sections binary``) RBMs beat them on eight (one-hot categories
        0.772 against 0.744, binned features 0.735 against 0.680; binarized
        MNIST 0.926 against 0.941) and ``MLPClassifier()`` on all nine, where
        denoising autoencoders fell below it on four; on its four binary
        regression sets both beat ``MLPRegressor()``, RBMs by more on three.
    visible_unit : {'auto', 'bernoulli', 'gaussian'}, default='auto'
        Input units of the bottom pre-training layer: values in [0, 1], or
        standardized real values. 'auto' takes binary units and, where dense
        training data (unlabeled rows included) leave [0, 1], fits them
        min-max scaled to [0, 1] by their training range (``input_min_``,
        ``input_scale_``), the inputs the defaults were chosen on; the scaling
        is folded into the first layer, so ``coefs_`` take ``X`` as given. Fed
        raw or standardized data it then learns as on scaled data (raw breast
        cancer features, 0.001 to 4,000: 0.975 accuracy, where binary units on
        the raw values gave 0.703 and ``MLPClassifier()`` 0.935). With
        ``init_layers`` the data are taken as given, with Gaussian units
        outside [0, 1].
    pretrain_n_iter : int or 'auto', default='auto'
        Pre-training epochs per layer. 'auto' gives each layer at least 300
        minibatch updates and 10 epochs (at most 200 epochs), so that a small
        data set is pre-trained as thoroughly as a large one (Hinton &
        Salakhutdinov 2006 use 50 epochs of MNIST).
    pretrain_learning_rate : float or 'auto', default='auto'
        Learning rate of the pre-training. RBM layers take momentum steps on
        the batch mean: 'auto' is 0.1 where both layers are binary and 0.001
        for a layer with real-valued units (Gaussian visible units, a linear
        code), as Hinton & Salakhutdinov (2006). Autoencoder layers take Adam
        steps: 'auto' is Adam's 0.001. A number applies to every layer.
    pretrain_batch_size : int or 'auto', default='auto'
        Rows per pre-training minibatch; 'auto' is about a hundredth of the
        rows, between 20 and 100.
    pretrain_k : int, default=1
        Gibbs steps of CD-k (``pretraining='rbm'``).
    pretrain_momentum : float in [0, 1) or 'hinton', default='hinton'
        Momentum of RBM pre-training; 'hinton' is 0.5 for 5 epochs, then 0.9.
    pretrain_weight_decay : float, default=0.0002
        L2 penalty on the pre-training weights.
    init_layers : estimator or None, default=None
        Transfer learning: a fitted ``DBN``, ``DBNClassifier``, ``DBNRegressor``,
        ``Autoencoder`` or ``DBNAutoencoder`` (or a
        :class:`sklearn.frozen.FrozenEstimator` wrapping one) whose hidden
        layers, with their activations, become the bottom layers of this
        network; their sizes must be the first entries of
        ``hidden_layer_sizes``, and the layers above are pre-trained on their
        output. It is never modified. An unfitted estimator -- what ``clone``
        and ``GridSearchCV`` make of a fitted one -- is fitted on ``X`` first;
        wrap a fitted one in ``FrozenEstimator`` to keep it through cloning.
    n_frozen_layers : int, default=0
        The bottom layers kept fixed during fine-tuning (the frozen feature
        extractor of transfer learning).
    activation : {'auto', 'logistic', 'tanh', 'relu', 'leaky_relu', 'identity'}, \
default='auto'
        Activation of the hidden layers that are not transferred, in
        pre-training (autoencoder learners) and fine-tuning. 'auto' is
        'logistic' with ``pretraining='rbm'`` (an RBM's hidden units are
        binary) and 'relu' otherwise: logistic nets stall at chance on some
        data sets where rectifier nets learn. Other units under RBM
        pre-training start from the RBMs' logistic units matched to them
        (tanh exactly, as ``tanh(z / 2) = 2 sigma(z) - 1``; rectifiers by the
        logistic's tangent at 0, ``sigma(z) ~ 1/2 + z/4``), not from the RBM
        weights as they are, which leave rectifiers with negative biases dead
        (breast cancer: 0.63 accuracy, the majority class, against 0.94).
    init : {'auto', 'xavier', 'lecun', 'he'}, default='auto'
        Random initialisation of the output layer and, with
        ``pretraining=None``, of the hidden layers. 'auto' is 'he' for
        rectifier layers (He et al. 2015) and 'xavier' otherwise.
    dropout : float in [0, 1), default=0.0
        Probability of dropping each hidden unit during fine-tuning (inverted
        dropout; none at prediction).
    input_dropout : float in [0, 1), default=0.0
        Probability of dropping each input.
    batch_normalization : bool, default=False
        Batch-normalize the hidden pre-activations (Ioffe & Szegedy 2015).
    alpha : float or 'auto', default='auto'
        L2 penalty ``alpha / (2 n) * sum ||W||^2`` added to the mean loss of a
        batch of ``n`` rows: scikit-learn's ``MLPClassifier`` convention, so a
        value carries over between the two (a smaller last batch of an epoch
        takes a full batch's penalty, where scikit-learn's would penalize a
        last batch of 5 rows 40 times as much). 'auto' (``alpha_``) is
        scikit-learn's 0.0001, except for :class:`DBNRegressor` with
        rectifier hidden layers (the default), whose network overfits small
        noisy regression sets: there it rises with the noise in the targets,
        from 0.1 to 3 (``0.3 (f / 0.3)^3``, ``f`` half the mean squared
        difference between a row's target and its nearest neighbour's over
        the targets' variance; diabetes: 1.4, R^2 0.498 against 0.479 at
        0.0001), and falls to 0.01 where ridge regression's leave-one-out
        error exceeds ``f`` by 0.05 to 0.15 of the variance, a signal no
        linear function follows (a noisy wave over two inputs: R^2 0.43,
        against 0.05 at the noise's penalty alone). Logistic units, which a
        penalty holds in their linear range, and classifiers did better at
        0.0001. With rectifier hidden layers (either estimator) these values
        hold at the default ``batch_size`` and are scaled by
        ``batch_size / min(200, n_samples)`` at another, so that each update
        is penalized alike (unscaled, one-row batches stopped learning).
    optimizer : {'adam', 'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', \
'rmsprop', 'radam', 'cg'}, default='adam'
        Fine-tuning update rule. 'cg' runs 3 iterations of nonlinear conjugate
        gradient (``scipy.optimize.minimize(method='CG')``) on each minibatch,
        as Hinton & Salakhutdinov (2006) did on batches of 1000; use a large
        ``batch_size`` with it.
    learning_rate_init : float or 'auto', default='auto'
        Step size of the update rule (not used by 'cg'). 'auto' is the
        optimizer's own default step: 0.001 for 'adam' and 'rmsprop', 1.0 for
        'adadelta' (Zeiler 2012), 0.01 for 'radam', 'adagrad', 'momentum' and
        'nesterov', 0.1 for 'sgd' (the table is in the user guide).
    learning_rate_decay : float, default=0.0
        The step size of fine-tuning epoch ``t`` (counted from 0 across
        ``partial_fit`` and ``warm_start`` calls) is
        ``learning_rate_init / (1 + learning_rate_decay * t)``.
    momentum : float in [0, 1), default=0.9
        Momentum of 'momentum' and 'nesterov'.
    batch_size : int or 'auto', default='auto'
        Rows per fine-tuning minibatch (capped at the number of samples);
        'auto' is ``min(200, n_samples)``, as scikit-learn's MLP.
    max_iter : int, default=200
        Maximum fine-tuning epochs of ``fit``.
    tol : float, default=1e-4
        Training stops when the training loss (or, with ``early_stopping``,
        the validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified for
        a classifier), stop on its score (accuracy or R^2) and keep the best
        parameters. ``partial_fit`` does not use it.
    validation_fraction : float, default=0.1
        Share of the data held out by ``early_stopping``.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping, and at least as many as
        make 100 updates (a small data set has few batches an epoch, and a
        plateau of a few dozen updates is no sign of convergence).
    shuffle : bool, default=True
        Shuffle the rows at every epoch.
    warm_start : bool, default=False
        Continue fine-tuning the fitted network at ``fit`` instead of building
        a new one.
    verbose : int, default=0
        If positive, print one line per fine-tuning epoch (seconds, loss,
        validation score) and one per pre-trained layer; above 1 the
        pre-training layers print their epochs too.
    random_state : int, RandomState instance or None, default=None
        Seeds the one random generator of a fit: pre-training, initialisation,
        validation split, shuffling and dropout."""

ATTRIBUTES_DOC = """
    coefs_ : list of ndarray
        Weight matrix of each layer, of shape (n_in, n_out).
    intercepts_ : list of ndarray
        Bias vector of each layer.
    activations_ : list of str
        Activation of each layer, the output layer's last.
    batch_norms_ : list
        The batch normalization of each layer (``None`` where there is none).
    pretraining_ : {'rbm', 'autoencoder', 'denoising'} or None
        The pre-training used (``pretraining`` resolved).
    pretrained_layers_ : list of estimators
        The fitted layer learners of the pre-training (empty without).
    loss_curve_ : list of float
        Mean training loss per sample (without the penalty) of each epoch.
    best_loss_ : float or None
        Lowest training loss; None with ``early_stopping``.
    validation_scores_ : list of float or None
        Validation score of each epoch with ``early_stopping``, else None.
    best_validation_score_ : float or None
        Best validation score with ``early_stopping``, else None.
    visible_unit_ : {'bernoulli', 'gaussian'}
        The input units of the pre-training (``visible_unit`` resolved).
    input_min_, input_scale_ : ndarray of shape (n_features_in_,) or None
        The minimum and range (1 for a constant column) by which
        ``visible_unit='auto'`` scaled the training data to [0, 1]; None
        where it did not.
    batch_size_ : int
        The fine-tuning minibatch size used (``batch_size`` resolved).
    learning_rate_init_ : float or None
        The step size used (``learning_rate_init`` resolved; None for 'cg').
    alpha_ : float
        The L2 penalty used (``alpha`` resolved).
    n_iter_ : int
        Fine-tuning epochs run in total.
    t_ : int
        Minibatch updates run in total.
    converged_ : bool
        Whether the last ``fit`` stopped by its stopping rule.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names."""
