"""Feed-forward kernels against finite differences and closed forms."""

import numpy as np
import pytest
from finite_differences import numerical_gradient

from skdeep._kernels.activations import ACTIVATIONS, DERIVATIVES, matched_layers
from skdeep._kernels.init import INITS
from skdeep._kernels.losses import LOSSES, output_delta
from skdeep._kernels.network import (
    BatchNorm,
    backward,
    forward,
    loss_and_gradients,
    trainable_parameters,
)

# Central differences in float64 with step 1e-6 have error O(h^2 f''') + O(eps/h),
# about 1e-9 relative; 1e-6 leaves room for curvature.
FD_RTOL = 1e-6


def away_from_zero(rng, shape):
    """Values in +-[0.1, 2]: the rectifiers' kink at 0 is not differentiable."""
    return rng.choice([-1, 1], size=shape) * rng.uniform(0.1, 2, size=shape)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name, rng):
    Z = away_from_zero(rng, (4, 5))
    V = rng.standard_normal(Z.shape)  # a direction: check d/dZ sum(V * f(Z))
    A = ACTIVATIONS[name](Z.copy())
    analytic = DERIVATIVES[name](A, V.copy())
    numeric = numerical_gradient(lambda: float(np.sum(V * ACTIVATIONS[name](Z.copy()))), Z)
    np.testing.assert_allclose(analytic, numeric, rtol=FD_RTOL, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_in_place_and_dtype_preserved(name, rng):
    Z = rng.standard_normal((3, 4)).astype(np.float32)
    A = ACTIVATIONS[name](Z)
    assert A.dtype == np.float32
    assert np.shares_memory(A, Z) or name == "identity"
    delta = np.ones_like(A)
    assert DERIVATIVES[name](A, delta).dtype == np.float32


def test_activation_values():
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_allclose(ACTIVATIONS["relu"](z.copy()), [[0, 0, 3]])
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"](z.copy()), [[-0.02, 0, 3]])
    np.testing.assert_allclose(ACTIVATIONS["logistic"](z.copy()),
                               1 / (1 + np.exp(-z)))
    e = np.exp(z - 3)
    np.testing.assert_allclose(ACTIVATIONS["softmax"](z.copy()), e / e.sum())


def _targets(loss, rng, shape):
    if loss == "log_loss":
        return np.eye(shape[1])[rng.integers(0, shape[1], shape[0])]
    if loss == "binary_log_loss":
        return rng.random(shape)
    return rng.standard_normal(shape)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_loss_gradient_matches_finite_differences(loss, rng):
    A = rng.uniform(0.1, 0.9, (4, 3))
    Y = _targets(loss, rng, A.shape)
    numeric = numerical_gradient(lambda: LOSSES[loss].value(Y, A), A)
    np.testing.assert_allclose(LOSSES[loss].gradient(Y, A), numeric, rtol=FD_RTOL)


# every loss with every output activation it can take (cross-entropies need (0, 1))
@pytest.mark.parametrize("loss, activation", [
    (loss, act) for loss in sorted(LOSSES)
    for act in ["identity", "logistic", "softmax", "tanh"]
    if loss == "squared_error" or act in ("logistic", "softmax")
])
def test_output_delta_matches_finite_differences(loss, activation, rng):
    Z = rng.standard_normal((4, 3))
    Y = _targets(loss, rng, Z.shape)
    A = ACTIVATIONS[activation](Z.copy())
    analytic = output_delta(loss, Y, A, activation)
    numeric = numerical_gradient(
        lambda: LOSSES[loss].value(Y, ACTIVATIONS[activation](Z.copy())), Z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


def test_loss_closed_forms():
    # uniform softmax over 4 classes: log 4 per row
    A = np.full((3, 4), 0.25)
    Y = np.eye(4)[[0, 1, 2]]
    assert LOSSES["log_loss"].value(Y, A) == pytest.approx(3 * np.log(4))
    assert LOSSES["binary_log_loss"].value(np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]])) \
        == pytest.approx(2 * np.log(2))
    assert LOSSES["squared_error"].value(np.zeros((2, 2)), np.ones((2, 2))) == 2.0


def make_net(rng, sizes, dtype=np.float64):
    coefs, intercepts = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W, b = INITS["xavier"](n_in, n_out, rng, dtype)
        coefs.append(W)
        intercepts.append(b + 0.1 * rng.standard_normal(n_out).astype(dtype))
    return coefs, intercepts


HEADS = {"log_loss": "softmax", "squared_error": "identity", "binary_log_loss": "logistic"}


@pytest.mark.parametrize("hidden", ["logistic", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("loss", sorted(HEADS))
def test_network_gradients_match_finite_differences(hidden, loss, rng):
    coefs, intercepts = make_net(rng, [5, 6, 4, 3])
    acts = [hidden, hidden, HEADS[loss]]
    X = rng.random((7, 5))
    Y = _targets(loss, rng, (7, 3))
    alpha = 0.01

    def objective():
        return loss_and_gradients(X, Y, coefs, intercepts, acts, loss, alpha=alpha)[0]

    grads = loss_and_gradients(X, Y, coefs, intercepts, acts, loss, alpha=alpha,
                               input_delta=True)[2]
    for analytic, param in zip(grads.as_list(), trainable_parameters(coefs, intercepts)):
        np.testing.assert_allclose(analytic, numerical_gradient(objective, param),
                                   rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grads.input_delta, numerical_gradient(objective, X),
                               rtol=1e-5, atol=1e-8)


def test_batch_norm_gradients_match_finite_differences(rng):
    coefs, intercepts = make_net(rng, [4, 6, 5, 3])
    norms = [BatchNorm(6, np.float64), BatchNorm(5, np.float64), None]
    for bn in norms[:2]:
        bn.gamma += 0.3 * rng.standard_normal(bn.gamma.shape)
        bn.beta += 0.3 * rng.standard_normal(bn.beta.shape)
    acts = ["tanh", "logistic", "softmax"]
    X = rng.random((8, 4))
    Y = _targets("log_loss", rng, (8, 3))

    def objective():
        return loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss",
                                  batch_norms=norms)[0]

    grads = loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss",
                               batch_norms=norms, input_delta=True)[2]
    params = trainable_parameters(coefs, intercepts, norms)
    assert len(params) == len(grads.as_list()) == 10
    for analytic, param in zip(grads.as_list(), params):
        np.testing.assert_allclose(analytic, numerical_gradient(objective, param),
                                   rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grads.input_delta, numerical_gradient(objective, X),
                               rtol=1e-5, atol=1e-8)


def test_batch_norm_running_statistics_and_inference(rng):
    bn = BatchNorm(3, np.float64, momentum=0.5)
    Z = rng.standard_normal((50, 3)) * [1, 2, 3] + [5, -1, 0]
    for _ in range(60):  # 0.5^60: the running averages equal the batch values
        out, _ = bn.forward(Z.copy(), training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, rtol=1e-4)  # eps = 1e-5 in var
    np.testing.assert_allclose(bn.running_mean, Z.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, Z.var(axis=0, ddof=1))
    inferred, _ = bn.forward(Z.copy(), training=False)
    # inference divides by the unbiased variance: a factor sqrt((n-1)/n)
    np.testing.assert_allclose(inferred, out * np.sqrt(49 / 50), rtol=1e-4)


def test_frozen_inference_batch_norm_input_delta(rng):
    coefs, intercepts = make_net(rng, [4, 5, 3])
    norms = [BatchNorm(5, np.float64), None]
    norms[0].running_mean += rng.standard_normal(5)
    norms[0].running_var += rng.random(5)
    X = rng.random((6, 4))
    Y = _targets("log_loss", rng, (6, 3))
    trainable = [False, True]
    acts = ["relu", "softmax"]

    def objective():
        return loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss",
                                  batch_norms=norms, trainable=trainable)[0]

    grads = loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss",
                               batch_norms=norms, trainable=trainable, input_delta=True)[2]
    np.testing.assert_allclose(grads.input_delta, numerical_gradient(objective, X),
                               rtol=1e-5, atol=1e-8)


def test_frozen_layers_get_no_gradient(rng):
    coefs, intercepts = make_net(rng, [4, 5, 5, 3])
    acts = ["logistic", "logistic", "softmax"]
    X = rng.random((6, 4))
    Y = _targets("log_loss", rng, (6, 3))
    full = loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss")[2]
    part = loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss",
                              trainable=[False, True, True])[2]
    assert part.coefs[0] is None and part.intercepts[0] is None
    assert len(trainable_parameters(coefs, intercepts, trainable=[False, True, True])) == 4
    for a, b in zip(part.as_list(), full.as_list()[2:]):
        np.testing.assert_allclose(a, b)


def test_dropout_gradient_with_fixed_masks_and_off_at_prediction(rng):
    coefs, intercepts = make_net(rng, [6, 8, 3])
    acts = ["relu", "softmax"]
    X = rng.random((10, 6))
    Y = _targets("log_loss", rng, (10, 3))
    dropout = [0.2, 0.5]

    def objective():  # the same masks at every evaluation: re-seeded generator
        return loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss",
                                  dropout=dropout, rng=np.random.default_rng(3))[0]

    grads = loss_and_gradients(X, Y, coefs, intercepts, acts, "log_loss", dropout=dropout,
                               rng=np.random.default_rng(3), input_delta=True)[2]
    for analytic, param in zip(grads.as_list(), trainable_parameters(coefs, intercepts)):
        np.testing.assert_allclose(analytic, numerical_gradient(objective, param),
                                   rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grads.input_delta, numerical_gradient(objective, X),
                               rtol=1e-5, atol=1e-8)
    X_copy = X.copy()
    fwd = forward(X, coefs, intercepts, acts, dropout=dropout, training=True,
                  rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, X_copy)  # the input is never modified
    dropped = fwd.masks[1] == 0
    assert 0.35 < dropped.mean() < 0.65  # 80 Bernoulli(0.5) draws: +-3 sd
    np.testing.assert_allclose(fwd.masks[1][~dropped], 2.0)  # inverted scaling 1/(1-p)
    plain = forward(X, coefs, intercepts, acts).output
    off = forward(X, coefs, intercepts, acts, dropout=dropout, training=False).output
    np.testing.assert_array_equal(plain, off)


def test_backward_leaves_delta_unchanged(rng):
    coefs, intercepts = make_net(rng, [3, 4, 2])
    fwd = forward(rng.random((5, 3)), coefs, intercepts, ["tanh", "identity"])
    delta = rng.standard_normal((5, 2))
    before = delta.copy()
    backward(fwd, delta, coefs, ["tanh", "identity"], input_delta=True)
    np.testing.assert_array_equal(delta, before)


@pytest.mark.parametrize("name, variance", [
    ("lecun", lambda n_in, n_out: 1 / n_in),
    ("xavier", lambda n_in, n_out: 2 / (n_in + n_out)),
    ("he", lambda n_in, n_out: 2 / n_in),
])
def test_init_variance_shape_and_dtype(name, variance, rng):
    W, b = INITS[name](400, 300, rng, np.float32)
    assert W.shape == (400, 300) and b.shape == (300,)
    assert W.dtype == b.dtype == np.float32
    assert not b.any()
    # 120000 draws: the sample variance is within 2% of the true one (sd ~0.4-0.5%)
    assert W.var() == pytest.approx(variance(400, 300), rel=0.02)


def test_forward_preserves_float32(rng):
    coefs, intercepts = make_net(rng, [4, 5, 3], np.float32)
    norms = [BatchNorm(5, np.float32), None]
    X = rng.random((6, 4)).astype(np.float32)
    Y = _targets("log_loss", rng, (6, 3)).astype(np.float32)
    value, _, grads = loss_and_gradients(X, Y, coefs, intercepts, ["relu", "softmax"],
                                         "log_loss", batch_norms=norms, dropout=[0.1, 0.1],
                                         rng=rng, alpha=0.1)
    assert np.isfinite(value)
    assert all(g.dtype == np.float32 for g in grads.as_list())


def _logistic_stack(rng, widths, scale):
    """Layers of logistic units with a linear top layer (an RBM stack with a
    Gaussian code), weights and biases of size ``scale``."""
    return [(scale * rng.standard_normal((n_in, n_out)), scale * rng.standard_normal(n_out),
             "logistic" if i < len(widths) - 2 else "identity")
            for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:]))]


def _forward(X, layers, activations):
    return forward(X, [W for W, _ in layers], [b for _, b in layers], activations).output


def test_matched_tanh_layers_compute_the_logistic_stack(rng):
    # tanh(z / 2) = 2 sigma(z) - 1: the matched net is the logistic one, exactly
    stack = _logistic_stack(rng, [5, 6, 4, 3], scale=2.0)
    X = rng.random((7, 5))
    expected = _forward(X, [(W, b) for W, b, _ in stack], ["logistic", "logistic", "identity"])
    matched = matched_layers(stack, ["tanh", "tanh", "identity"])
    np.testing.assert_allclose(_forward(X, matched, ["tanh", "tanh", "identity"]), expected,
                               rtol=1e-12)
    # the hidden units are 2 sigma - 1 of the logistic ones
    np.testing.assert_allclose(_forward(X, matched[:1], ["tanh"]),
                               2 * _forward(X, [stack[0][:2]], ["logistic"]) - 1, rtol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "identity"])
def test_matched_rectifier_layers_follow_the_logistic_stack_near_zero(activation, rng):
    # sigma(z) = 1/2 + z/4 - z^3/48 + ...: with |z| < 0.05 the units differ by < 3e-6
    stack = _logistic_stack(rng, [5, 6, 4, 3], scale=0.005)
    X = rng.random((7, 5))
    expected = _forward(X, [(W, b) for W, b, _ in stack], ["logistic", "logistic", "identity"])
    matched = matched_layers(stack, [activation, activation, "identity"])
    np.testing.assert_allclose(_forward(X, matched, [activation, activation, "identity"]),
                               expected, atol=1e-6)
    # the logistic units' weights as they are leave every rectifier off where
    # the biases are below the inputs' reach; the matched ones turn them on
    W, b, _ = stack[0]
    dead = (W, b - 1.0)
    H = _forward(X, matched_layers([(*dead, "logistic")], [activation]), [activation])
    assert np.all(H > 0.2)
    assert np.all(_forward(X, [dead], ["relu"]) == 0)


def test_matched_layers_keep_logistic_layers_and_dtype(rng):
    stack = [(W.astype(np.float32), b.astype(np.float32), unit)
             for W, b, unit in _logistic_stack(rng, [4, 3, 2], scale=1.0)]
    matched = matched_layers(stack, ["logistic", "identity"])
    for (W, b, _), (W_m, b_m) in zip(stack, matched):
        assert W_m.dtype == b_m.dtype == np.float32
        np.testing.assert_array_equal(W_m, W)
        np.testing.assert_array_equal(b_m, b)
        assert W_m is not W
