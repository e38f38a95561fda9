"""First-order optimizers that update parameter arrays in place.

Each optimizer is a small object with one method, ``step(params, grads)``,
where ``grads`` are gradients of a loss to minimise. ``learning_rate`` (and
``momentum`` where there is one) may be changed between steps, which is how
schedules are applied. Chosen by name through ``OPTIMIZERS``. Each keeps one
scratch buffer per parameter, and large parameters are updated in row blocks
on ``n_threads`` threads (default: as many as BLAS uses; see
:func:`skdeep._kernels.parallel.map_rows`).

The step rules work on the parameters' namespace and device (see
:mod:`.backend`): state and scratch buffers are made beside the parameters, and
the hyperparameters are host scalars.

Conjugate gradient is not a step rule: :func:`conjugate_gradient` minimises a
whole-batch objective over the flattened parameters with
``scipy.optimize.minimize(method="CG")``, as Hinton & Salakhutdinov (2006)
fine-tuned on minibatches of 1000. scipy runs it on the host: with another
library's arrays, the parameters and gradients cross to the host at every
evaluation of the objective.
"""

import numpy as np
from scipy.optimize import minimize

from .backend import asarray, get_namespace, scalars, to_numpy
from .parallel import blas_threads, map_rows


class SGD:
    """Plain stochastic gradient descent: p -= lr * g.

    Subclasses name their per-parameter state arrays in ``_state``, set the
    step's constants in ``_prepare`` and update one parameter (or a row block
    of it, with the matching blocks of its gradient, state and scratch buffer)
    in ``_update``; ``step`` runs the blocks on ``n_threads`` threads.
    """

    _state = ()

    def __init__(self, params, learning_rate=0.01, n_threads=None):
        self.learning_rate = learning_rate
        self.n_threads = n_threads
        self.t = 0
        self.state = {name: [get_namespace(p).zeros_like(p) for p in params]
                      for name in self._state}
        self._scratch = [get_namespace(p).empty_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        self._prepare()
        states = [self.state[name] for name in self._state]
        n_threads = self.n_threads or blas_threads()
        for p, g, *rest in zip(params, grads, *states, self._scratch):
            map_rows(self._update, (p, g, *rest), n_threads)

    def _prepare(self):
        pass

    def _update(self, p, g, s):
        xp = get_namespace(p)
        xp.multiply(g, scalars(xp, self.learning_rate), out=s)
        p -= s


class Momentum(SGD):
    """Heavy-ball momentum (Polyak 1964): v = m v - lr g; p += v.

    With ``nesterov=True`` the parameter moves by ``m v - lr g`` instead, the
    look-ahead form of Sutskever et al. (2013).
    """

    _state = ("velocity",)

    def __init__(self, params, learning_rate=0.01, momentum=0.9, nesterov=False, n_threads=None):
        super().__init__(params, learning_rate, n_threads)
        self.momentum = momentum
        self.nesterov = nesterov

    def _update(self, p, g, v, s):
        xp = get_namespace(p)
        lr, m = scalars(xp, self.learning_rate, self.momentum)
        xp.multiply(g, lr, out=s)
        v *= m
        v -= s
        if self.nesterov:
            p -= s
            xp.multiply(v, m, out=s)
        p += s if self.nesterov else v


class Nesterov(Momentum):
    """Nesterov's accelerated gradient, in the form of Sutskever et al. (2013)."""

    def __init__(self, params, learning_rate=0.01, momentum=0.9, n_threads=None):
        super().__init__(params, learning_rate, momentum, nesterov=True, n_threads=n_threads)


def _rms_scaled_step(p, numerator, mean_sq, scratch, scale, eps):
    """p -= scale * numerator / (sqrt(mean_sq) + eps), through ``scratch``."""
    xp = get_namespace(p)
    scale, eps = scalars(xp, scale, eps)
    xp.sqrt(mean_sq, out=scratch)
    scratch += eps
    xp.divide(numerator, scratch, out=scratch)
    scratch *= scale
    p -= scratch


class _Adaptive(SGD):
    """An optimizer with a stability constant ``eps``."""

    def __init__(self, params, learning_rate, eps, n_threads=None):
        super().__init__(params, learning_rate, n_threads)
        self.eps = eps


class Adagrad(_Adaptive):
    """Adagrad (Duchi et al. 2011): G += g^2; p -= lr g / (sqrt(G) + eps)."""

    _state = ("sum_sq",)

    def __init__(self, params, learning_rate=0.01, eps=1e-10, n_threads=None):
        super().__init__(params, learning_rate, eps, n_threads)

    def _update(self, p, g, G, s):
        get_namespace(p).multiply(g, g, out=s)
        G += s
        _rms_scaled_step(p, g, G, s, self.learning_rate, self.eps)


class RMSProp(_Adaptive):
    """RMSProp (Tieleman & Hinton 2012): E = rho E + (1 - rho) g^2;
    p -= lr g / (sqrt(E) + eps)."""

    _state = ("mean_sq",)

    def __init__(self, params, learning_rate=0.001, rho=0.9, eps=1e-8, n_threads=None):
        super().__init__(params, learning_rate, eps, n_threads)
        self.rho = rho

    def _update(self, p, g, E, s):
        xp = get_namespace(p)
        rho = scalars(xp, self.rho)
        xp.multiply(g, g, out=s)
        s *= 1 - rho
        E *= rho
        E += s
        _rms_scaled_step(p, g, E, s, self.learning_rate, self.eps)


class Adadelta(_Adaptive):
    """AdaDelta (Zeiler 2012, Algorithm 1): E_g = rho E_g + (1 - rho) g^2;
    dx = -sqrt(E_dx + eps) / sqrt(E_g + eps) g; E_dx = rho E_dx + (1 - rho) dx^2;
    p += lr dx (``learning_rate=1`` is the paper's rule)."""

    _state = ("mean_sq_grad", "mean_sq_step")

    def __init__(self, params, learning_rate=1.0, rho=0.95, eps=1e-6, n_threads=None):
        super().__init__(params, learning_rate, eps, n_threads)
        self.rho = rho

    def _update(self, p, g, Eg, Ex, s):
        xp = get_namespace(p)
        rho, eps, lr = scalars(xp, self.rho, self.eps, self.learning_rate)
        xp.multiply(g, g, out=s)
        s *= 1 - rho
        Eg *= rho
        Eg += s
        xp.add(Ex, eps, out=s)
        s /= Eg + eps
        xp.sqrt(s, out=s)
        s *= g  # s = -dx
        Ex *= rho
        Ex += (1 - rho) * (s * s)
        s *= lr
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

    def __init__(self, params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, eps=1e-8,
                 n_threads=None):
        super().__init__(params, learning_rate, eps, n_threads)
        self.beta_1, self.beta_2 = beta_1, beta_2

    def _prepare(self, factor=1.0):
        """The step's constants: p -= scale * m / (sqrt(v) + eps_scaled), that is
        p -= factor lr m_hat / (sqrt(v_hat) + eps)."""
        b1, b2, t = self.beta_1, self.beta_2, self.t
        # sqrt(v_hat) = c sqrt(state v) with c = sqrt((1 - b2) / (1 - b2^t))
        c = np.sqrt((1 - b2) / (1 - b2**t))
        m_hat_scale = (1 - b1) / (1 - b1**t)
        self._scale = factor * self.learning_rate * m_hat_scale / c
        self._eps_scaled = self.eps / c

    def _update_moments(self, g, m, v, s):
        """Update the (unnormalised) moment estimates in place."""
        xp = get_namespace(g)
        beta_1, beta_2 = scalars(xp, self.beta_1, self.beta_2)
        m *= beta_1
        m += g
        xp.multiply(g, g, out=s)
        v *= beta_2
        v += s

    def _update(self, p, g, m, v, s):
        self._update_moments(g, m, v, s)
        _rms_scaled_step(p, m, v, s, self._scale, self._eps_scaled)


class RAdam(Adam):
    """Rectified Adam (Liu et al. 2020, Algorithm 2): the adaptive step is scaled
    by the variance rectification r_t once the approximated SMA length
    rho_t exceeds 5 (PyTorch's threshold); before that, p -= lr m_hat."""

    def _prepare(self):
        t, b1, b2 = self.t, self.beta_1, self.beta_2
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * t * b2**t / (1 - b2**t)
        self._adaptive = rho_t > 5
        if self._adaptive:
            r = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                        / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            super()._prepare(r)
        else:
            self._scale = self.learning_rate * (1 - b1) / (1 - b1**t)

    def _update(self, p, g, m, v, s):
        if self._adaptive:
            super()._update(p, g, m, v, s)
            return
        self._update_moments(g, m, v, s)
        xp = get_namespace(p)
        xp.multiply(m, scalars(xp, self._scale), out=s)
        p -= s


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

#: the step size ``learning_rate='auto'`` gives each optimizer: the papers' own
#: defaults where they are scale-free (Adam, RMSProp: 0.001, Kingma & Ba 2015;
#: AdaDelta: 1.0, Zeiler 2012); RAdam's rectified warm-up shrinks its first few
#: hundred steps, so it takes 0.01 (at 0.001 it reached 0.56 on digits in 180
#: updates); for the plain gradient methods the step that trains both logistic
#: and rectifier nets on the panel of ``benchmarks/defaults.py`` (gradients are
#: of the mean loss of a batch)
DEFAULT_LEARNING_RATES = {
    "sgd": 0.1,
    "momentum": 0.01,
    "nesterov": 0.01,
    "adagrad": 0.01,
    "adadelta": 1.0,
    "rmsprop": 0.001,
    "adam": 0.001,
    "radam": 0.01,
}


#: ``learning_rate='auto'`` of the variational autoencoders, by likelihood.
#: The scale-free rules keep their papers' defaults (AdaDelta at a shared
#: 0.001 reconstructed the digits no better than their mean). The others
#: follow the bound's gradient: a Bernoulli likelihood's, ``x - p``, is
#: bounded, and they take 0.01 (SGD diverged at the networks' 0.1); a
#: Gaussian's, ``x - mu``, is not, and at 0.01 all four diverged on
#: standardized wine and digits, momentum and Nesterov at 0.001 too
VAE_LEARNING_RATES = {
    "bernoulli": {**DEFAULT_LEARNING_RATES, "sgd": 0.01},
    "gaussian": {**DEFAULT_LEARNING_RATES,
                 "sgd": 0.001, "momentum": 0.0001, "nesterov": 0.0001, "radam": 0.001},
}

#: ``learning_rate='auto'`` of the one-layer ``Autoencoder`` (minibatches of
#: 10 rows): its former shared step, 0.1, but for RMSProp, 0.01, and
#: AdaDelta, 1.0 (at 0.1 their held-out errors on the digits were 2.5 and
#: 3.6 times those at these steps)
AUTOENCODER_LEARNING_RATES = {**{name: 0.1 for name in DEFAULT_LEARNING_RATES},
                              "rmsprop": 0.01, "adadelta": 1.0}


def resolve_learning_rate(name, learning_rate, steps=DEFAULT_LEARNING_RATES):
    """``learning_rate``, or optimizer ``name``'s default step in ``steps``
    for ``'auto'``."""
    return steps[name] if learning_rate == "auto" else learning_rate


def make_optimizer(name, params, learning_rate, momentum=0.9, n_threads=None):
    """``OPTIMIZERS[name]`` over ``params``, with ``momentum`` for the momentum
    methods, stepping on ``n_threads`` threads; ``learning_rate='auto'`` takes
    the optimizer's default step (:data:`DEFAULT_LEARNING_RATES`)."""
    learning_rate = resolve_learning_rate(name, learning_rate)
    if name in MOMENTUM_OPTIMIZERS:
        return OPTIMIZERS[name](params, learning_rate, momentum=momentum, n_threads=n_threads)
    return OPTIMIZERS[name](params, learning_rate, n_threads=n_threads)


def flatten(arrays):
    """One float64 numpy vector holding ``arrays`` (of any library) end to end."""
    return np.concatenate([np.asarray(to_numpy(a), dtype=np.float64).ravel() for a in arrays])


def unflatten_into(x, arrays):
    """Copy the numpy vector ``x`` back into ``arrays`` (in place, their dtypes,
    namespace and device kept)."""
    start = 0
    for a in arrays:
        size = int(np.prod(a.shape))
        part = x[start : start + size].reshape(a.shape)
        a[...] = part if isinstance(a, np.ndarray) else asarray(part, a.dtype, like=a)
        start += size


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
