"""Random initialisation of a dense layer: ``INITS[name](n_in, n_out, rng, dtype)``
returns ``(coef of shape (n_in, n_out), intercept of shape (n_out,))``, biases zero.

The weights are drawn in the widest float and then cast, so that a seed gives
the same weights whatever ``dtype``; they are made in the namespace and on the
device of ``like`` when it is given, else of the generator ``rng`` (see
:mod:`.draws`: numpy for a ``numpy.random.Generator``).
"""

import numpy as np

from .backend import astype, zeros
from .draws import normal, uniform_range


def lecun(n_in, n_out, rng, dtype, like=None):
    """N(0, 1 / n_in) weights (LeCun et al. 1998, "Efficient BackProp")."""
    coef = normal(rng, (n_in, n_out), like=like) * float(np.sqrt(1.0 / n_in))
    return _layer(coef, dtype)


def xavier(n_in, n_out, rng, dtype, like=None):
    """U(-r, r) with r = sqrt(6 / (n_in + n_out)), variance 2 / (n_in + n_out)
    (Glorot & Bengio 2010, eq. 16)."""
    r = float(np.sqrt(6.0 / (n_in + n_out)))
    return _layer(uniform_range(rng, -r, r, (n_in, n_out), like=like), dtype)


def he(n_in, n_out, rng, dtype, like=None):
    """N(0, 2 / n_in) weights, for rectifiers (He et al. 2015)."""
    coef = normal(rng, (n_in, n_out), like=like) * float(np.sqrt(2.0 / n_in))
    return _layer(coef, dtype)


def _layer(coef, dtype):
    coef = astype(coef, dtype)
    return coef, zeros(coef.shape[1], dtype, like=coef)


INITS = {"lecun": lecun, "xavier": xavier, "he": he}


#: the initialisation ``init='auto'`` gives a layer of each activation: He et
#: al. (2015) for rectifiers, Glorot & Bengio (2010) otherwise
ACTIVATION_INITS = {"relu": "he", "leaky_relu": "he"}


def init_for(activation):
    """The ``INITS`` key suited to a layer with ``activation``."""
    return ACTIVATION_INITS.get(activation, "xavier")
