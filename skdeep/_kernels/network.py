"""Dense feed-forward networks: forward and backward passes.

A network is given by lists ``coefs`` (layer ``i`` maps ``n_in -> n_out`` with a
coefficient matrix of shape (n_in, n_out), scikit-learn's ``MLPClassifier``
convention) and ``intercepts``, and one activation name per layer (see
:mod:`.activations`). Optional per layer:

* dropout on the layer's input (inverted dropout, Srivastava et al. 2014: kept
  units are scaled by ``1 / (1 - p)`` during training, nothing at prediction);
* batch normalization of the layer's pre-activation (Ioffe & Szegedy 2015),
  a :class:`BatchNorm` holding ``gamma``, ``beta`` and running statistics;
* ``trainable=False``: the layer is frozen (no gradient, batch norm in
  inference mode) and back-propagation stops below the lowest trainable layer
  unless the input delta is asked for.

Encoder and decoder nets are chained by passing the input delta of one as the
output delta of the other.
"""

from dataclasses import dataclass, field

from .activations import ACTIVATIONS, DERIVATIVES
from .backend import (
    astype,
    copy,
    full,
    get_namespace,
    scalars,
    squared_norm,
    vecdot,
    weight_total,
    zeros,
)
from .draws import random
from .losses import LOSSES, output_delta


class BatchNorm:
    """Batch normalization of ``n`` units: y = gamma (z - mu) / sqrt(var + eps) + beta.

    Training uses the batch's mean and (biased) variance and updates the
    running estimates ``r = (1 - momentum) r + momentum * batch`` (with the
    unbiased variance), which inference uses. The arrays are in the namespace
    and on the device of ``like`` (numpy when None).
    """

    def __init__(self, n, dtype, momentum=0.1, eps=1e-5, like=None):
        self.gamma = full(n, 1.0, dtype, like)
        self.beta = zeros(n, dtype, like)
        self.running_mean = zeros(n, dtype, like)
        self.running_var = full(n, 1.0, dtype, like)
        self.momentum = momentum
        self.eps = eps

    def forward(self, Z, training):
        """Normalise ``Z`` in place; returns ``(Z, cache)`` for :meth:`backward`."""
        xp = get_namespace(Z)
        if not training:
            inv_std = 1.0 / xp.sqrt(self.running_var + self.eps)
            Z -= self.running_mean
            Z *= inv_std
            Z *= self.gamma
            Z += self.beta
            return Z, (None, inv_std)
        n = Z.shape[0]
        mean = xp.mean(Z, axis=0)
        var = xp.var(Z, axis=0)
        m = self.momentum
        self.running_mean *= 1 - m
        self.running_mean += m * mean
        self.running_var *= 1 - m
        self.running_var += m * var * (n / max(n - 1, 1))
        inv_std = 1.0 / xp.sqrt(var + self.eps)
        Z -= mean
        Z *= inv_std
        x_hat = copy(Z)
        Z *= self.gamma
        Z += self.beta
        return Z, (x_hat, inv_std)

    def backward(self, cache, delta):
        """Gradient w.r.t. the normalised input from ``delta`` (w.r.t. the output);
        returns ``(delta_in, grad_gamma, grad_beta)`` (Ioffe & Szegedy 2015, sec. 3).
        In inference mode the statistics are constants and only ``delta_in`` is
        returned with ``None`` gradients."""
        x_hat, inv_std = cache
        if x_hat is None:
            return delta * (self.gamma * inv_std), None, None
        n = delta.shape[0]
        grad_beta = get_namespace(delta).sum(delta, axis=0)
        grad_gamma = vecdot(delta, x_hat, axis=0)
        # d z = gamma inv_std / n (n d y - sum d y - x_hat sum(d y x_hat))
        delta_in = delta * n
        delta_in -= grad_beta
        delta_in -= x_hat * grad_gamma
        delta_in *= self.gamma * (inv_std / n)
        return delta_in, grad_gamma, grad_beta


@dataclass
class Forward:
    """What a forward pass leaves for the backward pass, layer by layer."""

    inputs: list = field(default_factory=list)  # each layer's input, dropout applied
    outputs: list = field(default_factory=list)  # each layer's activation output
    masks: list = field(default_factory=list)  # scaled dropout masks, or None
    norms: list = field(default_factory=list)  # batch-norm caches, or None

    @property
    def output(self):
        return self.outputs[-1]


@dataclass
class Gradients:
    """Gradients of a network's trainable parameters (None where frozen)."""

    coefs: list
    intercepts: list
    gammas: list
    betas: list
    input_delta: object = None

    def as_list(self):
        """The gradients in the order of :func:`trainable_parameters` (batch-norm
        gradients exist for a training-mode pass)."""
        per_layer = zip(self.coefs, self.intercepts, self.gammas, self.betas)
        return [g for layer in per_layer for g in layer if g is not None]


def trainable_parameters(coefs, intercepts, batch_norms=None, trainable=None):
    """The arrays an optimizer updates: per trainable layer its coef, intercept
    and, with batch norm, gamma and beta."""
    n_layers = len(coefs)
    batch_norms = _per_layer(batch_norms, n_layers)
    trainable = _per_layer(trainable, n_layers, True)
    params = []
    for W, b, bn, t in zip(coefs, intercepts, batch_norms, trainable):
        if t:
            params += [W, b] + ([bn.gamma, bn.beta] if bn is not None else [])
    return params


def _per_layer(value, n_layers, default=None):
    return [default] * n_layers if value is None else list(value)


def forward(X, coefs, intercepts, activations, *, dropout=None, batch_norms=None,
            trainable=None, training=False, rng=None):
    """Forward pass of ``X`` through the network.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_in)
        Input; never modified.
    coefs, intercepts : list of ndarray
        Layer parameters.
    activations : list of str
        One ``ACTIVATIONS`` key per layer.
    dropout : list of float, optional
        Drop probability of each layer's input (used when ``training``).
    batch_norms : list of BatchNorm or None, optional
        Batch normalization of each layer's pre-activation.
    trainable : list of bool, optional
        False for frozen layers (their batch norm runs in inference mode).
    training : bool
        Training mode: dropout on, batch statistics used and recorded.
    rng : numpy.random.Generator or a generator of :mod:`.draws`
        Draws the dropout masks.

    Returns
    -------
    Forward
        ``.output`` is the network's output.
    """
    n_layers = len(coefs)
    dropout = _per_layer(dropout, n_layers, 0.0)
    batch_norms = _per_layer(batch_norms, n_layers)
    trainable = _per_layer(trainable, n_layers, True)
    fwd = Forward()
    A = X
    for i in range(n_layers):
        mask = None
        if training and dropout[i] > 0:
            keep = scalars(get_namespace(A), 1.0 - dropout[i])
            mask = astype(random(rng, A.shape, A.dtype, like=A) < keep, A.dtype)
            mask /= keep
            A = A * mask
        fwd.inputs.append(A)
        fwd.masks.append(mask)
        Z = A @ coefs[i]
        Z += intercepts[i]
        norm = None
        if batch_norms[i] is not None:
            Z, norm = batch_norms[i].forward(Z, training and trainable[i])
        fwd.norms.append(norm)
        A = ACTIVATIONS[activations[i]](Z)
        fwd.outputs.append(A)
    return fwd


def backward(fwd, delta, coefs, activations, *, batch_norms=None, trainable=None,
             alpha=0.0, input_delta=False):
    """Back-propagate ``delta``, the gradient w.r.t. the last layer's activation
    input (its pre-activation, after batch norm if any).

    The gradients are those of ``J + alpha / 2 * sum_i ||coefs[i]||^2`` where
    ``delta`` is ``dJ / dZ_out`` (so a mean loss needs ``delta`` divided by the
    number of rows). ``delta`` is not modified.

    Returns
    -------
    Gradients
        ``coefs``, ``intercepts``, ``gammas``, ``betas`` lists (None for frozen
        layers and layers without batch norm) and, with ``input_delta=True``,
        ``dJ / dX`` (through the input dropout mask).
    """
    n_layers = len(coefs)
    batch_norms = _per_layer(batch_norms, n_layers)
    trainable = _per_layer(trainable, n_layers, True)
    grads = Gradients(*([None] * n_layers for _ in range(4)))
    if input_delta:
        lowest = 0
    elif any(trainable):
        lowest = trainable.index(True)
    else:
        return grads
    for i in range(n_layers - 1, lowest - 1, -1):
        if i < n_layers - 1:
            delta = DERIVATIVES[activations[i]](fwd.outputs[i], delta)
        if fwd.norms[i] is not None:
            delta, g_gamma, g_beta = batch_norms[i].backward(fwd.norms[i], delta)
            if trainable[i]:
                grads.gammas[i], grads.betas[i] = g_gamma, g_beta
        if trainable[i]:
            g = fwd.inputs[i].T @ delta
            if not isinstance(alpha, (int, float)) or alpha:  # an array: no host test
                g += alpha * coefs[i]
            grads.coefs[i] = g
            grads.intercepts[i] = get_namespace(delta).sum(delta, axis=0)
        if i > lowest or input_delta:
            delta = delta @ coefs[i].T
            if fwd.masks[i] is not None:
                delta *= fwd.masks[i]
    if input_delta:
        grads.input_delta = delta
    return grads


def loss_and_gradients(X, Y, coefs, intercepts, activations, loss, *, alpha=0.0,
                       dropout=None, batch_norms=None, trainable=None,
                       training=True, rng=None, input_delta=False, objective=True,
                       sample_weight=None):
    """Mean loss plus L2 penalty of the network on ``(X, Y)``, and its gradients.

    The objective is ``(sum_rows LOSSES[loss] + alpha / 2 * sum ||W||^2) / n``
    over the ``n`` rows (trainable weights only): the penalty is scaled by the
    batch as in scikit-learn's ``MLPClassifier``, so that ``alpha`` means the
    same in both. With ``sample_weight`` each row's loss is weighted and ``n``
    is the sum of the weights (a row of weight 2 counts as two rows).
    Returns ``(objective, summed_loss, Gradients)``, the summed loss weighted;
    with ``objective=False`` the objective is not computed (None), which saves
    a pass over the weights when only the gradients are needed.
    """
    n = X.shape[0] if sample_weight is None else weight_total(sample_weight)
    alpha = alpha / n if alpha else 0.0
    fwd = forward(X, coefs, intercepts, activations, dropout=dropout,
                  batch_norms=batch_norms, trainable=trainable, training=training, rng=rng)
    delta = output_delta(loss, Y, fwd.output, activations[-1])
    if sample_weight is None:
        summed = LOSSES[loss].value(Y, fwd.output)
    else:
        summed = LOSSES[loss].weighted_value(Y, fwd.output, sample_weight)
        delta *= sample_weight[:, None]
    delta /= n
    grads = backward(fwd, delta, coefs, activations, batch_norms=batch_norms,
                     trainable=trainable, alpha=alpha, input_delta=input_delta)
    if not objective:
        return None, summed, grads
    trainable = _per_layer(trainable, len(coefs), True)
    penalty = (sum(squared_norm(W) for W, t in zip(coefs, trainable) if t)
               if not isinstance(alpha, (int, float)) or alpha else 0.0)
    return summed / n + 0.5 * alpha * penalty, summed, grads
