"""Greedy layer-wise pre-training over a list of layer learners.

A layer learner is an unsupervised scikit-learn transformer (an RBM or a
one-hidden-layer autoencoder) that exposes its weights through
``_layer_params() -> (coef (n_in, n_out), intercept_hidden, intercept_visible)``.
Every deep estimator builds its learners with :func:`make_layer_learners` and
trains them with :func:`pretrain_layers`, whatever its ``pretraining`` choice
(Hinton, Osindero & Teh 2006; Bengio et al. 2007; Vincent et al. 2008).
"""

import time
from numbers import Integral

import numpy as np
from sklearn.base import clone

from ._autoencoder import RECONSTRUCTION_LOSSES, Autoencoder
from ._compat import validate_parameter_constraints
from ._kernels.activations import matched_layers
from ._kernels.optimizers import DEFAULT_LEARNING_RATES
from ._kernels.scaling import binary_variance_share
from ._rbm import BernoulliRBM, GaussianBernoulliRBM, check_dense, rng_from
from ._training import (
    DivergenceError,
    auto_setting,
    in_unit_interval,
    layer_range_warnings_silenced,
    warn_outside_unit_interval,
)

PRETRAINING = ("rbm", "autoencoder", "denoising")


def per_layer(value, n_layers, name, estimator=None):
    """``value`` repeated for each layer, or a sequence of one value per layer.

    With ``estimator``, each value of a sequence must meet the constraint of
    the scalar parameter ``name`` in ``estimator._parameter_constraints`` (the
    constraint less ``"array-like"``), with scikit-learn's error message.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) != n_layers:
            raise ValueError(
                f"{name} has {len(value)} per-layer values but there are "
                f"{n_layers} layers."
            )
        values = [v.item() if isinstance(v, np.generic) else v for v in value]
        if estimator is not None:
            scalar = [c for c in estimator._parameter_constraints[name] if c != "array-like"]
            for i, v in enumerate(values):
                validate_parameter_constraints(
                    {name: scalar}, {name: v},
                    caller_name=f"{type(estimator).__name__} (layer {i + 1} of {name})")
        return values
    return [value] * n_layers


#: 'auto' step of an RBM layer's updates (gradient of the batch mean, with
#: momentum): 0.1 where both layers are binary (Hinton 2010, section 4); a
#: layer with linear units -- real-valued input or a linear code -- takes a
#: hundredth (Hinton & Salakhutdinov 2006: 0.001 for the linear code layer)
LEARNING_RATES = {"binary": 0.1, "linear": 0.001}
#: the update rule of autoencoder layers, at its own default step: Adam's steps
#: do not grow with the input's scale or width, where momentum SGD at 0.1 killed
#: every rectifier unit on MNIST and diverged on unscaled data
AUTOENCODER_OPTIMIZER = "adam"
#: 'auto' pre-training length: enough epochs for this many minibatch updates
#: per layer, within [MIN_EPOCHS, MAX_EPOCHS] (a small data set needs more
#: epochs for the same number of updates). Fine-tuning from labels relearns
#: the layers: 300 updates took 60% of the time of 500 on the small sets of
#: ``benchmarks/defaults.py``, every accuracy still at or above MLPClassifier's
PRETRAIN_UPDATES = 300
#: the same for a deep autoencoder, whose fine-tuning starts from the stacked
#: layers' reconstructions: against 500, 4000 updates lowered the held-out
#: error of ``benchmarks/defaults.py`` (without early stopping) on the digits (0.958 to 0.904),
#: MNIST-5000 (8.32 to 8.24) and image patches (0.251 to 0.241), for 0.139 to
#: 0.143 on breast cancer (rectifier units; with logistic ones, 1.254 to 1.049
#: on the digits and 0.208 to 0.150 on breast cancer)
AUTOENCODER_PRETRAIN_UPDATES = 4000
MIN_EPOCHS, MAX_EPOCHS = 10, 200
#: 'auto' pre-training minibatch: about a hundredth of the rows, from 20
#: (small data sets get more updates per epoch) to Hinton's 100
MIN_BATCH_SIZE, MAX_BATCH_SIZE = 20, 100


def auto_batch_size(n_samples):
    """The 'auto' pre-training minibatch of ``n_samples`` rows."""
    return int(min(n_samples, MAX_BATCH_SIZE, max(MIN_BATCH_SIZE, n_samples // 100)))


def auto_epochs(n_samples, batch_size, updates=PRETRAIN_UPDATES, min_epochs=MIN_EPOCHS,
                max_epochs=MAX_EPOCHS):
    """Epochs that give about ``updates`` minibatch updates (pre-training's
    :data:`PRETRAIN_UPDATES` by default), in [min_epochs, max_epochs]."""
    per_epoch = -(-n_samples // batch_size)
    return int(min(max_epochs, max(min_epochs, -(-updates // per_epoch))))


def resolve_settings(settings, n_samples, updates=PRETRAIN_UPDATES):
    """A learner's settings with ``'auto'`` batch size and epochs (about
    ``updates`` minibatch updates) resolved for ``n_samples`` rows (the
    learning rate is resolved per layer by unit type)."""
    settings = dict(settings)
    if settings.get("batch_size", None) == "auto":
        settings["batch_size"] = auto_batch_size(n_samples)
    if settings.get("n_iter", None) == "auto":
        settings["n_iter"] = auto_epochs(n_samples, settings["batch_size"], updates)
    return settings


def _layer_units(pretraining, first_visible, top_hidden, n_layers, activation):
    """``(visible, hidden)`` unit type of each layer: 'bernoulli' (values in
    [0, 1]) or 'gaussian' (real values), with the hidden activation of the
    autoencoder learners ('identity' for a linear code)."""
    # an autoencoder layer may be linear on both sides (its optimum is PCA's
    # subspace, Baldi & Hornik 1989); an RBM may not
    if (pretraining == "rbm" and first_visible == "gaussian" and top_hidden == "gaussian"
            and n_layers == 1):
        raise ValueError(
            "A single RBM cannot have both real-valued input and a linear code: "
            "a Gaussian-Gaussian RBM has no normalisable distribution. Add a layer, "
            "or pre-train it as an autoencoder (pretraining='autoencoder' or 'denoising')."
        )
    # RBM hidden units are binary; autoencoder layers take the network's activation
    bounded = pretraining == "rbm" or activation == "logistic"
    units = []
    for i in range(n_layers):
        visible = first_visible if i == 0 else ("bernoulli" if bounded else "gaussian")
        top = i == n_layers - 1 and top_hidden == "gaussian"
        hidden = "gaussian" if top else "bernoulli"
        units.append((visible, hidden))
    return units


def _learner(pretraining, visible, hidden, activation):
    """The learner class and its fixed unit/loss choices for one layer."""
    if pretraining == "rbm":
        cls = GaussianBernoulliRBM if visible == "gaussian" else BernoulliRBM
        return cls, {"hidden_unit": hidden}
    fixed = {
        "activation": "identity" if hidden == "gaussian" else activation,
        "loss": "squared_error" if visible == "gaussian" else "cross_entropy",
        "optimizer": AUTOENCODER_OPTIMIZER,
    }
    if pretraining == "denoising":
        fixed["noise"] = "masking"
    return Autoencoder, fixed


def make_layer_learners(pretraining, hidden_layer_sizes, *, settings=None,
                        random_state=None, first_visible="bernoulli",
                        top_hidden="bernoulli", activation="logistic"):
    """Unfitted layer learners for greedy pre-training.

    Parameters
    ----------
    pretraining : {'rbm', 'autoencoder', 'denoising'}
        RBMs (a deep belief network), autoencoders (a stacked autoencoder) or
        denoising autoencoders with masking noise (a stacked denoising
        autoencoder).
    hidden_layer_sizes : sequence of int
        Units of each hidden layer, bottom first.
    settings : dict, list of dict or None
        Constructor parameters of the learners: one dict shared by all layers,
        or one dict per layer. Keys a learner does not take (an RBM's ``k`` for
        an autoencoder) are dropped, so one dict serves every ``pretraining``;
        a key no learner takes raises ``ValueError``. ``random_state`` in a
        layer's dict overrides the seed derived for it. A ``learning_rate`` of
        ``'auto'`` becomes :data:`LEARNING_RATES` of the layer's unit types;
        ``'auto'`` ``batch_size`` and ``n_iter`` are resolved when the layer
        is fitted (:func:`resolve_settings`).
    random_state : int, RandomState instance, Generator or None
        Seeds one independent seed per layer.
    first_visible : {'bernoulli', 'gaussian'}
        Input units of the bottom layer: values in [0, 1], or real-valued
        (a :class:`GaussianBernoulliRBM`, or a squared-error autoencoder).
    top_hidden : {'bernoulli', 'gaussian'}
        Units of the top layer: nonlinear, or linear (the real-valued code of a
        deep autoencoder, Hinton & Salakhutdinov 2006).
    activation : str
        Hidden activation of autoencoder learners below a linear code (RBM
        hidden units are binary: logistic). Above a non-logistic layer the
        autoencoders reconstruct real values (squared error).

    Returns
    -------
    learners : list of estimators
        One unfitted learner per hidden layer.
    """
    if pretraining not in PRETRAINING:
        raise ValueError(f"pretraining must be one of {PRETRAINING}, got {pretraining!r}.")
    sizes = list(hidden_layer_sizes)
    n_layers = len(sizes)
    if isinstance(settings, (list, tuple)):
        layer_settings = per_layer(list(settings), n_layers, "settings")
    else:
        layer_settings = [settings or {}] * n_layers
    _check_known(layer_settings)
    rng = rng_from(random_state)
    seeds = rng.integers(np.iinfo(np.int32).max, size=n_layers)
    learners = []
    units = _layer_units(pretraining, first_visible, top_hidden, n_layers, activation)
    for size, (visible, hidden), kwargs, seed in zip(sizes, units, layer_settings, seeds):
        cls, fixed = _learner(pretraining, visible, hidden, activation)
        accepted = cls().get_params()
        params = {"random_state": int(seed)}
        params.update({key: value for key, value in kwargs.items() if key in accepted})
        if params.get("learning_rate", None) == "auto":
            linear = "gaussian" in (visible, hidden)
            params["learning_rate"] = (
                DEFAULT_LEARNING_RATES[AUTOENCODER_OPTIMIZER] if cls is Autoencoder
                else LEARNING_RATES["linear" if linear else "binary"])
        params.update(fixed, n_components=int(size))
        learners.append(cls(**params))
    return learners


def _check_known(layer_settings):
    known = set()
    for cls in (BernoulliRBM, GaussianBernoulliRBM, Autoencoder):
        known |= set(cls().get_params())
    for kwargs in layer_settings:
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise ValueError(
                f"Unknown pre-training setting(s) {unknown}; the layer learners take "
                f"{sorted(known)}."
            )


def pretrain_layers(X, learners, *, verbose=0, sample_weight=None, updates=PRETRAIN_UPDATES,
                    owner=None, rate_parameter="pretrain_learning_rate"):
    """Fit each learner greedily on the previous layer's hidden probabilities.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data of the bottom layer.
    learners : list of estimators
        Unfitted layer learners (see :func:`make_layer_learners`); they are
        cloned, not modified.
    verbose : int, default=0
        If positive, print one line per layer (its shape and seconds).
    sample_weight : array-like of shape (n_samples,), default=None
        Weight of each row in every layer's training.
    updates : int, default=PRETRAIN_UPDATES
        Minibatch updates per layer of an ``'auto'`` number of epochs.
    owner : estimator, optional
        The estimator that pre-trains: a layer's ``DivergenceError`` is raised
        again in its name, naming its step-size parameter ``rate_parameter``.
    rate_parameter : str, default='pretrain_learning_rate'
        ``owner``'s parameter of the layers' step size.

    Returns
    -------
    fitted : list of estimators
        The fitted learners, bottom first. Layer ``i + 1`` was trained on
        ``fitted[i].transform(...)`` of the layer below: hidden probabilities
        (or linear means), never samples (Hinton, Osindero & Teh 2006).
    """
    fitted = []
    inputs = X
    n_layers = len(learners)
    for i, learner in enumerate(learners):
        start = time.perf_counter()
        learner = clone(learner)
        auto = resolve_settings(
            {k: v for k, v in learner.get_params().items() if k in ("batch_size", "n_iter")},
            inputs.shape[0], updates)
        with layer_range_warnings_silenced():
            try:
                learner.set_params(**auto).fit(inputs, sample_weight=sample_weight)
            except DivergenceError as error:
                if owner is None:
                    raise
                raise DivergenceError(
                    f"{type(owner).__name__}: pre-training layer {i + 1} "
                    f"({type(learner).__name__}): {error.detail}. Lower {rate_parameter} "
                    f"(now {learner.learning_rate} in this layer), or standardize "
                    "real-valued input.", error.detail) from error
            if i < n_layers - 1:
                inputs = learner.transform(inputs)
        fitted.append(learner)
        if verbose:
            coef = learner._layer_params()[0]
            print(
                f"[pretraining] layer {i + 1}/{n_layers} {type(learner).__name__} "
                f"{coef.shape[0]} -> {coef.shape[1]}: {time.perf_counter() - start:.2f}s",
                flush=True,
            )
    return fitted


def learner_activations(learner):
    """``(hidden, visible)``: the activations of a fitted layer learner's
    hidden units and of its reconstruction. An RBM's binary units are
    logistic, its Gaussian units linear."""
    if hasattr(learner, "hidden_unit"):
        return tuple("logistic" if unit == "bernoulli" else "identity"
                     for unit in (learner.hidden_unit, learner._visible))
    return learner.activation, RECONSTRUCTION_LOSSES[learner.reconstruction_loss_][1]


def encoding_layers(learners, activations):
    """``[(coef, intercept), ...]``: the fitted learners' up-pass as layers of
    units ``activations``, matched to the units each learner trained
    (:func:`~skdeep._kernels.activations.matched_layers`)."""
    return matched_layers([(*learner._layer_params()[:2], learner_activations(learner)[0])
                           for learner in learners], activations)


def layer_weights(learners):
    """``(coefs, intercepts_hidden, intercepts_visible)`` lists of fitted learners."""
    coefs, hidden, visible = [], [], []
    for learner in learners:
        W, c, b = learner._layer_params()
        coefs.append(W)
        hidden.append(c)
        visible.append(b)
    return coefs, hidden, visible


def resolve_visible_unit(estimator, *arrays):
    """The input units for ``estimator``'s training rows ``arrays``: its
    ``visible_unit``, where ``'auto'`` is binary units when every value is in
    [0, 1] or the data are sparse (centring would densify them), and Gaussian
    units for other real values."""
    if estimator.visible_unit != "auto":
        return estimator.visible_unit
    if any(hasattr(a, "tocsr") for a in arrays) or all(in_unit_interval(a) for a in arrays):
        return "bernoulli"
    return "gaussian"


#: least variance, as a share of binary data's of the same means
#: (``binary_variance_share``), for which ``DBN``'s 'auto' takes binary units
#: (and the VAEs' 'auto' the Bernoulli likelihood) on data in [0, 1]: images
#: have 0.51 (digits) and 0.78 (MNIST), min-max scaled tables 0.08 to 0.28
#: (iris the most), whose DBN features with a logistic regression gain under
#: Gaussian units (wine 0.669 to 0.927, breast cancer 0.912 to 0.956) where
#: images lose (digits 0.895 to 0.883)
BINARY_VARIANCE_SHARE = 0.4


def binary_like(X, sample_weight=None):
    """Whether dense data in [0, 1] have at least ``BINARY_VARIANCE_SHARE`` of
    the variance of binary data of the same means, as images have and min-max
    scaled tables have not."""
    return binary_variance_share(X, sample_weight) >= BINARY_VARIANCE_SHARE


def resolve_feature_unit(estimator, X, sample_weight=None):
    """``resolve_visible_unit`` for ``DBN``'s features, whose 'auto' also
    takes Gaussian units for dense data in [0, 1] that are not
    :func:`binary_like`."""
    unit = resolve_visible_unit(estimator, X)
    if (estimator.visible_unit == "auto" and unit == "bernoulli" and not hasattr(X, "tocsr")
            and not binary_like(X, sample_weight)):
        return "gaussian"
    return unit


def warn_binary_visible_range(X, estimator):
    """Warn, naming ``visible_unit``, when the binary input units that
    ``estimator`` fitted (``visible_unit_``) see values outside [0, 1]."""
    if estimator.visible_unit_ == "bernoulli":
        setting = auto_setting("visible_unit", estimator.visible_unit, "binary input units")
        # Gaussian units take no sparse matrix
        remedy = (None if hasattr(X, "tocsr")
                  else "Set visible_unit='gaussian' for real-valued data")
        warn_outside_unit_interval(X, estimator, setting, remedy)


def sparse_format(estimator, X, unit=None):
    """``accept_sparse`` for ``X`` given to an estimator with ``visible_unit``
    (or the fitted input units ``unit``): 'csr' unless the units are Gaussian
    (the kernels see dense minibatches); for Gaussian units a sparse ``X``
    raises a TypeError that says why."""
    if (unit or estimator.visible_unit) != "gaussian":
        return "csr"
    check_dense(X, estimator)
    return False


def check_hidden_layer_sizes(hidden_layer_sizes, name="hidden_layer_sizes", allow_empty=False):
    """A list of positive ints (non-empty unless ``allow_empty``), or ``ValueError``.

    Floats (``2.5``, and ``2.0`` too) and booleans are rejected, not truncated.
    """
    sizes = np.asarray(hidden_layer_sizes, dtype=object)  # keeps each entry's type
    entries = list(sizes.ravel())
    if (sizes.ndim > 1 or (not entries and not allow_empty)
            or any(isinstance(s, (bool, np.bool_)) or not isinstance(s, Integral) or s < 1
                   for s in entries)):
        raise ValueError(
            f"{name} must be a {'' if allow_empty else 'non-empty '}sequence of positive "
            f"ints, got {hidden_layer_sizes!r}."
        )
    return [int(s) for s in entries]
