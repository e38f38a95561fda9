import numpy as np
import pytest
from sklearn.datasets import load_digits


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="module")
def digits():
    """Digits scaled to [0, 1]: (X float64, y)."""
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


@pytest.fixture(scope="module")
def tiny_binary():
    """200 rows of 8 correlated bits: two prototypes with 10% flips."""
    r = np.random.default_rng(1)
    protos = np.array([[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 1]], dtype=float)
    X = protos[r.integers(0, 2, 200)]
    flips = r.random(X.shape) < 0.1
    return np.abs(X - flips)


@pytest.fixture
def Xy():
    """40 rows of 5 uniform features and alternating binary labels: the small
    data of the bad-input and changed-settings tests."""
    X = np.random.default_rng(0).random((40, 5))
    return X, np.arange(40) % 2
