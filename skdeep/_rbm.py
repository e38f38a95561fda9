"""Restricted Boltzmann machines: BernoulliRBM and GaussianBernoulliRBM."""

import time
from collections import namedtuple
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._array_api import check_fitted_namespace, check_weights, validate_X
from ._compat import Interval, StrOptions, validate_method_params
from ._kernels import draws, partition
from ._kernels.backend import (
    astype,
    concat,
    dense_chunks,
    device as array_device,
    get_namespace,
    mean,
    size,
    take_rows,
    widest_float,
    zeros,
)
from ._kernels.optimizers import SGD, Momentum
from ._kernels.parallel import blas_threads_for
from ._kernels.rbm import (
    CDWorkspace,
    cd_gradient,
    free_energy,
    hidden_mean,
    pseudo_log_likelihood,
    reconstruction_error,
    sample_units,
    visible_mean,
)
from ._kernels.units import UNITS
from ._training import (
    MIN_UPDATES,
    History,
    UnsupervisedFitMixin,
    decayed_learning_rate,
    momentum_at,
    run_epochs,
    warn_outside_unit_interval,
)

LogPartition = namedtuple("LogPartition", ["log_z", "lower", "upper", "method"])
LogPartition.__doc__ = """log Z of an RBM with an interval.

``lower``/``upper`` are ``log(Z_hat -+ 3 std)`` for AIS (Salakhutdinov & Murray
2008) and equal ``log_z`` for exact enumeration.
"""

#: rows of the training data used for the per-epoch reconstruction error
N_MONITOR = 1000
#: the likelihood figure of the verbose line is exact below this many units
VERBOSE_EXACT_UNITS = 16


#: arguments of ``sample`` (the DBN's and the VAE's too)
SAMPLE_CONSTRAINTS = {
    "n_samples": [Interval(Integral, 1, None, closed="left")],
    "n_steps": [Interval(Integral, 1, None, closed="left")],
    "mean": ["boolean"],
    "random_state": ["random_state"],
}
#: arguments of ``log_partition``
LOG_PARTITION_CONSTRAINTS = {
    "method": [StrOptions({"auto", "exact", "ais"})],
    "n_runs": [Interval(Integral, 1, None, closed="left")],
    "n_betas": [Interval(Integral, partition.MIN_BETAS, None, closed="left")],
    "random_state": ["random_state"],
}
#: the verbose AIS progress line is printed after each tenth of the temperatures
AIS_PROGRESS_STEPS = 10


def check_dense(X, estimator):
    """Reject a sparse ``X`` for Gaussian visible units, saying why and what to do."""
    if sp.issparse(X):
        raise TypeError(
            f"{type(estimator).__name__} needs dense input (Gaussian visible units); "
            "got a sparse matrix: convert it with X.toarray()."
        )


def rng_from(random_state):
    """One ``numpy.random.Generator`` derived from a scikit-learn ``random_state``
    (a generator of :mod:`skdeep._kernels.draws` is returned as it is)."""
    if draws.is_generator(random_state):
        return random_state
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return np.random.default_rng(seed)


def generator_for(random_state, like):
    """The kernels' generator for arrays like ``like``, derived from
    ``random_state``: ``rng_from(random_state)`` itself for numpy, a generator
    on ``like``'s device seeded from it otherwise (:func:`.draws.generator`)."""
    return draws.generator(rng_from(random_state), like=like)


class _BaseRBM(UnsupervisedFitMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
               BaseEstimator):
    """Shared machinery; subclasses set ``_visible`` (the visible unit type)."""

    _visible = "bernoulli"
    _accept_sparse = "csr"

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "method": [StrOptions({"cd", "pcd"})],
        "k": [Interval(Integral, 1, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left"), StrOptions({"hinton"})],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "learning_rate_decay": [Interval(Real, 0, None, closed="left")],
        "hidden_unit": [StrOptions({"bernoulli", "gaussian"})],
        "shuffle": ["boolean"],
    }

    def __init__(
        self,
        n_components=256,
        *,
        learning_rate=0.1,
        batch_size=10,
        n_iter=10,
        verbose=0,
        random_state=None,
        method="pcd",
        k=1,
        momentum=0.0,
        weight_decay=0.0,
        learning_rate_decay=0.0,
        hidden_unit="bernoulli",
        shuffle=True,
    ):
        self.n_components = n_components
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.n_iter = n_iter
        self.verbose = verbose
        self.random_state = random_state
        self.method = method
        self.k = k
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.learning_rate_decay = learning_rate_decay
        self.hidden_unit = hidden_unit
        self.shuffle = shuffle

    # ------------------------------------------------------------------ fitting
    def _fit(self, X, incremental, sample_weight=None):
        first = not (incremental and hasattr(self, "components_"))
        if not self._accept_sparse:
            check_dense(X, self)
        if not first:
            check_fitted_namespace(self, X, "components_", "partial_fit")
        X = validate_X(self, X, accept_sparse=self._accept_sparse, reset=first)
        weights = check_weights(sample_weight, X)
        self._check_input_range(X)
        n_samples, n_features = X.shape
        if first:
            self._initialize(X, weights)
        else:
            X = self._continue_with(X, weights)
        W, b, c = self.components_, self.intercept_visible_, self.intercept_hidden_
        rng = self._rng
        ws = CDWorkspace(min(self.batch_size, n_samples), n_features, self.n_components,
                         W.dtype, like=W)
        chain = self._persistent_chain() if self.method == "pcd" else None
        batch_rows = ws.V  # rows are gathered straight into the workspace
        sparse_input = sp.issparse(X)
        xp = get_namespace(X)

        def step(rows):
            n = rows.shape[0]
            if xp is np and not sparse_input:
                v0 = np.take(X, rows, axis=0, out=batch_rows[:n])
            else:  # dense rows; cd_gradient copies them into the workspace
                v0 = take_rows(X, rows)
            gW, gb, gc = cd_gradient(v0, W, b, c, rng, ws, k=self.k, chain=chain,
                                     visible=self._visible, hidden=self.hidden_unit,
                                     sample_weight=None if weights is None
                                     else xp.take(weights, rows, axis=0))
            if self.weight_decay:
                gW += self.weight_decay * W
            self._optimizer.step((W, b, c), (gW, gb, gc))
            return 0.0

        monitor = X[: min(N_MONITOR, n_samples), :]
        if sparse_input:
            monitor = monitor.toarray()

        def epoch_report():
            loss = reconstruction_error(monitor, W, b, c, self._visible, self.hidden_unit)
            extra = {}
            if self.verbose:
                extra = self._likelihood_figure(monitor)
            return loss, extra

        run_epochs(
            step,
            n_samples,
            batch_size=self.batch_size,
            max_epochs=1 if incremental else self.n_iter,
            rng=rng,
            history=self._history,
            shuffle=self.shuffle,
            verbose=self.verbose,
            name=type(self).__name__,
            on_epoch_start=self._schedule,
            epoch_report=epoch_report,
            parameters=(W, b, c),
            weights=(W,),
            product_size=ws.V.shape[0] * size(W),
            min_updates=None if incremental else MIN_UPDATES,
            divergence_hint=(
                f"Lower learning_rate (now {self.learning_rate}); with real-valued "
                "input, standardize it first."
            ),
            like=X,
        )
        self.n_iter_ = self._history.n_epochs
        self.loss_curve_ = list(self._history.loss_curve)
        self._log_z_cache = {}
        return self

    def _initialize(self, X, weights=None):
        dtype = X.dtype
        self._rng = generator_for(self.random_state, X)
        n_features = X.shape[1]
        # 0.01 N(0, 1) weights (Hinton 2010, section 8), drawn in the widest float
        normal = draws.normal(self._rng, (self.n_components, n_features), like=X)
        self.components_ = astype(0.01 * normal, dtype)
        self.intercept_hidden_ = zeros(self.n_components, dtype, like=X)
        # the data's mean, accumulated in the widest float (float64 on the host)
        self._data_mean = zeros(n_features, widest_float(get_namespace(X), array_device(X)),
                                like=X)
        self._n_seen = 0
        self._update_data_mean(X, weights)
        # visible biases at the base rates log(p / (1 - p)) (Hinton 2010, section 8)
        self.intercept_visible_ = astype(partition.base_rate_biases(
            self._data_mean, self._n_seen, self._visible), dtype)
        self.h_samples_ = zeros((self.batch_size, self.n_components), dtype, like=X)
        if self.momentum == 0.0:
            self._optimizer = SGD(list(self._params()), self.learning_rate)
        else:
            self._optimizer = Momentum(list(self._params()), self.learning_rate, momentum=0.0)
        self._history = History()


    def _continue_with(self, X, weights=None):
        """A later ``partial_fit``: ``X`` in the model's dtype, the settings
        that fixed the model's shape unchanged, the data mean updated."""
        if self.n_components != self.components_.shape[0]:
            raise ValueError(
                f"n_components={self.n_components}, but the model was fitted with "
                f"{self.components_.shape[0]} hidden units; call fit to start anew."
            )
        dtype = self.components_.dtype
        X = astype(X, dtype, copy=False)
        self._update_data_mean(X, weights)
        return X

    def _persistent_chain(self):
        """The PCD chains, one per row of a minibatch: re-sized when
        ``batch_size`` changed since the last fit (new chains start at zero)."""
        chain = self.h_samples_
        if chain.shape[0] != self.batch_size:
            resized = zeros((self.batch_size, self.n_components), chain.dtype, like=chain)
            kept = min(chain.shape[0], self.batch_size)
            resized[:kept] = chain[:kept]
            self.h_samples_ = chain = resized
        return chain

    def _update_data_mean(self, X, weights=None):
        """The running (weighted) mean of the data, for the base-rate biases."""
        xp = get_namespace(X)
        if weights is None:
            n = X.shape[0]
            if xp is np:
                batch_mean = np.asarray(X.mean(axis=0), dtype=np.float64).ravel()
            else:
                batch_mean = xp.astype(xp.mean(X, axis=0), self._data_mean.dtype)
        else:
            n = float(xp.sum(weights))
            weighted = X.T @ weights if xp is np else xp.sum(X * weights[:, None], axis=0)
            batch_mean = xp.astype(xp.asarray(weighted), self._data_mean.dtype) / max(n, 1e-300)
            if xp is np:
                batch_mean = np.asarray(batch_mean, dtype=np.float64).ravel()
        if n == 0:
            return
        total = self._n_seen + n
        self._data_mean += (batch_mean - self._data_mean) * (n / total)
        self._n_seen = total

    def _schedule(self, epoch):
        momentum = momentum_at(self.momentum, epoch)
        if momentum and not isinstance(self._optimizer, Momentum):
            # momentum set after a fit without it: start a velocity at zero
            self._optimizer = Momentum(list(self._params()), self.learning_rate)
        opt = self._optimizer
        opt.learning_rate = decayed_learning_rate(self.learning_rate, self.learning_rate_decay,
                                                  epoch)
        if isinstance(opt, Momentum):
            opt.momentum = momentum

    def _check_input_range(self, X):
        if self._visible == "bernoulli":  # GaussianBernoulliRBM takes no sparse matrix
            warn_outside_unit_interval(X, self, "", None if sp.issparse(X) else
                                       "Use GaussianBernoulliRBM for real-valued data")

    def _likelihood_figure(self, V):
        n_binary = min(self._binary_layer_sizes())
        if n_binary <= VERBOSE_EXACT_UNITS:
            return {"log-likelihood": mean(self._score(V, self._exact_log_z()))}
        if self._visible == "bernoulli":
            pl = pseudo_log_likelihood(V[:100, :], *self._params(), self._visible,
                                       self.hidden_unit)
            return {"pseudo-log-likelihood": mean(pl)}
        return {}

    # ------------------------------------------------------------- the model
    def _params(self):
        return self.components_, self.intercept_visible_, self.intercept_hidden_

    def _layer_params(self):
        """The layer as a feed-forward layer: ``(coef (n_in, n_out), intercept_hidden,
        intercept_visible)``, the protocol every layer-wise learner follows."""
        check_is_fitted(self)
        return self.components_.T, self.intercept_hidden_, self.intercept_visible_

    def _binary_layer_sizes(self):
        sizes = []
        if UNITS[self._visible].binary:
            sizes.append(self.n_features_in_)
        if UNITS[self.hidden_unit].binary:
            sizes.append(self.n_components)
        return sizes

    def _validate_X(self, X, method):
        """``X`` validated as the fitted model's input to ``method``: in the
        namespace and on the device of the fit; warns when binary visible units
        are given values outside [0, 1]."""
        if not self._accept_sparse:
            check_dense(X, self)
        check_fitted_namespace(self, X, "components_", method)
        X = validate_X(self, X, accept_sparse=self._accept_sparse, reset=False)
        self._check_input_range(X)
        return X

    def transform(self, X):
        """Hidden unit means E[h | v], the learned features.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        h : ndarray of shape (n_samples, n_components)
            P(h=1 | v) for binary hidden units, the linear mean for Gaussian ones.
        """
        check_is_fitted(self)
        X = self._validate_X(X, "transform")
        return hidden_mean(X, self.components_, self.intercept_hidden_, self.hidden_unit)

    def free_energy(self, X):
        """Free energy F(v) = -log sum_h exp(-E(v, h)) of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        f : ndarray of shape (n_samples,)
            Free energies; ``log p(v) = -F(v) - log Z``.
        """
        check_is_fitted(self)
        X = self._validate_X(X, "free_energy")
        return concat([
            free_energy(V, *self._params(), self._visible, self.hidden_unit)
            for V in dense_chunks(X)
        ])

    @validate_method_params({"n_steps": SAMPLE_CONSTRAINTS["n_steps"]})
    def gibbs(self, v, n_steps=1):
        """Run ``n_steps`` steps of block Gibbs sampling from ``v``.

        Draws from the estimator's own random generator, as scikit-learn's
        ``BernoulliRBM.gibbs`` does.

        Parameters
        ----------
        v : array-like of shape (n_samples, n_features)
            Starting visible states.
        n_steps : int, default=1
            Number of v -> h -> v steps, at least 1.

        Returns
        -------
        v_new : ndarray of shape (n_samples, n_features)
            Visible states after ``n_steps`` steps (a new array).
        """
        check_is_fitted(self)
        v = self._validate_X(v, "gibbs")
        if sp.issparse(v):
            v = v.toarray()
        return self._gibbs(v, n_steps, self._rng)

    def _gibbs(self, v, n_steps, rng, mean=False):
        W, b, c = self._params()
        v_mean = v
        with blas_threads_for(v.shape[0] * size(W)):  # many small products
            for _ in range(n_steps):
                h = sample_units(hidden_mean(v, W, c, self.hidden_unit), rng, self.hidden_unit)
                v_mean = visible_mean(h, W, b, self._visible)
                v = sample_units(v_mean, rng, self._visible)
        return v_mean if mean else v

    @validate_method_params(SAMPLE_CONSTRAINTS)
    def sample(self, n_samples=1, *, n_steps=1000, mean=False, random_state=None):
        """Draw visible vectors from the model by Gibbs sampling.

        Chains start from the base-rate model (each feature drawn independently
        with the training data's marginal) and run ``n_steps`` steps.

        Parameters
        ----------
        n_samples : int, default=1
            Number of independent chains, one sample each (at least 1).
        n_steps : int, default=1000
            Gibbs steps per chain, at least 1.
        mean : bool, default=False
            Return E[v | h] of the last step instead of a draw (smoother images).
        random_state : int, RandomState instance or None, default=None
            Seed of the chains.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Samples.
        """
        check_is_fitted(self)
        W, b, c = self._params()
        rng = generator_for(random_state, W)
        base = partition.base_rate_biases(self._data_mean, self._n_seen, self._visible)
        start = UNITS[self._visible].mean(
            get_namespace(W).tile(astype(base, W.dtype), (n_samples, 1)))
        v = sample_units(start, rng, self._visible)
        return self._gibbs(v, n_steps, rng, mean=mean)

    # ----------------------------------------------------------- likelihood
    @validate_method_params(LOG_PARTITION_CONSTRAINTS)
    def log_partition(self, method="auto", *, n_runs=100, n_betas=14500, random_state=None):
        """Log partition function log Z, exact or by annealed importance sampling.

        Parameters
        ----------
        method : {'auto', 'exact', 'ais'}, default='auto'
            'exact' enumerates the smaller binary layer (at most 20 units);
            'ais' runs annealed importance sampling from the base-rate model of
            the training data (Salakhutdinov & Murray 2008); 'auto' picks
            'exact' where it is possible.
        n_runs : int, default=100
            AIS runs (at least 1).
        n_betas : int, default=14500
            AIS inverse temperatures, at least 6 (the three stages
            of the schedule take two each). The cost of AIS grows linearly
            with ``n_runs * n_betas``; with ``verbose`` set, a progress line
            is printed after each tenth of the temperatures.
        random_state : int, RandomState instance or None, default=None
            Seed of the AIS runs.

        Returns
        -------
        result : LogPartition
            ``(log_z, lower, upper, method)``; for AIS the interval is
            ``log(Z_hat -+ 3 std)`` of the importance-weight mean.
        """
        check_is_fitted(self)
        if method == "auto":
            method = ("exact" if min(self._binary_layer_sizes()) <= partition.MAX_EXACT_UNITS
                      else "ais")
        if method == "exact":
            log_z = self._exact_log_z()
            return LogPartition(log_z, log_z, log_z, "exact")
        base = partition.base_rate_biases(self._data_mean, self._n_seen, self._visible)
        with blas_threads_for(int(n_runs) * size(self.components_)):  # many small products
            log_z, log_w = partition.ais_log_partition(
                *self._params(), base, generator_for(random_state, self.components_),
                n_runs=int(n_runs),
                n_betas=int(n_betas),
                visible=self._visible, hidden=self.hidden_unit,
                progress=self._ais_progress(), progress_steps=AIS_PROGRESS_STEPS,
            )
        lower, upper, _ = partition.log_mean_exp_interval(log_w)
        return LogPartition(log_z, lower, upper, "ais")

    def _ais_progress(self):
        """The verbose progress callback of AIS, or None when quiet."""
        if not self.verbose:
            return None
        start = time.perf_counter()
        name = type(self).__name__

        def report(done, total):
            print(f"[{name}] AIS: {100 * done // total:3d}% of {total + 1} temperatures, "
                  f"{time.perf_counter() - start:.1f}s", flush=True)

        return report

    def _exact_log_z(self):
        return partition.exact_log_partition(*self._params(), self._visible, self.hidden_unit)

    def _cached_log_partition(self):
        """log Z (a float) for scoring, computed once per fitted state."""
        cache = self.__dict__.setdefault("_log_z_cache", {})
        if "log_z" not in cache:
            seed = self.random_state if isinstance(self.random_state, Integral) else None
            cache["log_z"] = float(self.log_partition("auto", random_state=seed).log_z)
        return cache["log_z"]

    def _score(self, X, log_z):
        return concat([
            -free_energy(V, *self._params(), self._visible, self.hidden_unit) - log_z
            for V in dense_chunks(X)
        ])

    def score_samples(self, X):
        """Log-likelihood log p(v) of each row (a log-density for real-valued units).

        ``log Z`` is exact where the smaller binary layer has at most 20 units and
        otherwise estimated once by AIS (see :meth:`log_partition`) and reused
        until the model is fitted again. That first call is the expensive one:
        AIS runs 100 chains through 14,500 temperatures, which takes seconds
        for a digits-sized model (9 s for 64 x 100 units on one core) and
        minutes on MNIST (about 2 minutes for 784 x 500); set ``verbose`` to
        see its progress, or call :meth:`log_partition` with fewer
        ``n_betas`` for a rougher estimate.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        log_p : ndarray of shape (n_samples,)
            ``-F(v) - log Z`` in nats.
        """
        check_is_fitted(self)
        X = self._validate_X(X, "score_samples")
        return self._score(X, self._cached_log_partition())

    def score(self, X, y=None):
        """Mean log-likelihood of ``X`` (see :meth:`score_samples`).

        The first call on a fitted model with more than 20 units in each
        binary layer estimates ``log Z`` by AIS: seconds on small data, minutes
        on MNIST-sized models (see :meth:`score_samples`).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Mean log p(v) in nats; higher is better, so ``GridSearchCV`` can
            select RBM hyperparameters without a ``scoring`` argument.
        """
        return mean(self.score_samples(X))

    def pseudo_likelihood(self, X):
        """Deterministic pseudo-log-likelihood sum_i log p(v_i | v_-i) of each row.

        Every feature is flipped in turn, unlike scikit-learn's estimate that
        flips one random feature and scales by ``n_features``. Binary visible
        units only.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Binary data.

        Returns
        -------
        pl : ndarray of shape (n_samples,)
            Pseudo-log-likelihoods in nats.
        """
        check_is_fitted(self)
        if self._visible != "bernoulli":
            raise ValueError("pseudo_likelihood is defined for binary visible units only.")
        X = self._validate_X(X, "pseudo_likelihood")
        return concat([
            pseudo_log_likelihood(V, *self._params(), self._visible, self.hidden_unit)
            for V in dense_chunks(X)
        ])

    @property
    def _n_features_out(self):
        return self.components_.shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = bool(self._accept_sparse)
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.array_api_support = True
        return tags


_COMMON_PARAMETERS = """
    n_components : int, default=256
        Number of hidden units.
    learning_rate : float, default=0.1
        Step size of the parameter updates (scikit-learn's default; Hinton's
        recipe uses 0.1 with ``batch_size=100``).
    batch_size : int, default=10
        Rows per minibatch. Gradients are averaged over the rows of each batch,
        the short last one included.
    n_iter : int, default=10
        Number of epochs (passes over the data) of ``fit``.
    verbose : int, default=0
        If positive, print one line per epoch: seconds, reconstruction error and
        a likelihood figure (exact where the smaller binary layer has at most
        16 units, else a pseudo-log-likelihood on 100 rows); and, while AIS
        estimates log Z (:meth:`log_partition`, the first :meth:`score`), a
        line after each tenth of the temperatures with the seconds elapsed.
    random_state : int, RandomState instance or None, default=None
        Seeds the one random generator used for initialisation, shuffling and
        Gibbs sampling during a fit.
    method : {'cd', 'pcd'}, default='pcd'
        Contrastive divergence (negative chain restarted at the data, Hinton 2002)
        or persistent contrastive divergence (chains kept across updates,
        Tieleman 2008; scikit-learn's choice).
    k : int, default=1
        Gibbs steps of the negative chain per update (CD-k / PCD-k).
    momentum : float in [0, 1) or 'hinton', default=0.0
        Momentum of the updates. 'hinton' uses 0.5 for the first 5 epochs and
        0.9 afterwards (Hinton 2010, section 9).
    weight_decay : float, default=0.0
        L2 penalty on the weights (not the biases); Hinton's recipe uses 0.0002.
    learning_rate_decay : float, default=0.0
        The learning rate of epoch ``t`` (from 0) is
        ``learning_rate / (1 + learning_rate_decay * t)``.
    hidden_unit : {'bernoulli', 'gaussian'}, default='bernoulli'
        Binary hidden units, or linear hidden units with unit-variance Gaussian
        noise (the real-valued code layer of a deep autoencoder, Hinton &
        Salakhutdinov 2006).
    shuffle : bool, default=True
        Shuffle the rows at every epoch."""

_COMMON_ATTRIBUTES = """
    components_ : ndarray of shape (n_components, n_features)
        Weight matrix W.
    intercept_hidden_ : ndarray of shape (n_components,)
        Hidden biases c.
    intercept_visible_ : ndarray of shape (n_features,)
        Visible biases b, initialised at the training data's base rates.
    h_samples_ : ndarray of shape (batch_size, n_components)
        Hidden states of the persistent chains (``method='pcd'``).
    n_iter_ : int
        Epochs run in total (``partial_fit`` adds one per call).
    loss_curve_ : list of float
        Mean squared reconstruction error per sample after each epoch, measured
        on the first 1000 rows of the training data.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names."""


class BernoulliRBM(_BaseRBM):
    __doc__ = f"""Restricted Boltzmann machine with binary visible and hidden units.

    A superset of :class:`sklearn.neural_network.BernoulliRBM`: the same
    parameters and fitted attributes, plus CD-k and PCD-k, momentum, weight
    decay, the exact or AIS log-likelihood as ``score``, the free energy and
    sampling. Input is expected in [0, 1] (binary, or probabilities).

    Read more in the :ref:`User Guide <rbm>`.

    Parameters
    ----------{_COMMON_PARAMETERS}

    Attributes
    ----------{_COMMON_ATTRIBUTES}

    See Also
    --------
    sklearn.neural_network.BernoulliRBM : The one-method RBM of scikit-learn.
    GaussianBernoulliRBM : Real-valued visible units.
    DBN : A stack of RBMs trained greedily.

    Notes
    -----
    The energy is ``E(v, h) = -b.v - c.h - h W v`` and
    ``p(v) = exp(-F(v)) / Z`` with the free energy
    ``F(v) = -b.v - sum_j log(1 + exp(c_j + W_j v))``. The conditionals factorise:
    ``p(h_j = 1 | v) = sigmoid(c_j + W_j v)``, ``p(v_i = 1 | h) = sigmoid(b_i + W_i^T h)``.
    The log-likelihood gradient ``<v h^T>_data - <v h^T>_model`` is estimated with
    k steps of block Gibbs sampling (Hinton 2002; Tieleman 2008).

    References
    ----------
    .. [1] Hinton, G. E. (2002). Training products of experts by minimizing
       contrastive divergence. Neural Computation 14(8), 1771-1800.
    .. [2] Tieleman, T. (2008). Training restricted Boltzmann machines using
       approximations to the likelihood gradient. ICML.
    .. [3] Salakhutdinov, R. and Murray, I. (2008). On the quantitative analysis
       of deep belief networks. ICML.
    .. [4] Hinton, G. E. (2010). A practical guide to training restricted
       Boltzmann machines. UTML TR 2010-003.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import BernoulliRBM
    >>> X = np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    >>> rbm = BernoulliRBM(n_components=2, n_iter=20, random_state=0).fit(X)
    >>> rbm.transform(X).shape
    (4, 2)
    >>> bool(rbm.score(X) < 0)  # exact mean log-likelihood in nats
    True
    """


class GaussianBernoulliRBM(_BaseRBM):
    __doc__ = f"""Restricted Boltzmann machine with real-valued visible units.

    Visible units are linear with unit-variance Gaussian noise, so the data
    should be standardized (zero mean, unit variance per feature, e.g. with
    :class:`sklearn.preprocessing.StandardScaler`), as Hinton's practical guide
    advises; hidden units are binary. The API is that of :class:`BernoulliRBM`.
    Use a smaller ``learning_rate`` (0.001 to 0.01) than for binary data.

    Read more in the :ref:`User Guide <rbm>`.

    Parameters
    ----------{_COMMON_PARAMETERS}

    Attributes
    ----------{_COMMON_ATTRIBUTES}

    See Also
    --------
    BernoulliRBM : Binary visible units.

    Notes
    -----
    ``E(v, h) = ||v - b||^2 / 2 - c.h - h W v``, so
    ``v | h ~ N(b + W^T h, I)``, ``p(h_j = 1 | v) = sigmoid(c_j + W_j v)`` and
    ``F(v) = ||v - b||^2 / 2 - sum_j log(1 + exp(c_j + W_j v))``.
    ``score_samples`` is a log-density.

    References
    ----------
    .. [1] Hinton, G. E. (2010). A practical guide to training restricted
       Boltzmann machines, section 13.2. UTML TR 2010-003.
    .. [2] Hinton, G. E. and Salakhutdinov, R. R. (2006). Reducing the
       dimensionality of data with neural networks. Science 313, 504-507.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep import GaussianBernoulliRBM
    >>> X = StandardScaler().fit_transform(load_iris().data)
    >>> rbm = GaussianBernoulliRBM(n_components=3, learning_rate=0.01,
    ...                            random_state=0).fit(X)
    >>> rbm.transform(X).shape
    (150, 3)
    """

    _visible = "gaussian"
    _accept_sparse = False

    def __init__(
        self,
        n_components=256,
        *,
        learning_rate=0.01,
        batch_size=10,
        n_iter=10,
        verbose=0,
        random_state=None,
        method="pcd",
        k=1,
        momentum=0.0,
        weight_decay=0.0,
        learning_rate_decay=0.0,
        hidden_unit="bernoulli",
        shuffle=True,
    ):
        super().__init__(
            n_components,
            learning_rate=learning_rate,
            batch_size=batch_size,
            n_iter=n_iter,
            verbose=verbose,
            random_state=random_state,
            method=method,
            k=k,
            momentum=momentum,
            weight_decay=weight_decay,
            learning_rate_decay=learning_rate_decay,
            hidden_unit=hidden_unit,
            shuffle=shuffle,
        )

    def _fit(self, X, incremental, sample_weight=None):
        if self.hidden_unit == "gaussian":
            raise ValueError(
                "GaussianBernoulliRBM needs binary hidden units "
                "(hidden_unit='bernoulli'): with Gaussian units on both sides the "
                "model has no normalisable distribution."
            )
        return super()._fit(X, incremental, sample_weight)
