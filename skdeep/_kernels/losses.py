"""Losses of a network's output, summed over rows.

``LOSSES[name].value(Y, A)`` is the loss of outputs ``A`` against targets ``Y``
summed over the rows (``weighted_value(Y, A, w)``: each row's loss weighted by
``w``); ``gradient(Y, A)`` its derivative with respect to ``A``.
Each loss has a canonical output activation (its matching link) with which the
gradient with respect to the pre-activation is simply ``A - Y``;
:func:`output_delta` uses that shortcut and otherwise chains the activation's
derivative. Values are Python floats for numpy arrays and 0-d arrays on the
device otherwise (see :func:`.backend.as_scalar`).
"""

from .activations import DERIVATIVES
from .backend import as_scalar, get_namespace, vecdot, xlogy


def _clip(A):
    xp = get_namespace(A)
    eps = xp.finfo(A.dtype).eps
    return xp.clip(A, eps, 1 - eps)


class _Loss:
    @classmethod
    def weighted_value(cls, Y, A, sample_weight):
        """``sum_i sample_weight[i] * L(Y[i], A[i])``."""
        return as_scalar(vecdot(cls.rows(Y, A), sample_weight, axis=None))


class SquaredError(_Loss):
    """L(y, a) = ||a - y||^2 / 2 per row; canonical with the identity output."""

    canonical = "identity"

    @staticmethod
    def value(Y, A):
        D = A - Y
        return 0.5 * as_scalar(vecdot(D, D, axis=None))

    @staticmethod
    def rows(Y, A):
        D = A - Y
        return 0.5 * vecdot(D, D, axis=-1)

    @staticmethod
    def gradient(Y, A):
        return A - Y


class LogLoss(_Loss):
    """Multiclass cross-entropy L(y, a) = -sum_k y_k log a_k; canonical with softmax."""

    canonical = "softmax"

    @staticmethod
    def value(Y, A):
        return -as_scalar(get_namespace(A).sum(xlogy(Y, _clip(A))))

    @staticmethod
    def rows(Y, A):
        return -get_namespace(A).sum(xlogy(Y, _clip(A)), axis=1)

    @staticmethod
    def gradient(Y, A):
        return -Y / _clip(A)


class BinaryLogLoss(_Loss):
    """Cross-entropy of targets in [0, 1]:
    L(y, a) = -sum_k y_k log a_k + (1 - y_k) log(1 - a_k); canonical with logistic."""

    canonical = "logistic"

    @staticmethod
    def value(Y, A):
        A = _clip(A)
        return -as_scalar(get_namespace(A).sum(xlogy(Y, A) + xlogy(1 - Y, 1 - A)))

    @staticmethod
    def rows(Y, A):
        A = _clip(A)
        return -get_namespace(A).sum(xlogy(Y, A) + xlogy(1 - Y, 1 - A), axis=1)

    @staticmethod
    def gradient(Y, A):
        A = _clip(A)
        return (A - Y) / (A * (1 - A))


LOSSES = {
    "squared_error": SquaredError,
    "log_loss": LogLoss,
    "binary_log_loss": BinaryLogLoss,
}


def output_delta(loss, Y, A, activation):
    """Per-row gradient of ``LOSSES[loss]`` with respect to the output layer's
    pre-activation, the output ``A`` being ``ACTIVATIONS[activation]`` of it."""
    if LOSSES[loss].canonical == activation:
        return A - Y
    return DERIVATIVES[activation](A, LOSSES[loss].gradient(Y, A))
