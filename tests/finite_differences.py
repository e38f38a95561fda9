"""Central finite differences, the reference for every analytic gradient in the tests."""

import numpy as np

#: float64 central differences at this step are accurate to about 1e-9 relative
FD_STEP = 1e-6


def numerical_gradient(f, x, h=FD_STEP):
    """Central finite-difference gradient of the scalar ``f()`` w.r.t. the array
    ``x``, which is perturbed in place and restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f()
        x[idx] = old - h
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad
