import itertools
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit, logsumexp
from scipy.stats import chisquare
from sklearn.base import clone

from skdeep import DBN, BernoulliRBM, GaussianBernoulliRBM
from skdeep._kernels.rbm import free_energy


@pytest.fixture(scope="module")
def small_dbn(tiny_binary):
    return DBN(hidden_layer_sizes=(6, 3), n_iter=5, batch_size=20, random_state=0).fit(tiny_binary)


def test_dbn_layers_match_rbms_fitted_by_hand(tiny_binary, small_dbn):
    first, second = small_dbn.estimators_
    assert (first.n_components, second.n_components) == (6, 3)
    assert (first.batch_size, first.n_iter, first.method, first.momentum) == (
        20, 5, "cd", "hinton"
    )
    # each layer is an RBM fitted on the layer below's hidden probabilities
    rbm1 = BernoulliRBM(**first.get_params()).fit(tiny_binary)
    rbm2 = BernoulliRBM(**second.get_params()).fit(rbm1.transform(tiny_binary))
    for by_hand, layer in zip((rbm1, rbm2), small_dbn.estimators_):
        assert_array_equal(by_hand.components_, layer.components_)
        assert_array_equal(by_hand.intercept_hidden_, layer.intercept_hidden_)


def test_dbn_transform_is_the_up_pass(tiny_binary, small_dbn):
    (W1, c1, _), (W2, c2, _) = (rbm._layer_params() for rbm in small_dbn.estimators_)
    expected = expit(expit(tiny_binary @ W1 + c1) @ W2 + c2)
    # float64 throughout: agreement to rounding
    assert_allclose(small_dbn.transform(tiny_binary), expected, rtol=1e-12)
    assert_array_equal(small_dbn.get_feature_names_out(), ["dbn0", "dbn1", "dbn2"])


def test_dbn_per_layer_settings(tiny_binary):
    dbn = DBN(hidden_layer_sizes=(4, 2), learning_rate=(0.1, 0.01), k=(1, 3), n_iter=1,
              random_state=0).fit(tiny_binary)
    assert [rbm.learning_rate for rbm in dbn.estimators_] == [0.1, 0.01]
    assert [rbm.k for rbm in dbn.estimators_] == [1, 3]
    with pytest.raises(ValueError, match="learning_rate has 3 per-layer values"):
        DBN(hidden_layer_sizes=(4, 2), learning_rate=(0.1, 0.1, 0.1)).fit(tiny_binary)


def test_dbn_gaussian_visible(digits):
    X = digits[0][:200]
    X = (X - X.mean(0)) / (X.std(0) + 1e-3)
    dbn = DBN(hidden_layer_sizes=(8, 4), visible_unit="gaussian", learning_rate=0.01,
              n_iter=2, random_state=0).fit(X)
    assert [type(rbm) for rbm in dbn.estimators_] == [GaussianBernoulliRBM, BernoulliRBM]
    samples = dbn.sample(5, n_steps=5, random_state=0)
    assert samples.shape == (5, 64)
    assert not np.isin(samples, [0, 1]).all()  # real-valued draws


def test_dbn_sample_shape_and_range(small_dbn):
    draws = small_dbn.sample(7, n_steps=10, random_state=0)
    assert draws.shape == (7, 8)
    assert np.isin(draws, [0, 1]).all()
    means = small_dbn.sample(7, n_steps=10, mean=True, random_state=0)
    assert ((means > 0) & (means < 1)).all()
    assert_array_equal(small_dbn.sample(3, n_steps=5, random_state=1),
                       small_dbn.sample(3, n_steps=5, random_state=1))


def test_dbn_sample_matches_the_exact_generative_distribution(tiny_binary):
    """Enumerate p(v) = sum_h1 p(v | h1) p(h1) of a 4-3-2 DBN, p(h1) being the
    top RBM's visible marginal, and compare with the sample frequencies."""
    dbn = DBN(hidden_layer_sizes=(3, 2), n_iter=1, random_state=0).fit(tiny_binary[:, :4])
    r = np.random.default_rng(3)
    for rbm in dbn.estimators_:  # sharper weights than one epoch gives
        rbm.components_ = 1.5 * r.standard_normal(rbm.components_.shape)
        rbm.intercept_visible_ = r.standard_normal(rbm.intercept_visible_.shape)
        rbm.intercept_hidden_ = r.standard_normal(rbm.intercept_hidden_.shape)
    bottom, top = dbn.estimators_
    H1 = np.array(list(itertools.product([0, 1], repeat=3)), dtype=float)
    V = np.array(list(itertools.product([0, 1], repeat=4)), dtype=float)
    log_p_h1 = -free_energy(H1, top.components_, top.intercept_visible_, top.intercept_hidden_)
    p_h1 = np.exp(log_p_h1 - logsumexp(log_p_h1))
    p_v_given_h1 = expit(H1 @ bottom.components_ + bottom.intercept_visible_)  # (8, 4)
    p_v = np.array([
        p_h1 @ np.prod(np.where(v, p_v_given_h1, 1 - p_v_given_h1), axis=1) for v in V
    ])
    n = 20000
    draws = dbn.sample(n, n_steps=50, random_state=0)
    counts = np.bincount(draws.astype(int) @ (1 << np.arange(3, -1, -1)), minlength=16)
    # chi-square goodness of fit; a correct sampler fails at this level 1 time in 1000
    assert chisquare(counts, n * p_v).pvalue > 1e-3
    # and a wrong sampler (the top RBM's hidden marginal ignored) is rejected
    p_uniform_h1 = np.mean([np.prod(np.where(v, p_v_given_h1, 1 - p_v_given_h1), axis=1)
                            for v in V], axis=1)
    assert chisquare(counts, n * p_uniform_h1 / p_uniform_h1.sum()).pvalue < 1e-6


def test_dbn_float32_sparse_and_no_mutation(tiny_binary, small_dbn):
    X32 = tiny_binary.astype(np.float32)
    before = X32.copy()
    dbn = clone(small_dbn).fit(X32)
    assert_array_equal(X32, before)
    assert dbn.transform(X32).dtype == np.float32
    assert all(rbm.components_.dtype == np.float32 for rbm in dbn.estimators_)
    assert dbn.sample(2, n_steps=2, random_state=0).dtype == np.float32
    dense = clone(small_dbn).fit(tiny_binary)
    sparse = clone(small_dbn).fit(sp.csr_matrix(tiny_binary))
    assert_allclose(sparse.transform(sp.csr_matrix(tiny_binary)), dense.transform(tiny_binary),
                    rtol=1e-10)  # same arithmetic on sparse rows


def test_dbn_pickle_and_clone(tiny_binary, small_dbn):
    restored = pickle.loads(pickle.dumps(small_dbn))
    assert_array_equal(restored.transform(tiny_binary), small_dbn.transform(tiny_binary))
    fresh = clone(small_dbn)
    assert not hasattr(fresh, "estimators_")
    assert_array_equal(fresh.fit(tiny_binary).transform(tiny_binary),
                       small_dbn.transform(tiny_binary))


def test_dbn_encoder_layers(small_dbn):
    layers = small_dbn._encoder_layers()
    assert [(W.shape, act) for W, _, act in layers] == [((8, 6), "logistic"), ((6, 3), "logistic")]
