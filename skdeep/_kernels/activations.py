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
