"""Deep belief networks: the unsupervised DBN, DBNClassifier and DBNRegressor."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    RegressorMixin,
    TransformerMixin,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._array_api import (
    check_fitted_namespace,
    check_weights,
    validate_X,
    validate_X_y,
)
from ._compat import Interval, StrOptions, _fit_context, validate_method_params
from ._deep import ATTRIBUTES_DOC, PARAMETERS_DOC, BaseDeepNetwork
from ._kernels.backend import (
    asarray,
    astype,
    device as array_device,
    get_namespace,
    logsumexp,
    mean,
    reshape,
    take_rows,
    to_numpy,
    widest_float,
)
from ._kernels.network import forward
from ._kernels.penalty import (
    evenly_spaced_rows,
    linear_error_fraction,
    neighbour_noise_fraction,
    noise_scaled_alpha,
)
from ._kernels.rbm import sample_units, visible_mean
from ._kernels.scaling import fold_scaling, standardization
from ._pretraining import (
    check_hidden_layer_sizes,
    learner_activations,
    make_layer_learners,
    per_layer,
    pretrain_layers,
    resolve_feature_unit,
    sparse_format,
    warn_binary_visible_range,
)
from ._rbm import SAMPLE_CONSTRAINTS, generator_for
from ._semi_supervised import (
    UNLABELED,
    LabeledScoreMixin,
    check_marker_is_not_a_class,
    check_one_label_per_row,
    check_some_labeled,
    unlabeled_mask,
)
from ._training import from_model_units, layer_range_warnings_silenced, to_model_units

#: the RBM settings a DBN passes to its layers, each a value or one per layer
RBM_SETTINGS = ("learning_rate", "batch_size", "n_iter", "method", "k", "momentum",
                "weight_decay")


class DBN(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Deep belief network: a stack of RBMs trained greedily, layer by layer.

    Each RBM is trained on the hidden probabilities of the one below
    (Hinton, Osindero & Teh 2006). ``transform`` passes data up the stack to
    the top layer's features; ``sample`` generates from the DBN's generative
    model.

    Read more in the :ref:`User Guide <dbn>`.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=(256,)
        Hidden units of each layer, bottom first. The default is one layer,
        as ``MLPClassifier``'s: as features for a linear classifier, a second
        layer of binary units lost 3 points on the small data sets of
        ``benchmarks/defaults.py`` (digits: 0.833 against 0.895 for one
        layer), and gained 0.8 on MNIST; set ``(256, 256)`` for a deep
        generative model.
    visible_unit : {'auto', 'bernoulli', 'gaussian'}, default='auto'
        Input units: values in [0, 1] (a :class:`BernoulliRBM` at the bottom),
        or standardized real values (a :class:`GaussianBernoulliRBM`). 'auto'
        chooses binary units when ``X`` is sparse, or when every training
        value is in [0, 1] and the columns' variance is at least 0.4 of the
        variance ``m (1 - m)`` of binary columns of the same means ``m``
        (images: 0.51 for the digits, 0.78 for MNIST); otherwise Gaussian
        units, fitted on ``X`` standardized by its training mean and deviation
        (``input_mean_``, ``input_scale_``), the data their unit variance
        models (Hinton 2010, section 13.2). Min-max scaled tables (0.08 to
        0.28) thus take Gaussian units: with a logistic regression their
        features beat binary units' on every table tried (wine 0.927
        against 0.669), where binary units' win on the images (digits 0.895
        against 0.883). Given standardized data, Gaussian units beat binary
        units' on every set tried (digits 0.883 against 0.742); on raw
        breast-cancer features (0.001 to 4,000) 0.956, where Gaussian units
        on the raw values gave 0.627. ``'gaussian'`` takes ``X`` as given.
    learning_rate : float, 'auto' or array-like, default='auto'
        Learning rate of every layer, or one per layer (the same holds for the
        RBM settings that follow). 'auto' is 0.1 for binary units and 0.001
        for a layer with real-valued units (``visible_unit='gaussian'``), as
        Hinton & Salakhutdinov (2006).
    batch_size : int, 'auto' or array-like, default='auto'
        Rows per minibatch; 'auto' is about a hundredth of the rows, between
        20 and 100.
    n_iter : int, 'auto' or array-like, default='auto'
        Epochs per layer; 'auto' gives each layer at least 300 minibatch
        updates and 10 epochs (at most 200 epochs), so that a small data set
        is trained as thoroughly as a large one (Hinton & Salakhutdinov 2006
        use 50 epochs of MNIST, 30,000 updates).
    method : {'cd', 'pcd'} or array-like, default='cd'
        Contrastive divergence or persistent contrastive divergence.
    k : int or array-like of int, default=1
        Gibbs steps per update.
    momentum : float, 'hinton' or array-like, default='hinton'
        Momentum; 'hinton' is 0.5 for 5 epochs, then 0.9.
    weight_decay : float or array-like of float, default=0.0002
        L2 penalty on the weights.
    verbose : int, default=0
        If positive, print one line per layer; above 1 the RBMs also print one
        line per epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds one independent seed per layer.

    Attributes
    ----------
    estimators_ : list of BernoulliRBM or GaussianBernoulliRBM
        The fitted RBMs, bottom first.
    visible_unit_ : {'bernoulli', 'gaussian'}
        The input units fitted (``visible_unit``, with 'auto' resolved).
    input_mean_, input_scale_ : ndarray of shape (n_features_in_,) or None
        The mean and standard deviation (1 for a constant column) by which
        ``visible_unit='auto'`` standardized the data for Gaussian units;
        None where it did not. The RBMs in ``estimators_`` model the
        standardized data; ``transform`` and ``sample`` take and give ``X``'s
        units.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    BernoulliRBM : One layer.
    DBNClassifier : A DBN fine-tuned with a softmax head.
    sklearn.neural_network.BernoulliRBM : The RBM of scikit-learn.

    Notes
    -----
    The generative model of an ``L``-layer DBN is an RBM over the top two
    layers and directed sigmoid connections below:
    ``p(v, h1, ..., hL) = p(v | h1) ... p(h(L-2) | h(L-1)) p(h(L-1), hL)``.
    Its likelihood is intractable, so the DBN has no ``score_samples``; each
    RBM in ``estimators_`` has its own.

    References
    ----------
    .. [1] Hinton, G. E., Osindero, S. and Teh, Y.-W. (2006). A fast learning
       algorithm for deep belief nets. Neural Computation 18(7), 1527-1554.
    .. [2] Hinton, G. E. and Salakhutdinov, R. R. (2006). Reducing the
       dimensionality of data with neural networks. Science 313, 504-507.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import DBN
    >>> X = load_digits().data / 16
    >>> dbn = DBN(hidden_layer_sizes=(64, 16), n_iter=5, random_state=0).fit(X)
    >>> dbn.transform(X).shape
    (1797, 16)
    >>> dbn.sample(3, n_steps=10, random_state=0).shape
    (3, 64)
    """

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "visible_unit": [StrOptions({"auto", "bernoulli", "gaussian"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"}),
                          "array-like"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"}),
                       "array-like"],
        "n_iter": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"}),
                   "array-like"],
        "method": [StrOptions({"cd", "pcd"}), "array-like"],
        "k": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "momentum": [Interval(Real, 0, 1, closed="left"), StrOptions({"hinton"}), "array-like"],
        "weight_decay": [Interval(Real, 0, None, closed="left"), "array-like"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(256,),
        *,
        visible_unit="auto",
        learning_rate="auto",
        batch_size="auto",
        n_iter="auto",
        method="cd",
        k=1,
        momentum="hinton",
        weight_decay=0.0002,
        verbose=0,
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.visible_unit = visible_unit
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.n_iter = n_iter
        self.method = method
        self.k = k
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.verbose = verbose
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Train the RBMs greedily, bottom first.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse input needs binary input units (``visible_unit``
            'auto' or 'bernoulli').
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in every layer's training.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X = validate_X(self, X, accept_sparse=sparse_format(self, X), reset=True)
        weights = check_weights(sample_weight, X)
        self.visible_unit_ = resolve_feature_unit(self, X, weights)
        warn_binary_visible_range(X, self)
        self.input_mean_, self.input_scale_ = None, None
        if self.visible_unit == "auto" and self.visible_unit_ == "gaussian":
            # Gaussian units of unit variance model standardized data (Hinton 2010, 13.2)
            self.input_mean_, self.input_scale_ = standardization(X, weights)
        X = to_model_units(self, X)
        sizes = check_hidden_layer_sizes(self.hidden_layer_sizes)
        values = {name: per_layer(getattr(self, name), len(sizes), name, self)
                  for name in RBM_SETTINGS}
        settings = [
            {name: values[name][i] for name in RBM_SETTINGS}
            | {"verbose": max(self.verbose - 1, 0)}
            for i in range(len(sizes))
        ]
        learners = make_layer_learners(
            "rbm", sizes, settings=settings, random_state=self.random_state,
            first_visible=self.visible_unit_,
        )
        self.estimators_ = pretrain_layers(X, learners, verbose=self.verbose,
                                           sample_weight=weights, owner=self,
                                           rate_parameter="learning_rate")
        return self

    def transform(self, X):
        """Pass ``X`` up the stack: the top layer's hidden probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data; sparse input needs binary input units, or ``visible_unit='auto'``
            (which makes it dense where it chose Gaussian units).

        Returns
        -------
        H : ndarray of shape (n_samples, hidden_layer_sizes[-1])
            P(h=1 | layer below) of the top layer, each layer fed the
            probabilities of the one below.
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, "_components", "transform")
        gaussian = self.visible_unit_ == "gaussian"
        auto = self.visible_unit == "auto"  # takes sparse input, as its tags say
        H = validate_X(self, X, reset=False,
                       accept_sparse="csr" if auto else sparse_format(self, X, self.visible_unit_))
        if gaussian and hasattr(H, "toarray"):
            H = H.toarray()  # standardized rows are dense
        warn_binary_visible_range(H, self)
        H = to_model_units(self, H)
        with layer_range_warnings_silenced():
            for rbm in self.estimators_:
                H = rbm.transform(H)
        return H

    @validate_method_params(SAMPLE_CONSTRAINTS)
    def sample(self, n_samples=1, *, n_steps=1000, mean=False, random_state=None):
        """Generate visible vectors from the DBN's generative model.

        ``n_steps`` steps of block Gibbs sampling in the top RBM (see
        :meth:`BernoulliRBM.sample`) give a state of the layer below it; one
        ancestral pass down the directed layers then draws each lower layer
        from ``p(h(l-1) | h(l))`` (Hinton, Osindero & Teh 2006, section 4).

        Parameters
        ----------
        n_samples : int, default=1
            Number of independent chains, one sample each (at least 1).
        n_steps : int, default=1000
            Gibbs steps in the top RBM, at least 1.
        mean : bool, default=False
            Return the visible layer's conditional mean ``E[v | h1]`` instead
            of a draw (the smooth images of Hinton et al. 2006); the hidden
            layers are drawn either way.
        random_state : int, RandomState instance or None, default=None
            Seed of the chains and of the downward pass.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features_in_)
            Samples.
        """
        check_is_fitted(self)
        top, below = self.estimators_[-1], self.estimators_[:-1]
        rng = generator_for(random_state, top.components_)
        h = top.sample(n_samples, n_steps=n_steps, mean=mean and not below, random_state=rng)
        for i, rbm in enumerate(reversed(below)):
            W, b, _ = rbm._params()
            p = visible_mean(h, W, b, rbm._visible)
            last = i == len(below) - 1
            h = p if (last and mean) else sample_units(p, rng, rbm._visible)
        return from_model_units(self, h)

    def _encoder_layers(self):
        """``[(coef (n_in, n_out), intercept, activation), ...]`` of the up-pass,
        bottom first: the layers a deep estimator can start from."""
        check_is_fitted(self)
        layers = [
            [*rbm._layer_params()[:2], learner_activations(rbm)[0]]
            for rbm in self.estimators_
        ]
        if getattr(self, "input_mean_", None) is not None:  # layers take X as given
            layers[0][:2] = fold_scaling(*layers[0][:2], self.input_mean_, self.input_scale_)
        return [tuple(layer) for layer in layers]

    @property
    def _n_features_out(self):
        return self.estimators_[-1].n_components

    @property
    def _components(self):
        """The bottom layer's weights (whose namespace and device are the model's)."""
        return self.estimators_[0].components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = self.visible_unit != "gaussian"
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.array_api_support = True
        return tags


# ---------------------------------------------------------------------------
# Supervised deep belief networks: pre-training, then back-propagation
# fine-tuning (the shared machinery is skdeep._deep.BaseDeepNetwork).


class DBNClassifier(LabeledScoreMixin, ClassifierMixin, BaseDeepNetwork):
    __doc__ = f"""Deep belief network classifier with a softmax output layer.

    Layer-wise pre-training, then back-propagation fine-tuning of the whole net.

    The hidden layers are pre-trained greedily (RBMs, autoencoders or
    denoising autoencoders, see ``pretraining``), or taken from another fitted
    estimator (``init_layers``), or initialised at random; a softmax layer is
    put on top and the whole network is fine-tuned to minimise the log-loss.

    Read more in the :ref:`User Guide <dbn>`.

    Parameters
    ----------{PARAMETERS_DOC}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.{ATTRIBUTES_DOC}

    See Also
    --------
    DBN : The unsupervised stack of RBMs.
    DBNRegressor : The same network with a linear output layer.
    sklearn.neural_network.MLPClassifier : The randomly initialised
        multi-layer perceptron.

    Notes
    -----
    Fine-tuning minimises the mean over a batch of ``n`` rows of
    ``-sum_k y_k log softmax(z)_k`` plus ``alpha / (2 n) * sum ||W||^2``, with
    ``z`` the output layer's pre-activation.

    Semi-supervised learning: rows labeled ``-1`` (``"-1"`` or ``-1`` for
    string labels), the convention of :mod:`sklearn.semi_supervised`, are
    unlabeled. Pre-training uses every row, fine-tuning the labeled ones;
    ``classes_`` never holds the marker, and ``score`` scores the labeled rows
    only. Later ``partial_fit`` calls fine-tune on their labeled rows (the
    network is pre-trained once, at the first call). Hinton & Salakhutdinov (2006) report
    1.2% test error on MNIST with a 784-500-500-2000-10 network pre-trained as
    a DBN and 1.6% without pre-training; see ``benchmarks/dbn_mnist.py``.

    References
    ----------
    .. [1] Hinton, G. E., Osindero, S. and Teh, Y.-W. (2006). A fast learning
       algorithm for deep belief nets. Neural Computation 18(7), 1527-1554.
    .. [2] Hinton, G. E. and Salakhutdinov, R. R. (2006). Reducing the
       dimensionality of data with neural networks. Science 313, 504-507.
    .. [3] Bengio, Y., Lamblin, P., Popovici, D. and Larochelle, H. (2007).
       Greedy layer-wise training of deep networks. NIPS.
    .. [4] Vincent, P. et al. (2010). Stacked denoising autoencoders. JMLR 11,
       3371-3408.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import train_test_split
    >>> from skdeep import DBNClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X / 16, y, random_state=0)
    >>> clf = DBNClassifier(random_state=0).fit(X_train, y_train)
    >>> bool(clf.score(X_test, y_test) > 0.95)
    True
    >>> clf.batch_size_, clf.learning_rate_init_, clf.activations_
    (200, 0.001, ['relu', 'relu', 'softmax'])
    >>> clf.predict_proba(X_test[:2]).shape
    (2, 10)
    """

    _loss = "log_loss"
    _out_activation = "softmax"

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Run one fine-tuning epoch over ``(X, y)``.

        The first call builds the network, pre-training it on this ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels; ``-1`` marks an unlabeled row.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole training data; needed on the first call
            when ``y`` lacks some of them (defaults to the classes of ``y``).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the fine-tuning loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=True, classes=classes, sample_weight=sample_weight)

    def _validate_targets(self, X, y, first, classes=None, sample_weight=None):
        check_one_label_per_row(y, self)
        X, y = validate_X_y(self, X, y, accept_sparse=sparse_format(self, X), reset=first)
        w = check_weights(sample_weight, X)
        # y is in X's namespace and on its device, unless its labels are strings
        xp = get_namespace(y)
        unlabeled = unlabeled_mask(y)
        if first:
            check_some_labeled(unlabeled, self)
        rows = unlabeled if get_namespace(X) is xp else asarray(unlabeled, like=X)
        unlabeled_rows = None
        if bool(xp.any(unlabeled)):  # (rows, weights) for the pre-training
            unlabeled_rows = (X[rows], None if w is None else w[rows])
        X, y = X[~rows], y[~unlabeled]
        w = None if w is None else w[~rows]
        check_classification_targets(y)
        if classes is not None and unlabeled_mask(np.asarray(classes)).any():
            raise ValueError(f"classes must not contain the unlabeled marker {UNLABELED}.")
        if not first and classes is not None and not np.array_equal(
                np.unique(classes), to_numpy(self.classes_)):
            raise ValueError(
                f"classes={np.unique(classes).tolist()} is not the same as on the first "
                f"call to partial_fit, {to_numpy(self.classes_).tolist()}."
            )
        if first:
            if xp is np:
                self.classes_ = np.unique(y if classes is None else classes)
            elif classes is None:  # scikit-learn's classes_: y's namespace and device
                self.classes_ = xp.sort(xp.unique_values(y))
            else:
                self.classes_ = asarray(np.unique(classes), dtype=y.dtype, like=y)
            check_marker_is_not_a_class(self.classes_, unlabeled, self)
            if self.classes_.shape[0] < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes; got "
                    f"one class, {to_numpy(self.classes_)[0]!r}."
                )
        is_class = y[:, None] == self.classes_[None, :]
        if not bool(xp.all(xp.any(is_class, axis=1))):
            unseen = np.setdiff1d(to_numpy(y), to_numpy(self.classes_))
            raise ValueError(
                f"y contains labels {unseen.tolist()} not in classes_ "
                f"{to_numpy(self.classes_).tolist()}; pass every class to the first partial_fit."
            )
        return X, astype(asarray(is_class, like=X), X.dtype), w, unlabeled_rows

    def _labels(self, Y):
        return self._classes_at(get_namespace(Y).argmax(Y, axis=1))

    def _classes_at(self, indices):
        """``classes_[indices]``, in the namespace and on the device of
        ``indices`` unless the labels are strings (scikit-learn's rule)."""
        classes = self.classes_
        if get_namespace(classes) is np:
            if get_namespace(indices) is np:
                return classes[indices]
            labels = classes[to_numpy(indices)]
            return labels if labels.dtype.kind in "OUS" else asarray(labels, like=indices)
        return get_namespace(classes).take(classes, indices, axis=0)

    def _validation_score(self, X, Y, sample_weight=None):
        xp = get_namespace(X)
        correct = xp.argmax(self._forward(X), axis=1) == xp.argmax(Y, axis=1)
        correct = xp.astype(correct, widest_float(xp, array_device(X)))
        return mean(correct, None if sample_weight is None
                    else xp.astype(sample_weight, correct.dtype))

    def predict_proba(self, X):
        """Class probabilities, the softmax output.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, "_coef", "predict_proba")
        X = validate_X(self, X, accept_sparse=sparse_format(self, X), reset=False)
        return self._forward(X)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class.
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, "_coef", "predict_log_proba")
        X = validate_X(self, X, accept_sparse=sparse_format(self, X), reset=False)
        # log-softmax of the output layer's pre-activation: finite where the
        # probability underflows to 0
        Z = forward(X, self.coefs_, self.intercepts_,
                    self.activations_[:-1] + ["identity"],
                    batch_norms=self.batch_norms_).output
        return Z - logsumexp(Z, axis=1)[:, None]

    def predict(self, X):
        """The most probable class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, "_coef", "predict")
        proba = self.predict_proba(X)
        return self._classes_at(get_namespace(proba).argmax(proba, axis=1))


class DBNRegressor(RegressorMixin, BaseDeepNetwork):
    __doc__ = f"""Deep belief network regressor with a linear output layer.

    Layer-wise pre-training, then back-propagation fine-tuning of the whole net.

    As :class:`DBNClassifier`, with a linear output layer trained on the
    squared error; ``y`` may have several columns.

    Read more in the :ref:`User Guide <dbn>`.

    Parameters
    ----------{PARAMETERS_DOC}

    Attributes
    ----------
    target_mean_ : ndarray of shape (n_outputs,)
        Mean of each target column at the first fit.
    target_scale_ : ndarray of shape (n_outputs,)
        Standard deviation of each target column (1 where it is 0).{ATTRIBUTES_DOC}

    See Also
    --------
    DBNClassifier : The same network with a softmax output layer.
    sklearn.neural_network.MLPRegressor : The randomly initialised
        multi-layer perceptron.

    Notes
    -----
    The targets are standardized at fit (``target_mean_``, ``target_scale_``)
    and ``predict`` maps the network's output back to ``y``'s units, so raw
    targets of any scale train as well as scaled ones. Fine-tuning minimises
    the mean over a batch of ``||z - t||^2 / 2`` plus
    ``alpha / (2 n) * sum ||W||^2``, with ``z`` the linear output and ``t``
    the standardized target; ``loss_curve_`` is in those units.

    References
    ----------
    .. [1] Hinton, G. E. and Salakhutdinov, R. R. (2006). Reducing the
       dimensionality of data with neural networks. Science 313, 504-507.
    .. [2] Bengio, Y., Lamblin, P., Popovici, D. and Larochelle, H. (2007).
       Greedy layer-wise training of deep networks. NIPS.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import DBNRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((200, 5))
    >>> y = X @ [1.0, -2.0, 0.5, 0.0, 1.0]
    >>> reg = DBNRegressor(random_state=0).fit(X, 1000 * y)  # raw targets
    >>> bool(reg.score(X, 1000 * y) > 0.9)
    True
    """

    _loss = "squared_error"
    _out_activation = "identity"

    def _rectifier_alpha(self, X, Y, w):
        """'auto' penalty of rectifier hidden layers: from the shares of the
        targets' variance that the nearest neighbours and a linear fit leave
        unexplained."""
        rows = evenly_spaced_rows(X.shape[0])
        arrays = (X, Y) if w is None else (X, Y, w)
        if get_namespace(X) is not np:  # a sample of the rows, to the host
            rows_on_device = asarray(rows, like=X)
            arrays = [to_numpy(take_rows(a, rows_on_device)) for a in arrays]
        elif rows.shape[0] < X.shape[0]:
            arrays = [a[rows] for a in arrays]
        return noise_scaled_alpha(neighbour_noise_fraction(*arrays),
                                  linear_error_fraction(*arrays))

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Run one fine-tuning epoch over ``(X, y)``.

        The first call builds the network, pre-training it on this ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the fine-tuning loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=True, sample_weight=sample_weight)

    def _validate_targets(self, X, y, first, classes=None, sample_weight=None):
        X, y = validate_X_y(self, X, y, multi_output=True, y_numeric=True,
                            accept_sparse=sparse_format(self, X), reset=first)
        w = check_weights(sample_weight, X)
        Y = reshape(y, (-1, 1)) if y.ndim == 1 else y
        xp = get_namespace(Y)
        if first and xp is np:
            # the net fits standardized targets; predict maps back to y's units
            self.target_mean_ = np.average(Y, axis=0, weights=w)
            scale = np.sqrt(np.average((Y - self.target_mean_) ** 2, axis=0, weights=w))
            self.target_scale_ = np.where(scale > 0, scale, 1.0)
        elif first:
            if not xp.isdtype(Y.dtype, "real floating"):  # as numpy: integers to float64
                Y = xp.astype(Y, widest_float(xp, array_device(Y)))
            if w is None:
                self.target_mean_ = xp.mean(Y, axis=0)
                scale = xp.std(Y, axis=0)
            else:  # weighted mean and standard deviation
                wy = xp.astype(w, Y.dtype)[:, None]
                self.target_mean_ = xp.sum(wy * Y, axis=0) / xp.sum(wy)
                scale = xp.sqrt(xp.sum(wy * (Y - self.target_mean_) ** 2, axis=0) / xp.sum(wy))
            self.target_scale_ = xp.where(scale > 0, scale, xp.ones_like(scale))
        elif Y.shape[1] != self.target_mean_.shape[0]:
            raise ValueError(
                f"y has {Y.shape[1]} output(s), but {type(self).__name__} was fitted "
                f"with {self.target_mean_.shape[0]}."
            )
        return X, astype((Y - self.target_mean_) / self.target_scale_, X.dtype), w, None

    def _labels(self, Y):
        Y = Y * self.target_scale_ + self.target_mean_
        return reshape(Y, (-1,)) if Y.shape[1] == 1 else Y

    def _validation_score(self, X, Y, sample_weight=None):
        return self.score(X, self._labels(Y), sample_weight=sample_weight)

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions; one-dimensional for a single output.
        """
        check_is_fitted(self)
        check_fitted_namespace(self, X, "_coef", "predict")
        X = validate_X(self, X, accept_sparse=sparse_format(self, X), reset=False)
        return astype(self._labels(self._forward(X)), X.dtype, copy=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
