"""Activation functions of feed-forward layers and their derivatives.

As scikit-learn's ``neural_network/_base.py``: ``ACTIVATIONS[name](Z)`` applies
the function to the pre-activation ``Z`` in place and returns it;
``DERIVATIVES[name](A, delta)`` multiplies ``delta`` (a gradient with respect to
the activation's output ``A``) in place by the derivative, expressed through the
output ``A``, turning it into the gradient with respect to the pre-activation.
No boolean-mask indexing (it would make an accelerator wait for the mask's
count): masked updates are written with ``where``.
"""

from .backend import astype, get_namespace, vecdot
from .units import BernoulliUnits

#: slope of the leaky rectifier for negative inputs (Maas et al. 2013)
LEAKY_SLOPE = 0.01


def identity(Z):
    """f(z) = z."""
    return Z


def logistic(Z):
    """f(z) = 1 / (1 + exp(-z)), in place (the binary units' mean)."""
    return BernoulliUnits.mean(Z, out=Z)


def tanh(Z):
    """f(z) = tanh(z), in place."""
    return get_namespace(Z).tanh(Z, out=Z)


def relu(Z):
    """f(z) = max(z, 0), in place."""
    return get_namespace(Z).maximum(Z, 0, out=Z)


def leaky_relu(Z):
    """f(z) = z for z > 0, ``LEAKY_SLOPE * z`` otherwise, in place."""
    Z[...] = get_namespace(Z).where(Z < 0, Z * LEAKY_SLOPE, Z)
    return Z


def softmax(Z):
    """Row-wise f(z)_k = exp(z_k) / sum_j exp(z_j), in place (max-shifted)."""
    xp = get_namespace(Z)
    Z -= xp.max(Z, axis=1, keepdims=True)
    xp.exp(Z, out=Z)
    Z /= xp.sum(Z, axis=1, keepdims=True)
    return Z


def identity_derivative(A, delta):
    """f'(z) = 1."""
    return delta


def logistic_derivative(A, delta):
    """f'(z) = a (1 - a)."""
    delta *= A
    delta *= 1 - A
    return delta


def tanh_derivative(A, delta):
    """f'(z) = 1 - a^2."""
    delta *= 1 - A * A
    return delta


def relu_derivative(A, delta):
    """f'(z) = 1 for a > 0, else 0."""
    delta *= astype(A > 0, delta.dtype)
    return delta


def leaky_relu_derivative(A, delta):
    """f'(z) = 1 for a > 0, else ``LEAKY_SLOPE`` (a and z share their sign)."""
    delta[...] = get_namespace(A, delta).where(A <= 0, delta * LEAKY_SLOPE, delta)
    return delta


def softmax_derivative(A, delta):
    """Jacobian-vector product of the softmax: a * (delta - sum_k delta_k a_k)."""
    delta -= vecdot(delta, A, axis=1)[:, None]
    delta *= A
    return delta


ACTIVATIONS = {
    "identity": identity,
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softmax": softmax,
}

DERIVATIVES = {
    "identity": identity_derivative,
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "leaky_relu": leaky_relu_derivative,
    "softmax": softmax_derivative,
}

#: the activations a hidden layer may use (softmax is an output activation only)
HIDDEN_ACTIVATIONS = ("identity", "logistic", "tanh", "relu", "leaky_relu")

#: ``(scale, shift, gain, offset)`` with ``f(scale * z + shift) ~ gain *
#: sigma(z) + offset`` for each hidden activation ``f``: exact for tanh
#: (tanh(z / 2) = 2 sigma(z) - 1) and, for the piecewise-linear units, the
#: tangent of the logistic at 0 (sigma(z) ~ 1/2 + z/4 where |z| < 2)
LOGISTIC_EQUIVALENTS = {
    "logistic": (1.0, 0.0, 1.0, 0.0),
    "tanh": (0.5, 0.0, 2.0, -1.0),
    "relu": (0.25, 0.5, 1.0, 0.0),
    "leaky_relu": (0.25, 0.5, 1.0, 0.0),
    "identity": (0.25, 0.5, 1.0, 0.0),
}


def matched_layers(layers, activations):
    """Layers of logistic (or linear) units re-expressed for other units.

    ``layers`` is ``[(W, b, unit), ...]``, bottom first, where ``unit`` is
    'logistic' or 'identity' (the binary or Gaussian hidden units of RBMs);
    ``activations`` are the units the layers get instead. Each logistic
    layer taking ``f`` units is rescaled by :data:`LOGISTIC_EQUIVALENTS` so
    that its units compute (an affine map of) the logistic units' values, and
    the layer above takes that affine map back out of its input, so the
    network computes what the stack of logistic units did (exactly for tanh,
    to first order for the rectifiers; a rectifier layer fed the logistic
    weights unchanged would be dead wherever their biases are negative).
    Returns ``[(W, b), ...]``.
    """
    gain, offset = 1.0, 0.0  # the input rows are as the bottom layer saw them
    matched = []
    for (W, b, unit), activation in zip(layers, activations):
        # its input is now u = gain * h + offset for the h it was trained on:
        # h W + b = u (W / gain) + b - (offset / gain) 1 W
        W = W / gain
        b = b - offset * get_namespace(W).sum(W, axis=0)
        scale, shift, gain, offset = (
            LOGISTIC_EQUIVALENTS[activation] if unit == "logistic" else (1.0, 0.0, 1.0, 0.0))
        matched.append((scale * W, scale * b + shift))
    return matched
