"""The one minibatch/epoch loop shared by every skdeep estimator.

It shuffles, cuts batches, times epochs, prints the verbose line, records the
loss curve, checks for divergence and decides when to stop (tolerance on the
training loss or, with early stopping, on a validation score).
"""

import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ._compat import _fit_context
from ._kernels.backend import device, errstate, get_namespace, size, to_numpy
from ._kernels.draws import permutation
from ._kernels.parallel import blas_threads_for
from ._kernels.scaling import scaled, unscaled


@dataclass
class History:
    """What the loop records; kept on the estimator between ``partial_fit`` calls."""

    loss_curve: list = field(default_factory=list)
    validation_scores: list = field(default_factory=list)
    best_loss: float = np.inf
    best_validation_score: float = -np.inf
    no_improvement_count: int = 0
    n_epochs: int = 0
    t: int = 0  # minibatch steps taken


#: momentum 0.5, then 0.9 from epoch 5 (Hinton 2010, section 9)
HINTON_MOMENTUM = (0.5, 0.9, 5)


def decayed_learning_rate(learning_rate, decay, epoch):
    """The step size of epoch ``epoch`` (from 0): ``learning_rate / (1 + decay * epoch)``."""
    return learning_rate / (1.0 + decay * epoch)


def momentum_at(momentum, epoch):
    """The momentum of epoch ``epoch`` (from 0): a constant, or Hinton's 0.5 then 0.9."""
    if momentum == "hinton":
        low, high, switch = HINTON_MOMENTUM
        return low if epoch < switch else high
    return momentum


class InputRangeWarning(UserWarning):
    """Data outside the range the model's units describe (e.g. [0, 1])."""


@contextmanager
def layer_range_warnings_silenced():
    """Silence the range warnings of layer learners: the estimator that owns
    them checks its own input and names its own parameter, and a layer above
    sees the features of the one below."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputRangeWarning)
        yield


#: rounding slack of the [0, 1] check (MinMaxScaler output can be -1e-17)
UNIT_INTERVAL_SLACK = 1e-6


def value_range(X):
    """``(min, max)`` of ``X``'s values (dense or sparse, a sparse matrix's
    stored values only), or None when it has none."""
    values = X.data if hasattr(X, "tocsr") else X
    if not size(values):
        return None
    xp = get_namespace(values)
    if xp is np:
        return values.min(), values.max()
    # both on the device, then one transfer
    return tuple(to_numpy(xp.stack([xp.min(values), xp.max(values)])).tolist())


def in_unit_interval(X):
    """Whether every value of ``X`` (dense or sparse) is in [0, 1]."""
    return _within_unit_interval(value_range(X))


def to_model_units(estimator, X):
    """``X`` standardized by the estimator's fitted ``input_mean_`` and
    ``input_scale_``, the units its model was fitted in, or as given where
    it fitted none."""
    m = getattr(estimator, "input_mean_", None)
    return X if m is None else scaled(X, m, estimator.input_scale_)


def from_model_units(estimator, X):
    """Rows in the model's units back in the data's (the inverse of
    :func:`to_model_units`)."""
    m = getattr(estimator, "input_mean_", None)
    return X if m is None else unscaled(X, m, estimator.input_scale_)


def record_built_settings(estimator, names):
    """Remember the settings ``names`` a model was built with, which
    :func:`check_built_settings` holds a later ``partial_fit`` or warm start to."""
    estimator._built_settings = {name: getattr(estimator, name) for name in names
                                 if hasattr(estimator, name)}


def check_built_settings(estimator):
    """Raise, naming the setting, where one that fixed what the fitted model
    computes has changed since it was built (sequences compare by value)."""
    for name, built in getattr(estimator, "_built_settings", {}).items():
        if not np.array_equal(np.asarray(getattr(estimator, name), dtype=object),
                              np.asarray(built, dtype=object)):
            restart = ("fit with warm_start=False" if hasattr(estimator, "warm_start")
                       else "fit")
            raise ValueError(
                f"{name}={getattr(estimator, name)!r}, but the model was built with "
                f"{name}={built!r}; call {restart} to start anew."
            )


def is_binary(X):
    """Whether every value of ``X`` (dense, or the stored ones of a sparse
    matrix) is 0 or 1."""
    values = X.data if hasattr(X, "tocsr") else X
    xp = get_namespace(values)
    return bool(xp.all((values == 0) | (values == 1)))


def _within_unit_interval(bounds):
    return bounds is None or (
        bounds[0] >= -UNIT_INTERVAL_SLACK and bounds[1] <= 1 + UNIT_INTERVAL_SLACK)


def auto_setting(parameter, value, chosen):
    """The ``setting`` a range warning names: ``parameter=value``, and for
    ``'auto'`` what it ``chosen`` for the training data."""
    return f"{parameter}={value!r}" + (f" ({chosen})" if value == "auto" else "")


def warn_outside_unit_interval(X, estimator, setting, remedy):
    """Warn once when ``X`` (dense or sparse) has values outside [0, 1].

    ``setting`` names what models values in [0, 1] (e.g. ``"loss='cross_entropy'"``)
    and ``remedy`` the alternative for real-valued data (None where there is
    none); the scaler named keeps a sparse ``X`` sparse.
    """
    bounds = value_range(X)
    if not _within_unit_interval(bounds):
        low, high = bounds
        scaler = "MaxAbsScaler" if hasattr(X, "tocsr") else "MinMaxScaler"
        advice = f"{remedy}, or scale" if remedy else "Scale"
        warnings.warn(
            f"{type(estimator).__name__}{' with ' + setting if setting else ''} models "
            f"values in [0, 1], but X has values in [{low:.3g}, "
            f"{high:.3g}]. {advice} X to [0, 1] with sklearn.preprocessing.{scaler}.",
            InputRangeWarning,
        )


def warn_code_not_smaller(estimator, n_code, n_features, parameter):
    """Warn when a code meant to reduce the data has ``n_code`` units for
    ``n_features`` inputs, no fewer: ``parameter`` names the setting to lower."""
    if n_code >= n_features:
        warnings.warn(
            f"{type(estimator).__name__}: the code has {n_code} units for {n_features} "
            f"input features, so it need not reduce the data; set {parameter} below "
            f"{n_features} for a reduction.",
            UserWarning,
        )


class UnsupervisedFitMixin:
    """``fit`` and ``partial_fit`` of an unsupervised estimator with
    ``_fit(X, incremental, sample_weight)``."""

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Fit the model to ``X``, from a fresh initialisation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (a sparse matrix only where the estimator accepts
            one, as ``BernoulliRBM`` does).
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the average of a minibatch's gradient (a row
            of weight 2 counts as two rows).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, incremental=False, sample_weight=sample_weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Run one epoch over ``X``, initialising the model on the first call.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (a sparse matrix only where the estimator accepts
            one, as ``BernoulliRBM`` does).
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the average of a minibatch's gradient.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, incremental=True, sample_weight=sample_weight)


class DivergenceError(FloatingPointError, ValueError):
    """Training diverged: non-finite parameters or loss, a loss that grew by
    orders of magnitude, or weights past :data:`WEIGHT_BOUND`.

    ``detail`` says when and how (``"training diverged at epoch 3 (...)"``),
    for an estimator that trained the diverging model to restate in its own
    terms.
    """

    def __init__(self, message, detail=None):
        super().__init__(message)
        self.detail = detail if detail is not None else message


#: a fit has diverged when an epoch's loss exceeds its first epoch's by this factor
LOSS_GROWTH = 1e3
#: ... or when a weight's magnitude exceeds this (with inputs of order one, no
#: trained layer comes near it: logistic units saturate at |x W| of about 40)
WEIGHT_BOUND = 1e5
#: a ``fit`` of fewer minibatch updates than this warns (ConvergenceWarning)
MIN_UPDATES = 100


def batch_slices(n_samples, batch_size):
    """Consecutive ``slice`` objects of ``batch_size`` rows (the last may be short)."""
    return [slice(i, min(i + batch_size, n_samples)) for i in range(0, n_samples, batch_size)]


def divergence(loss, first_loss, parameters=(), weights=()):
    """Why training has diverged, or ``None``: a non-finite loss or parameter,
    a loss :data:`LOSS_GROWTH` times the first epoch's, or a weight past
    :data:`WEIGHT_BOUND`. ``loss`` is a float; parameters on a device are
    reduced there and their maxima alone come to the host."""
    if get_namespace(*parameters) is not np:
        return _divergence(loss, first_loss, *_device_magnitudes(parameters, weights))
    if not np.isfinite(loss) or not all(np.isfinite(p).all() for p in parameters):
        return "non-finite parameters or loss"
    largest = max((float(np.abs(W).max()) for W in weights if W.size), default=0.0)
    return _divergence(loss, first_loss, 0.0, largest)


def _divergence(loss, first_loss, largest_parameter, largest_weight):
    if not np.isfinite(loss) or not np.isfinite(largest_parameter):
        return "non-finite parameters or loss"
    if first_loss > 0 and loss > LOSS_GROWTH * first_loss:
        return f"the loss grew from {first_loss:.3g} to {loss:.3g}"
    largest = largest_weight
    if largest > WEIGHT_BOUND:
        return f"a weight reached {largest:.3g}"
    return None


def _device_magnitudes(parameters, weights, loss=None):
    """The largest magnitude of the ``parameters`` (NaN or inf when one is not
    finite) and of the ``weights``, and ``loss`` when given: arrays on a
    device reduced there and brought to the host in one transfer."""
    xp = get_namespace(*parameters)
    sized = [p for p in parameters if size(p)]
    dtype = sized[0].dtype if sized else xp.float32
    dev = {"device": sized[0].device} if sized else {}

    def largest(arrays):
        if not arrays:
            return xp.zeros((), dtype=dtype, **dev)
        return xp.max(xp.stack([xp.max(xp.abs(a)) for a in arrays]))

    figures = [largest(sized), largest([W for W in weights if size(W)])]
    if loss is not None:
        figures.append(xp.astype(xp.asarray(loss, **dev), dtype))
    host = to_numpy(xp.stack(figures)).astype(np.float64)
    return tuple(float(v) for v in host)


def run_epochs(step, n_samples, *, batch_size, max_epochs, rng, history,
               shuffle=True, verbose=0, name="", on_epoch_start=None,
               epoch_report=None, parameters=(), weights=(), divergence_hint="",
               tol=None, n_iter_no_change=None, validation_score=None,
               save_best=None, warn_not_converged=False, product_size=None,
               min_updates=None, sample_weight=None, like=None):
    """Run up to ``max_epochs`` epochs of ``step`` over minibatches of row indices.

    Parameters
    ----------
    step : callable
        ``step(indices) -> float``: one update on the rows ``indices``; returns
        the batch's summed loss (or ``nan`` when the step has no loss).
    history : History
        Updated in place; ``history.n_epochs`` counts epochs across calls.
    on_epoch_start : callable, optional
        ``on_epoch_start(epoch)`` before each epoch (schedules).
    epoch_report : callable, optional
        ``epoch_report() -> (loss, extra)``: overrides the epoch's loss with a
        value computed after the epoch and returns a ``{label: value}`` dict to
        print.
    parameters, weights : sequence of ndarray
        The arrays the steps update, checked after each epoch for non-finite
        values, and among them the weight matrices, checked against
        :data:`WEIGHT_BOUND`. With a loss that grows :data:`LOSS_GROWTH`-fold
        over the first epoch's, these raise :class:`DivergenceError` with
        ``divergence_hint`` (which names the step size to lower).
    tol, n_iter_no_change : float, int, optional
        Stop once the monitored value (validation score if ``validation_score``
        is given, else the training loss) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, and for at least :data:`MIN_UPDATES`
        updates (:func:`stopping_patience`). ``None`` never stops early.
    validation_score : callable, optional
        ``validation_score() -> float`` (higher is better), recorded per epoch.
    save_best : callable, optional
        Called when the validation score improves, to keep the best parameters.
    warn_not_converged : bool
        Emit a ``ConvergenceWarning`` when ``max_epochs`` run out before the
        stopping rule fires.
    product_size : int, optional
        Multiply-adds of the largest matrix product of a step: small ones run
        on one BLAS thread (:func:`skdeep._kernels.parallel.blas_threads_for`).
    min_updates : int, optional
        Emit a ``ConvergenceWarning`` when the call makes fewer updates.
    like : array, optional
        An array of the data's namespace and device (numpy when None): the
        row indices are made there, by ``rng`` (a generator of
        :mod:`skdeep._kernels.draws` for another library). Losses that steps
        return as arrays on a device are summed there, and each epoch brings
        its loss and the divergence check's two maxima to the host at once.
    sample_weight : array, optional
        The rows' weights: an epoch's summed losses are divided by their sum
        (by the number of rows without them).

    Returns
    -------
    stopped : bool
        Whether the stopping rule ended training.
    """
    total_weight = (n_samples if sample_weight is None
                    else float(get_namespace(sample_weight).sum(sample_weight)))
    with blas_threads_for(product_size or 0):
        stopped = _run_epochs(
            step, n_samples, batch_size, max_epochs, rng, history, shuffle, verbose, name,
            on_epoch_start, epoch_report, parameters, weights, divergence_hint, tol,
            n_iter_no_change, validation_score, save_best, total_weight, like)
    if warn_not_converged and n_iter_no_change is not None and not stopped:
        warnings.warn(
            f"{name}: maximum number of epochs ({max_epochs}) reached and the "
            "optimization has not converged yet.",
            ConvergenceWarning,
        )
    n_updates = max_epochs * len(range(0, n_samples, batch_size))
    if min_updates is not None and n_updates < min_updates:
        warnings.warn(
            f"{name}: {n_updates} minibatch update(s) ({max_epochs} epoch(s) of "
            f"{n_samples} rows in batches of {batch_size}) are too few to train the "
            "model; run more epochs or use smaller batches.",
            ConvergenceWarning,
        )
    return stopped


def _run_epochs(step, n_samples, batch_size, max_epochs, rng, history, shuffle, verbose,
                name, on_epoch_start, epoch_report, parameters, weights, divergence_hint,
                tol, n_iter_no_change, validation_score, save_best, total_weight, like):
    slices = batch_slices(n_samples, batch_size)
    on_device = get_namespace(like) is not np
    patience = stopping_patience(n_iter_no_change, len(slices))
    for _ in range(max_epochs):
        epoch = history.n_epochs
        if on_epoch_start is not None:
            on_epoch_start(epoch)
        start = time.perf_counter()
        # a fresh permutation of 0..n-1 each epoch, so that partial_fit called
        # once per epoch draws the same batches as fit
        if not on_device:
            indices = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
        elif shuffle:
            indices = permutation(rng, n_samples, like=like)
        else:
            xp = get_namespace(like)
            indices = xp.arange(n_samples, device=device(like))
        total = 0.0
        # a step that overflows is caught below as a divergence, which names
        # the setting to change: numpy's own warnings would only precede it
        with errstate(get_namespace(like), over="ignore", invalid="ignore", divide="ignore"):
            for s in slices:
                total += step(indices[s])
                history.t += 1
            loss = total / total_weight
            extra = {}
            if epoch_report is not None:
                loss, extra = epoch_report()
        history.n_epochs += 1
        if on_device and parameters:
            largest_parameter, largest_weight, loss = _device_magnitudes(
                parameters, weights, loss)
            first = history.loss_curve[0] if history.loss_curve else loss
            reason = _divergence(loss, first, largest_parameter, largest_weight)
            history.loss_curve.append(loss)
        else:
            loss = float(loss)
            history.loss_curve.append(loss)
            reason = divergence(loss, history.loss_curve[0], parameters, weights)
        if reason is not None:
            detail = f"training diverged at epoch {epoch + 1} ({reason})"
            raise DivergenceError(f"{name}: {detail}. {divergence_hint}", detail)
        if validation_score is not None:
            score = float(validation_score())
            history.validation_scores.append(score)
            extra = {**extra, "validation score": score}
        if verbose:
            parts = [f"[{name}] epoch {epoch + 1:3d}", f"{time.perf_counter() - start:7.2f}s",
                     f"loss {loss:.5g}"]
            parts += [f"{label} {value:.5g}" for label, value in extra.items()]
            print(", ".join(parts), flush=True)
        if _no_improvement(history, loss, tol, validation_score, save_best) and (
            patience is not None and history.no_improvement_count >= patience
        ):
            if verbose:
                print(f"[{name}] stopped: no improvement of {tol} in {patience} epochs",
                      flush=True)
            return True
    return False


def stopping_patience(n_iter_no_change, batches_per_epoch):
    """Epochs without improvement that stop a fit: ``n_iter_no_change``, or as
    many as make :data:`MIN_UPDATES` updates when epochs are a few batches (a
    plateau of 30 updates, such as logistic units start on, is no sign of
    convergence); None never stops."""
    if n_iter_no_change is None:
        return None
    return max(n_iter_no_change, -(-MIN_UPDATES // batches_per_epoch))


def _no_improvement(history, loss, tol, validation_score, save_best):
    """Update the improvement counter; return True when this epoch did not improve."""
    tol = 0.0 if tol is None else tol
    if validation_score is not None:
        score = history.validation_scores[-1]
        if score > history.best_validation_score and save_best is not None:
            save_best()
        improved = score > history.best_validation_score + tol
        history.best_validation_score = max(history.best_validation_score, score)
    else:
        improved = loss < history.best_loss - tol
        history.best_loss = min(history.best_loss, loss)
    history.no_improvement_count = 0 if improved else history.no_improvement_count + 1
    return not improved
