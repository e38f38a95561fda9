"""Random initialisation of a dense layer: ``INITS[name](n_in, n_out, rng, dtype)``
returns ``(coef of shape (n_in, n_out), intercept of shape (n_out,))``, biases zero."""

import numpy as np


def lecun(n_in, n_out, rng, dtype):
    """N(0, 1 / n_in) weights (LeCun et al. 1998, "Efficient BackProp")."""
    coef = rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / n_in)
    return coef.astype(dtype), np.zeros(n_out, dtype=dtype)


def xavier(n_in, n_out, rng, dtype):
    """U(-r, r) with r = sqrt(6 / (n_in + n_out)), variance 2 / (n_in + n_out)
    (Glorot & Bengio 2010, eq. 16)."""
    r = np.sqrt(6.0 / (n_in + n_out))
    coef = rng.uniform(-r, r, (n_in, n_out))
    return coef.astype(dtype), np.zeros(n_out, dtype=dtype)


def he(n_in, n_out, rng, dtype):
    """N(0, 2 / n_in) weights, for rectifiers (He et al. 2015)."""
    coef = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
    return coef.astype(dtype), np.zeros(n_out, dtype=dtype)


INITS = {"lecun": lecun, "xavier": xavier, "he": he}


#: the initialisation ``init='auto'`` gives a layer of each activation: He et
#: al. (2015) for rectifiers, Glorot & Bengio (2010) otherwise
ACTIVATION_INITS = {"relu": "he", "leaky_relu": "he"}


def init_for(activation):
    """The ``INITS`` key suited to a layer with ``activation``."""
    return ACTIVATION_INITS.get(activation, "xavier")
