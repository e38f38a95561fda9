"""First-order optimizers that update parameter arrays in place.

Each optimizer is a small object with one method, ``step(params, grads)``,
where ``grads`` are gradients of a loss to minimise. ``learning_rate`` (and
``momentum`` where there is one) may be changed between steps, which is how
schedules are applied. Chosen by name through ``OPTIMIZERS``. The adaptive
ones keep one scratch buffer per parameter so a step allocates nothing.

Conjugate gradient is not a step rule: :func:`conjugate_gradient` minimises a
whole-batch objective over the flattened parameters with
``scipy.optimize.minimize(method="CG")``, as Hinton & Salakhutdinov (2006)
fine-tuned on minibatches of 1000.
"""

import numpy as np
from scipy.optimize import minimize


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


def _rms_scaled_step(p, numerator, mean_sq, scratch, scale, eps):
    """p -= scale * numerator / (sqrt(mean_sq) + eps), through ``scratch``."""
    np.sqrt(mean_sq, out=scratch)
    scratch += eps
    np.divide(numerator, scratch, out=scratch)
    scratch *= scale
    p -= scratch


class _Adaptive(SGD):
    """Per-parameter state buffers ``self.state[name][i]`` and one scratch each."""

    _state = ()

    def __init__(self, params, learning_rate, eps):
        super().__init__(params, learning_rate)
        self.eps = eps
        self.state = {name: [np.zeros_like(p) for p in params] for name in self._state}
        self._scratch = [np.empty_like(p) for p in params]


class Adagrad(_Adaptive):
    """Adagrad (Duchi et al. 2011): G += g^2; p -= lr g / (sqrt(G) + eps)."""

    _state = ("sum_sq",)

    def __init__(self, params, learning_rate=0.01, eps=1e-10):
        super().__init__(params, learning_rate, eps)

    def step(self, params, grads):
        self.t += 1
        for p, g, G, s in zip(params, grads, self.state["sum_sq"], self._scratch):
            np.multiply(g, g, out=s)
            G += s
            _rms_scaled_step(p, g, G, s, self.learning_rate, self.eps)


class RMSProp(_Adaptive):
    """RMSProp (Tieleman & Hinton 2012): E = rho E + (1 - rho) g^2;
    p -= lr g / (sqrt(E) + eps)."""

    _state = ("mean_sq",)

    def __init__(self, params, learning_rate=0.001, rho=0.9, eps=1e-8):
        super().__init__(params, learning_rate, eps)
        self.rho = rho

    def step(self, params, grads):
        self.t += 1
        for p, g, E, s in zip(params, grads, self.state["mean_sq"], self._scratch):
            np.multiply(g, g, out=s)
            s *= 1 - self.rho
            E *= self.rho
            E += s
            _rms_scaled_step(p, g, E, s, self.learning_rate, self.eps)


class Adadelta(_Adaptive):
    """AdaDelta (Zeiler 2012, Algorithm 1): E_g = rho E_g + (1 - rho) g^2;
    dx = -sqrt(E_dx + eps) / sqrt(E_g + eps) g; E_dx = rho E_dx + (1 - rho) dx^2;
    p += lr dx (``learning_rate=1`` is the paper's rule)."""

    _state = ("mean_sq_grad", "mean_sq_step")

    def __init__(self, params, learning_rate=1.0, rho=0.95, eps=1e-6):
        super().__init__(params, learning_rate, eps)
        self.rho = rho

    def step(self, params, grads):
        self.t += 1
        rho, eps = self.rho, self.eps
        for p, g, Eg, Ex, s in zip(params, grads, self.state["mean_sq_grad"],
                                   self.state["mean_sq_step"], self._scratch):
            np.multiply(g, g, out=s)
            s *= 1 - rho
            Eg *= rho
            Eg += s
            np.add(Ex, eps, out=s)
            s /= Eg + eps
            np.sqrt(s, out=s)
            s *= g  # s = -dx
            Ex *= rho
            Ex += (1 - rho) * (s * s)
            s *= self.learning_rate
            p -= s


class Adam(_Adaptive):
    """Adam (Kingma & Ba 2015, Algorithm 1): m = b1 m + (1 - b1) g,
    v = b2 v + (1 - b2) g^2, p -= lr m_hat / (sqrt(v_hat) + eps) with the bias
    corrections m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).

    The state holds the moments without their (1 - b) factors,
    ``m / (1 - b1)`` and ``v / (1 - b2)``, which the step's constants absorb:
    two passes over the parameters fewer per step.
    """

    _state = ("m", "v")

    def __init__(self, params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, eps=1e-8):
        super().__init__(params, learning_rate, eps)
        self.beta_1, self.beta_2 = beta_1, beta_2

    def _moments(self, grads):
        """Update the (unnormalised) moment estimates in place."""
        b1, b2 = self.beta_1, self.beta_2
        for g, m, v, s in zip(grads, self.state["m"], self.state["v"], self._scratch):
            m *= b1
            m += g
            np.multiply(g, g, out=s)
            v *= b2
            v += s

    def _m_hat_scale(self):
        """m_hat = _m_hat_scale() * state m."""
        b1 = self.beta_1
        return (1 - b1) / (1 - b1**self.t)

    def _adaptive_step(self, params, factor=1.0):
        """p -= factor lr m_hat / (sqrt(v_hat) + eps)."""
        b2 = self.beta_2
        # sqrt(v_hat) = c sqrt(state v) with c = sqrt((1 - b2) / (1 - b2^t))
        c = np.sqrt((1 - b2) / (1 - b2**self.t))
        scale = factor * self.learning_rate * self._m_hat_scale() / c
        for p, m, v, s in zip(params, self.state["m"], self.state["v"], self._scratch):
            _rms_scaled_step(p, m, v, s, scale, self.eps / c)

    def step(self, params, grads):
        self.t += 1
        self._moments(grads)
        self._adaptive_step(params)


class RAdam(Adam):
    """Rectified Adam (Liu et al. 2020, Algorithm 2): the adaptive step is scaled
    by the variance rectification r_t once the approximated SMA length
    rho_t exceeds 5 (PyTorch's threshold); before that, p -= lr m_hat."""

    def step(self, params, grads):
        self.t += 1
        t, b2 = self.t, self.beta_2
        self._moments(grads)
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho_t > 5:
            r = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                        / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            self._adaptive_step(params, r)
        else:
            scale = self.learning_rate * self._m_hat_scale()
            for p, m in zip(params, self.state["m"]):
                p -= scale * m


OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": Adagrad,
    "adadelta": Adadelta,
    "rmsprop": RMSProp,
    "adam": Adam,
    "radam": RAdam,
}


MOMENTUM_OPTIMIZERS = {"momentum", "nesterov"}


def make_optimizer(name, params, learning_rate, momentum=0.9):
    """``OPTIMIZERS[name]`` over ``params``, with ``momentum`` for the momentum methods."""
    if name in MOMENTUM_OPTIMIZERS:
        return OPTIMIZERS[name](params, learning_rate, momentum=momentum)
    return OPTIMIZERS[name](params, learning_rate)


def flatten(arrays):
    """One float64 vector holding ``arrays`` end to end."""
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


def unflatten_into(x, arrays):
    """Copy the vector ``x`` back into ``arrays`` (in place, their dtypes kept)."""
    start = 0
    for a in arrays:
        a[...] = x[start : start + a.size].reshape(a.shape)
        start += a.size


def conjugate_gradient(objective, params, max_iter=3):
    """Minimise ``objective`` over ``params`` by nonlinear conjugate gradient.

    ``objective(params) -> (value, grads)`` evaluates the objective and its
    gradients at the current contents of ``params``; the arrays are updated in
    place and left at the best point found by ``scipy.optimize.minimize``
    (Polak-Ribiere CG with a Wolfe line search). ``max_iter`` is the number of
    CG iterations (Hinton & Salakhutdinov 2006 used 3 line searches per batch).
    Returns the objective value at the end.
    """

    def fun(x):
        unflatten_into(x, params)
        value, grads = objective(params)
        return float(value), flatten(grads)

    result = minimize(fun, flatten(params), jac=True, method="CG",
                      options={"maxiter": max_iter})
    unflatten_into(result.x, params)
    return float(result.fun)
