import numpy as np
import pytest
from numpy.testing import assert_allclose

from skdeep import BernoulliRBM, GaussianBernoulliRBM
from skdeep._pretraining import make_layer_learners, per_layer, pretrain_layers


def test_make_layer_learners_unit_types():
    learners = make_layer_learners(
        "rbm", (5, 4, 3), random_state=0, first_visible="gaussian", top_hidden="gaussian"
    )
    assert [type(lr) for lr in learners] == [GaussianBernoulliRBM, BernoulliRBM, BernoulliRBM]
    assert [lr.hidden_unit for lr in learners] == ["bernoulli", "bernoulli", "gaussian"]
    assert [lr.n_components for lr in learners] == [5, 4, 3]
    seeds = {lr.random_state for lr in learners}
    assert len(seeds) == 3  # an independent seed per layer


def test_make_layer_learners_settings_shared_or_per_layer():
    shared = make_layer_learners("rbm", (3, 2), settings={"learning_rate": 0.05, "k": 2})
    assert [lr.learning_rate for lr in shared] == [0.05, 0.05]
    assert [lr.k for lr in shared] == [2, 2]
    own = make_layer_learners(
        "rbm", (3, 2),
        settings=[{"learning_rate": 0.1}, {"learning_rate": 0.001, "random_state": 7}],
    )
    assert [lr.learning_rate for lr in own] == [0.1, 0.001]
    assert own[1].random_state == 7
    with pytest.raises(ValueError, match="per-layer"):
        make_layer_learners("rbm", (3, 2), settings=[{}])
    with pytest.raises(ValueError, match="Unknown pre-training setting"):
        make_layer_learners("rbm", (3, 2), settings={"learning_rat": 0.1})
    with pytest.raises(ValueError, match="pretraining"):
        make_layer_learners("pca", (3,))


def test_per_layer():
    assert per_layer(0.1, 3, "lr") == [0.1, 0.1, 0.1]
    assert per_layer((1, 2), 2, "lr") == [1, 2]
    with pytest.raises(ValueError, match="lr has 3 per-layer values"):
        per_layer([1, 2, 3], 2, "lr")


def test_pretrain_layers_trains_each_layer_on_probabilities(tiny_binary):
    learners = make_layer_learners(
        "rbm", (6, 3), settings={"n_iter": 5, "batch_size": 20}, random_state=0
    )
    fitted = pretrain_layers(tiny_binary, learners)
    assert learners[0].__dict__.get("components_") is None  # inputs left unfitted

    # the same two layers fitted by hand, each on the layer below's P(h=1 | v)
    first = BernoulliRBM(**learners[0].get_params()).fit(tiny_binary)
    second = BernoulliRBM(**learners[1].get_params()).fit(first.transform(tiny_binary))
    for by_hand, pretrained in zip((first, second), fitted):
        for a, b in zip(by_hand._layer_params(), pretrained._layer_params()):
            assert_allclose(a, b, rtol=0, atol=0)  # same seed, same data: identical


def test_pretrain_layers_verbose(tiny_binary, capsys):
    learners = make_layer_learners("rbm", (4, 2), settings={"n_iter": 1}, random_state=0)
    pretrain_layers(tiny_binary, learners, verbose=1)
    out = capsys.readouterr().out
    assert "layer 1/2 BernoulliRBM 8 -> 4" in out
    assert "layer 2/2 BernoulliRBM 4 -> 2" in out


def test_single_gaussian_gaussian_layer_refused():
    with pytest.raises(ValueError, match="A single RBM cannot"):
        make_layer_learners("rbm", (3,), first_visible="gaussian", top_hidden="gaussian")


def test_pretrain_layers_preserves_float32(tiny_binary):
    learners = make_layer_learners("rbm", (4, 2), settings={"n_iter": 1}, random_state=0)
    fitted = pretrain_layers(tiny_binary.astype(np.float32), learners)
    assert all(p.dtype == np.float32 for lr in fitted for p in lr._layer_params())
