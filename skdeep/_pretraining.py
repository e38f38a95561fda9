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

from ._rbm import BernoulliRBM, GaussianBernoulliRBM, rng_from

PRETRAINING = ("rbm", "autoencoder", "denoising")


def per_layer(value, n_layers, name):
    """``value`` repeated for each layer, or a sequence of one value per layer."""
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) != n_layers:
            raise ValueError(
                f"{name} has {len(value)} per-layer values but there are "
                f"{n_layers} layers."
            )
        return list(value)
    return [value] * n_layers


def _learner_classes(pretraining, first_visible, top_hidden, n_layers):
    """The learner class and its unit/loss choices for each layer."""
    from ._autoencoder import Autoencoder  # it imports this module

    if first_visible == "gaussian" and top_hidden == "gaussian" and n_layers == 1:
        raise ValueError(
            "A single layer cannot have both real-valued input and a linear code: "
            "a Gaussian-Gaussian RBM has no normalisable distribution. Add a layer."
        )
    layers = []
    for i in range(n_layers):
        visible = first_visible if i == 0 else "bernoulli"
        hidden = top_hidden if i == n_layers - 1 else "bernoulli"
        if pretraining == "rbm":
            cls = GaussianBernoulliRBM if visible == "gaussian" else BernoulliRBM
            fixed = {"hidden_unit": hidden}
        else:
            cls = Autoencoder
            fixed = {
                "activation": "identity" if hidden == "gaussian" else "logistic",
                "loss": "squared_error" if visible == "gaussian" else "cross_entropy",
            }
            if pretraining == "denoising":
                fixed["noise"] = "masking"
        layers.append((cls, fixed))
    return layers


def make_layer_learners(pretraining, hidden_layer_sizes, *, settings=None,
                        random_state=None, first_visible="bernoulli",
                        top_hidden="bernoulli"):
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
        layer's dict overrides the seed derived for it.
    random_state : int, RandomState instance, Generator or None
        Seeds one independent seed per layer.
    first_visible : {'bernoulli', 'gaussian'}
        Input units of the bottom layer: values in [0, 1], or real-valued
        (a :class:`GaussianBernoulliRBM`, or a squared-error autoencoder).
    top_hidden : {'bernoulli', 'gaussian'}
        Units of the top layer: logistic, or linear (the real-valued code of a
        deep autoencoder, Hinton & Salakhutdinov 2006).

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
    for size, (cls, fixed), kwargs, seed in zip(
        sizes, _learner_classes(pretraining, first_visible, top_hidden, n_layers),
        layer_settings, seeds,
    ):
        accepted = cls().get_params()
        params = {"random_state": int(seed)}
        params.update({key: value for key, value in kwargs.items() if key in accepted})
        params.update(fixed, n_components=int(size))
        learners.append(cls(**params))
    return learners


def _check_known(layer_settings):
    from ._autoencoder import Autoencoder  # it imports this module

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


def pretrain_layers(X, learners, *, verbose=0):
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
        learner = clone(learner).fit(inputs)
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


def layer_weights(learners):
    """``(coefs, intercepts_hidden, intercepts_visible)`` lists of fitted learners."""
    coefs, hidden, visible = [], [], []
    for learner in learners:
        W, c, b = learner._layer_params()
        coefs.append(W)
        hidden.append(c)
        visible.append(b)
    return coefs, hidden, visible


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
