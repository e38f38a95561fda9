"""BernoulliRBM and GaussianBernoulliRBM against exact answers and scikit-learn's API."""

import pickle
import re
import warnings

import numpy as np
import pytest
import rbm_brute as brute
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from scipy.special import expit
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.neural_network import BernoulliRBM as SklearnBernoulliRBM

from skdeep import BernoulliRBM, GaussianBernoulliRBM
from skdeep._training import InputRangeWarning


def rbm(cls=BernoulliRBM, **params):
    defaults = dict(n_components=4, batch_size=20, n_iter=10, random_state=0)
    return cls(**{**defaults, **params})


def params_of(model):
    return model.components_, model.intercept_visible_, model.intercept_hidden_


def assert_same_model(a, b):
    for name in ("components_", "intercept_visible_", "intercept_hidden_", "h_samples_"):
        assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


@pytest.fixture(scope="module")
def gaussian_data():
    """300 2-D points from two unit-variance clusters, a mixture the model
    represents exactly with one hidden unit."""
    r = np.random.default_rng(2)
    return np.concatenate([r.normal([-2.0, 1.0], 1.0, (150, 2)),
                           r.normal([2.0, -1.0], 1.0, (150, 2))])


# ------------------------------------------------------ exact likelihood
def test_score_samples_is_the_exact_log_likelihood(tiny_binary):
    model = rbm(n_iter=20).fit(tiny_binary)
    assert_allclose(model.score_samples(tiny_binary),
                    brute.log_likelihood(tiny_binary, *params_of(model)), rtol=1e-10)
    assert model.score(tiny_binary) == pytest.approx(
        brute.log_likelihood(tiny_binary, *params_of(model)).mean(), rel=1e-10)
    # p(v) sums to one over the 256 visible states
    assert np.exp(model.score_samples(brute.states(8))).sum() == pytest.approx(1.0, rel=1e-10)


def test_transform_is_the_hidden_posterior(tiny_binary):
    model = rbm().fit(tiny_binary)
    assert_allclose(model.transform(tiny_binary),
                    brute.hidden_posterior(tiny_binary, *params_of(model)), rtol=1e-10)


def test_gaussian_hidden_units_give_a_normalised_model(tiny_binary):
    model = rbm(hidden_unit="gaussian", learning_rate=0.01).fit(tiny_binary)
    assert_allclose(model.transform(tiny_binary),
                    tiny_binary @ model.components_.T + model.intercept_hidden_)
    assert np.exp(model.score_samples(brute.states(8))).sum() == pytest.approx(1.0, rel=1e-10)


def test_gaussian_rbm_density_integrates_to_one(gaussian_data):
    model = rbm(GaussianBernoulliRBM, n_components=3, learning_rate=0.01).fit(gaussian_data)
    # trapezoid rule on a 0.02 grid over [-9, 9]^2: the density is a mixture of
    # unit-variance Gaussians, smooth, and negligible outside the box
    grid = np.linspace(-9, 9, 901)
    xx, yy = np.meshgrid(grid, grid)
    density = np.exp(model.score_samples(np.column_stack([xx.ravel(), yy.ravel()])))
    mass = np.trapezoid(np.trapezoid(density.reshape(xx.shape), grid), grid)
    assert mass == pytest.approx(1.0, abs=1e-6)


def test_log_partition_exact_and_ais(tiny_binary):
    model = rbm().fit(tiny_binary)
    expected = brute.log_z(*params_of(model))
    exact = model.log_partition("exact")
    assert exact.method == "exact" and exact.log_z == pytest.approx(expected, rel=1e-12)
    assert exact.lower == exact.upper == exact.log_z
    assert model.log_partition().method == "exact"  # 'auto' enumerates 4 hidden units
    ais = model.log_partition("ais", n_betas=2000, random_state=0)
    assert ais.method == "ais"
    assert ais.lower <= expected <= ais.upper  # the reported +-3 standard errors


def test_exact_log_partition_past_20_units_says_to_use_ais(rng):
    X = (rng.random((50, 22)) < 0.5).astype(float)
    model = rbm(n_components=21, n_iter=1).fit(X)
    with pytest.raises(ValueError, match="method='ais'"):
        model.log_partition("exact")
    result = model.log_partition(n_runs=10, n_betas=100, random_state=0)
    assert result.method == "ais"  # 'auto' falls back to AIS
    with pytest.raises(ValueError, match="'method' parameter of .*log_partition"):
        model.log_partition("sampling")


def test_pseudo_likelihood_equals_sum_of_log_conditionals(tiny_binary):
    model = rbm().fit(tiny_binary)
    log_p = -brute.free_energy(tiny_binary, *params_of(model))
    expected = np.zeros(len(tiny_binary))
    for i in range(tiny_binary.shape[1]):
        flipped = tiny_binary.copy()
        flipped[:, i] = 1 - flipped[:, i]
        expected += log_p - np.logaddexp(log_p, -brute.free_energy(flipped, *params_of(model)))
    assert_allclose(model.pseudo_likelihood(tiny_binary), expected, rtol=1e-10)
    with pytest.raises(ValueError, match="binary visible"):
        rbm(GaussianBernoulliRBM, n_iter=1).fit(tiny_binary).pseudo_likelihood(tiny_binary)


# --------------------------------------------------------------- training
@pytest.mark.parametrize("method", ["cd", "pcd"])
def test_training_raises_the_exact_log_likelihood(method, tiny_binary):
    start = rbm(method=method, n_iter=0).fit(tiny_binary).score(tiny_binary)
    trained = rbm(method=method, n_iter=100, learning_rate=0.05).fit(tiny_binary)
    # the data are two prototypes with 10% flips (entropy 3.29 nats per row):
    # 4 hidden units capture them, gaining over one nat per row on the
    # base-rate start (-4.39)
    assert trained.score(tiny_binary) > start + 1.0
    assert trained.n_iter_ == 100 and len(trained.loss_curve_) == 100


@pytest.mark.parametrize("method", ["cd", "pcd"])
def test_gaussian_rbm_training_raises_the_exact_log_likelihood(method, gaussian_data):
    start = rbm(GaussianBernoulliRBM, n_iter=0).fit(gaussian_data).score(gaussian_data)
    trained = rbm(GaussianBernoulliRBM, method=method, n_iter=30, learning_rate=0.01,
                  momentum=0.5).fit(gaussian_data)
    # from one unit Gaussian at the data mean (-5.27 nats) to the two-cluster
    # mixture (about -3.5: the clusters' entropy 2.84 plus log 2)
    assert trained.score(gaussian_data) > start + 1.0


def test_sample_matches_the_model_distribution(tiny_binary):
    # 20000 independent chains of 100 steps; chi-square at significance 0.001
    model = rbm(n_components=3, n_iter=20).fit(tiny_binary[:, :4])
    V, p = brute.visible_distribution(*params_of(model))
    n = 20000
    assert n * p.min() > 5
    draws = model.sample(n, n_steps=100, random_state=1)
    assert set(np.unique(draws)) <= {0.0, 1.0}
    counts = np.bincount(brute.state_index(draws), minlength=len(V))
    assert stats.chisquare(counts, n * p).pvalue > 1e-3


def test_gibbs_draws_from_the_estimator_generator(tiny_binary):
    model = rbm().fit(tiny_binary)
    first = model.gibbs(tiny_binary)
    assert set(np.unique(first)) <= {0.0, 1.0} and first.shape == tiny_binary.shape
    assert not np.array_equal(first, model.gibbs(tiny_binary))  # the generator advanced


@pytest.mark.parametrize("method", ["cd", "pcd"])
@pytest.mark.parametrize("shuffle", [True, False])
def test_partial_fit_once_per_epoch_equals_fit(method, shuffle, tiny_binary):
    # the same seed, the same batches (a fresh permutation per epoch), the same
    # schedules: momentum switches at epoch 5 and the learning rate decays
    params = dict(method=method, shuffle=shuffle, momentum="hinton", learning_rate_decay=0.1,
                  batch_size=16, n_iter=7)
    fitted = rbm(**params).fit(tiny_binary)
    incremental = rbm(**params)
    for _ in range(7):
        assert incremental.partial_fit(tiny_binary) is incremental
    assert_same_model(fitted, incremental)
    assert incremental.n_iter_ == 7 and incremental.loss_curve_ == fitted.loss_curve_


def test_hinton_momentum_schedule(tiny_binary):
    # 'hinton' = momentum 0.5 for epochs 0-4, then 0.9
    hinton = rbm(momentum="hinton", n_iter=7).fit(tiny_binary)
    by_hand = rbm(momentum=0.5)
    for _ in range(5):
        by_hand.partial_fit(tiny_binary)
    by_hand.set_params(momentum=0.9)
    for _ in range(2):
        by_hand.partial_fit(tiny_binary)
    assert_same_model(hinton, by_hand)
    constant = rbm(momentum=0.5, n_iter=7).fit(tiny_binary)
    assert not np.allclose(constant.components_, hinton.components_)


def test_weight_decay_touches_weights_only(tiny_binary):
    # one full batch, one plain SGD step: W1 = W0 - lr (g + wd W0), biases untouched
    lr, wd = 0.1, 0.05
    common = dict(batch_size=len(tiny_binary), learning_rate=lr)
    start = rbm(n_iter=0, **common).fit(tiny_binary)
    plain = rbm(n_iter=1, **common).fit(tiny_binary)
    decayed = rbm(n_iter=1, weight_decay=wd, **common).fit(tiny_binary)
    assert_allclose(decayed.components_ - plain.components_, -lr * wd * start.components_,
                    rtol=1e-10, atol=1e-15)
    assert_array_equal(decayed.intercept_visible_, plain.intercept_visible_)
    assert_array_equal(decayed.intercept_hidden_, plain.intercept_hidden_)


# ------------------------------------------------------- dtype, pickling
@pytest.mark.parametrize("cls", [BernoulliRBM, GaussianBernoulliRBM])
def test_float32_is_close_to_float64(cls, tiny_binary):
    # both draw the same float32 random numbers; what differs is rounding,
    # ~1e-7 per operation, accumulated over 100 updates
    a = rbm(cls, momentum="hinton").fit(tiny_binary)
    b = rbm(cls, momentum="hinton").fit(tiny_binary.astype(np.float32))
    for x, y in zip(params_of(a), params_of(b)):
        assert_allclose(y, x, atol=1e-4)
    assert_allclose(b.transform(tiny_binary.astype(np.float32)), a.transform(tiny_binary),
                    atol=1e-4)


@pytest.mark.parametrize("cls", [BernoulliRBM, GaussianBernoulliRBM])
def test_float32_is_preserved(cls, tiny_binary):
    X = tiny_binary.astype(np.float32)
    model = rbm(cls, n_iter=2).fit(X)
    for name in ("components_", "intercept_visible_", "intercept_hidden_", "h_samples_"):
        assert getattr(model, name).dtype == np.float32, name
    model.partial_fit(X)
    assert model.components_.dtype == np.float32
    assert model.transform(X).dtype == np.float32
    assert model.free_energy(X).dtype == np.float32
    assert model.gibbs(X).dtype == np.float32
    assert model.sample(3, n_steps=2).dtype == np.float32


def test_pickle_round_trip_gives_identical_outputs(tiny_binary):
    model = rbm(momentum="hinton").fit(tiny_binary)
    model.score(tiny_binary)  # caches log Z
    copy = pickle.loads(pickle.dumps(model))
    for method in ("transform", "free_energy", "score_samples", "pseudo_likelihood"):
        assert_array_equal(getattr(copy, method)(tiny_binary), getattr(model, method)(tiny_binary))
    assert_array_equal(copy.gibbs(tiny_binary), model.gibbs(tiny_binary))  # generator state too
    assert_same_model(copy.partial_fit(tiny_binary), model.partial_fit(tiny_binary))


def test_same_seed_same_model(tiny_binary):
    assert_same_model(rbm().fit(tiny_binary), rbm().fit(tiny_binary))
    other = rbm(random_state=1).fit(tiny_binary)
    assert not np.allclose(other.components_, rbm().fit(tiny_binary).components_)


def test_sparse_csr_equals_dense(tiny_binary):
    dense = rbm(momentum="hinton").fit(tiny_binary)
    sparse = rbm(momentum="hinton").fit(sp.csr_matrix(tiny_binary))
    # the same rows and random numbers; only the column means behind the initial
    # visible biases are summed in another order (1e-16)
    for x, y in zip(params_of(dense), params_of(sparse)):
        assert_allclose(y, x, rtol=1e-9, atol=1e-12)
    for method in ("transform", "free_energy", "score_samples", "pseudo_likelihood"):
        assert_allclose(getattr(dense, method)(sp.csr_matrix(tiny_binary)),
                        getattr(dense, method)(tiny_binary), rtol=1e-12)


# ----------------------------------------------------------- bad input
def test_values_outside_the_unit_interval_warn_once(tiny_binary):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rbm(n_iter=3).fit(2.0 * tiny_binary)
    messages = [str(w.message) for w in caught if issubclass(w.category, InputRangeWarning)]
    assert len(messages) == 1
    assert "[0, 1]" in messages[0] and "MinMaxScaler" in messages[0]
    assert "GaussianBernoulliRBM" in messages[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputRangeWarning)
        rbm(n_iter=1).fit(tiny_binary)
        rbm(GaussianBernoulliRBM, n_iter=1).fit(2.0 * tiny_binary)


def test_divergence_raises_an_error_naming_the_learning_rate(gaussian_data):
    model = rbm(GaussianBernoulliRBM, learning_rate=10.0, n_iter=50)
    with pytest.raises(ValueError, match="learning_rate"):
        with np.errstate(all="ignore"):
            model.fit(10.0 * gaussian_data)


def test_gaussian_rbm_rejects_gaussian_hidden_units(gaussian_data):
    with pytest.raises(ValueError, match="hidden_unit='bernoulli'"):
        rbm(GaussianBernoulliRBM, hidden_unit="gaussian").fit(gaussian_data)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("sparse", [False, True])
def test_input_is_never_modified(dtype, sparse, tiny_binary):
    X = tiny_binary.astype(dtype)
    X = sp.csr_matrix(X) if sparse else X
    before = X.copy()
    model = rbm(method="pcd").fit(X)
    model.partial_fit(X)
    for method in ("transform", "free_energy", "score_samples", "pseudo_likelihood", "gibbs"):
        getattr(model, method)(X)
    after = X.toarray() if sparse else X
    assert_array_equal(after, before.toarray() if sparse else before)


# ------------------------------------------------- scikit-learn contract
def test_scikit_learn_names_are_all_present(tiny_binary):
    theirs = SklearnBernoulliRBM(n_components=4, n_iter=1, random_state=0).fit(tiny_binary)
    ours = BernoulliRBM(n_components=4, n_iter=1, random_state=0).fit(tiny_binary)
    assert set(theirs.get_params()) <= set(ours.get_params())
    fitted = [name for name in vars(theirs) if name.endswith("_") and not name.startswith("_")]
    assert {"components_", "intercept_hidden_", "intercept_visible_", "h_samples_"} <= set(fitted)
    for name in fitted:
        assert np.shape(getattr(ours, name)) == np.shape(getattr(theirs, name)), name
    assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def test_grid_search_selects_by_exact_log_likelihood(tiny_binary):
    base = rbm(n_components=3, n_iter=15)
    grid = {"learning_rate": [0.01, 0.1], "method": ["cd", "pcd"]}
    cv = KFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(base, grid, cv=cv).fit(tiny_binary)
    expected = []
    for candidate in search.cv_results_["params"]:
        fold_scores = []
        for train, test in cv.split(tiny_binary):
            model = clone(base).set_params(**candidate).fit(tiny_binary[train])
            fold_scores.append(brute.log_likelihood(tiny_binary[test], *params_of(model)).mean())
        expected.append(np.mean(fold_scores))
    assert_allclose(search.cv_results_["mean_test_score"], expected, rtol=1e-10)
    assert search.best_index_ == int(np.argmax(expected))


def test_verbose_line(tiny_binary, capsys):
    model = rbm(n_iter=2, verbose=1).fit(tiny_binary)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    pattern = (r"\[BernoulliRBM\] epoch +(\d+), +([\d.]+)s, loss ([-\d.e]+), "
               r"log-likelihood ([-\d.e]+)")
    match = re.fullmatch(pattern, lines[-1])
    assert match, lines[-1]
    epoch, seconds, loss, log_lik = match.groups()
    assert int(epoch) == 2 and float(seconds) >= 0
    # the loss is the reconstruction error of the final model (5 significant digits)
    W, b, c = params_of(model)
    recon = expit(expit(tiny_binary @ W.T + c) @ W + b)
    assert float(loss) == pytest.approx(np.mean(np.sum((tiny_binary - recon) ** 2, axis=1)),
                                        rel=1e-4)
    assert float(log_lik) == pytest.approx(model.score(tiny_binary), rel=1e-4)
    # both layers over 16 units: a pseudo-log-likelihood is printed instead
    wide = np.tile(tiny_binary, (1, 3))
    rbm(n_components=17, n_iter=1, verbose=1).fit(wide)
    assert "pseudo-log-likelihood" in capsys.readouterr().out


@pytest.mark.parametrize("method", ["pcd", "cd"])
def test_pcd_negative_phase_continues_the_persistent_chain(method, tiny_binary, monkeypatch):
    # PCD's negative chain starts from h_samples_ (Tieleman 2008) and advances
    # it; CD's starts from the data. Two copies of one model in the same random
    # state, one with its chains flipped, take the next epoch: under PCD they
    # must differ (a fit that ignored h_samples_ would give equal models), under
    # CD they must be equal (the control: only the chain differs).
    import skdeep._rbm

    model = rbm(method=method, batch_size=50, n_iter=1).partial_fit(tiny_binary)
    same, flipped = pickle.loads(pickle.dumps(model)), pickle.loads(pickle.dumps(model))
    flipped.h_samples_[...] = 1 - flipped.h_samples_
    chains = []
    original = skdeep._rbm.cd_gradient

    def recording(*args, chain=None, **kwargs):
        chains.append(chain)
        return original(*args, chain=chain, **kwargs)

    monkeypatch.setattr(skdeep._rbm, "cd_gradient", recording)
    for m in (model, same, flipped):
        m.partial_fit(tiny_binary)
    assert len(chains) == 3 * len(tiny_binary) // 50
    if method == "cd":
        assert all(chain is None for chain in chains)
        for a, b in zip(params_of(model), params_of(flipped)):
            assert_array_equal(a, b)
        return
    # every update advanced the estimator's own chain, in place
    assert all(np.shares_memory(chain, m.h_samples_)
               for chain, m in zip(chains, np.repeat([model, same, flipped], 4)))
    assert_same_model(model, same)
    assert not np.array_equal(model.components_, flipped.components_)
