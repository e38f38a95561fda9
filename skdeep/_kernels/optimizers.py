"""First-order optimizers that update parameter arrays in place.

Each optimizer is a small object with one method, ``step(params, grads)``,
where ``grads`` are gradients of a loss to minimise. ``learning_rate`` (and
``momentum`` where there is one) may be changed between steps, which is how
schedules are applied. Chosen by name through ``OPTIMIZERS``.
"""

import numpy as np


class SGD:
    """Plain stochastic gradient descent: p -= lr * g."""

    def __init__(self, params, learning_rate=0.01):
        self.learning_rate = learning_rate
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        for p, g in zip(params, grads):
            p -= self.learning_rate * g


class Momentum(SGD):
    """Heavy-ball momentum (Polyak 1964): v = m v - lr g; p += v.

    With ``nesterov=True`` the parameter moves by ``m v - lr g`` instead, the
    look-ahead form of Sutskever et al. (2013).
    """

    def __init__(self, params, learning_rate=0.01, momentum=0.9, nesterov=False):
        super().__init__(params, learning_rate)
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocities = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        lr, m = self.learning_rate, self.momentum
        for p, g, v in zip(params, grads, self.velocities):
            v *= m
            v -= lr * g
            if self.nesterov:
                p += m * v
                p -= lr * g
            else:
                p += v


class Nesterov(Momentum):
    """Nesterov's accelerated gradient, in the form of Sutskever et al. (2013)."""

    def __init__(self, params, learning_rate=0.01, momentum=0.9):
        super().__init__(params, learning_rate, momentum, nesterov=True)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov}
