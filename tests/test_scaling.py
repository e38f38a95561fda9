"""The input scaling folded into a network's first layer (skdeep._kernels.scaling)."""

import numpy as np

from skdeep._kernels.scaling import (
    binary_variance_share,
    common_scale_standardization,
    fold_output_scaling,
    fold_scaling,
    scaled,
    standardization,
    unfold_output_scaling,
    unfold_scaling,
    unit_interval_scaling,
)


def test_folded_layer_of_raw_input_equals_layer_of_scaled_input():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 5)) * [1.0, 10.0, 1e3, 0.01, 1.0] + [0.0, -5.0, 1e4, 0.0, 3.0]
    X[:, 4] = 3.0  # constant column: range 1
    low, span = unit_interval_scaling(X[:12], X[12:])
    np.testing.assert_array_equal(low, X.min(axis=0))
    np.testing.assert_array_equal(span, np.where(np.ptp(X, axis=0) > 0, np.ptp(X, axis=0), 1.0))
    Z = scaled(X, low, span)
    np.testing.assert_allclose(Z.min(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z[:, :4].max(axis=0), 1.0)
    W, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    W_raw, b_raw = fold_scaling(W, b, low, span)
    np.testing.assert_allclose(X @ W_raw + b_raw, Z @ W + b, rtol=1e-9, atol=1e-9)
    W_back, b_back = unfold_scaling(W_raw, b_raw, low, span)
    np.testing.assert_allclose(W_back, W, rtol=1e-12)
    np.testing.assert_allclose(b_back, b, rtol=1e-9, atol=1e-9)


def test_weighted_standardization_equals_repeated_rows():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(8, 3)) * [1.0, 100.0, 0.0] + [0.0, 5.0, 2.0]
    weights = np.array([1, 2, 0, 3, 1, 1, 2, 1])
    mean, scale = standardization(X, weights.astype(float))
    repeated = np.repeat(X, weights, axis=0)
    np.testing.assert_allclose(mean, repeated.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scale[:2], repeated.std(axis=0)[:2], rtol=1e-12)
    assert scale[2] == 1.0  # a constant column
    np.testing.assert_allclose(standardization(X)[1][:2], X.std(axis=0)[:2], rtol=1e-12)


def test_common_scale_is_the_root_mean_square_deviation_with_weights():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(9, 4)) * [1.0, 30.0, 0.0, 0.1] + [0.0, 5.0, 2.0, -1.0]
    weights = np.array([1, 2, 0, 3, 1, 1, 2, 1, 4])
    mean, scale = common_scale_standardization(X, weights.astype(float))
    repeated = np.repeat(X, weights, axis=0)
    np.testing.assert_allclose(mean, repeated.mean(axis=0), rtol=1e-12, atol=1e-12)
    # the constant column counts with a deviation of 0
    np.testing.assert_allclose(scale, np.full(4, np.sqrt(np.mean(repeated.var(axis=0)))),
                               rtol=1e-12)
    assert common_scale_standardization(np.ones((3, 2)))[1].tolist() == [1.0, 1.0]


def test_folded_output_layer_gives_raw_units():
    rng = np.random.default_rng(3)
    H = rng.normal(size=(6, 3))
    W, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    m, r = rng.normal(size=4) * 100, np.full(4, 7.5)
    W_raw, b_raw = fold_output_scaling(W, b, m, r)
    np.testing.assert_allclose(H @ W_raw + b_raw, (H @ W + b) * r + m, rtol=1e-12)
    W_back, b_back = unfold_output_scaling(W_raw, b_raw, m, r)
    np.testing.assert_allclose(W_back, W, rtol=1e-12)
    np.testing.assert_allclose(b_back, b, rtol=1e-9, atol=1e-12)


def test_a_constant_column_standardizes_to_zero():
    # the mean of three 0.1s rounds to 0.1 + 1.4e-17: that is no deviation
    X = np.column_stack([np.full(3, 0.1), [0.0, 1.0, 2.0]])
    for m, r in (standardization(X), common_scale_standardization(X)):
        # (the rounding itself remains; scaled by 1e-17 it was -1 in every row)
        np.testing.assert_allclose(scaled(X, m, r)[:, 0], 0.0, atol=1e-12)
    assert standardization(X)[1][0] == 1.0
    np.testing.assert_allclose(common_scale_standardization(X)[1],
                               np.sqrt(np.var([0.0, 1.0, 2.0]) / 2), rtol=1e-12)


def test_binary_variance_share_of_binary_data_an_even_grid_and_constants():
    """1 for binary columns; for ``n`` evenly spaced values in [0, 1], mean
    1/2 and variance ``(n + 1) / (12 (n - 1))``, so ``(n + 1) / (3 (n - 1))``;
    weights count as repeated rows; constant columns have no variance, and
    columns of only 0 or 1 count as binary."""
    rng = np.random.default_rng(2)
    binary = (rng.random((50, 4)) < [0.1, 0.5, 0.7, 0.9]).astype(float)
    np.testing.assert_allclose(binary_variance_share(binary), 1.0, rtol=1e-12)
    n = 11
    grid = np.tile(np.linspace(0, 1, n)[:, None], (1, 3))
    np.testing.assert_allclose(binary_variance_share(grid), (n + 1) / (3 * (n - 1)), rtol=1e-12)
    X = rng.random((9, 3)) ** 2
    weights = np.array([1, 0, 2, 3, 1, 1, 2, 1, 4])
    np.testing.assert_allclose(binary_variance_share(X, weights.astype(float)),
                               binary_variance_share(np.repeat(X, weights, axis=0)), rtol=1e-12)
    assert binary_variance_share(np.full((5, 2), 0.3)) == 0.0
    assert binary_variance_share(np.zeros((5, 2))) == 1.0


def test_deviations_whose_squares_overflow_the_dtype():
    """float32 columns of values near 1e30, whose squares overflow float32,
    get float64's deviations (and common scale), weighted or not; the
    deviations were infinite, and the networks folded with them NaN."""
    X = np.array([[0.0, 1.0], [1e30, 2.0], [3e30, 2.0], [2e30, 4.0]], dtype=np.float32)
    wide = X.astype(np.float64)
    w = np.array([1.0, 2.0, 1.0, 3.0], dtype=np.float32)
    mean = np.average(wide, axis=0, weights=w)
    expected = [(wide.std(axis=0), None),
                (np.sqrt(np.average((wide - mean) ** 2, axis=0, weights=w)), w)]
    for deviation, weights in expected:
        with np.errstate(over="raise"):
            _, r = standardization(X, weights)
            _, common = common_scale_standardization(X, weights)
        assert r.dtype == np.float32
        np.testing.assert_allclose(r, deviation, rtol=1e-5)
        np.testing.assert_allclose(common, np.sqrt(np.mean(deviation ** 2)), rtol=1e-5)
