"""The model comparison behind ``python -m skdeep compare``.

Every model is a scikit-learn Pipeline fed with pixel intensities in [0, 1] and
scored by the accuracy of stratified k-fold cross-validation.
"""

import csv
import sys
import time
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    ShuffleSplit,
    StratifiedKFold,
    cross_validate,
    train_test_split,
)
from sklearn.naive_bayes import BernoulliNB, GaussianNB, MultinomialNB
from sklearn.neural_network import BernoulliRBM as SklearnBernoulliRBM, MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier
from threadpoolctl import threadpool_limits

from ._dbn import DBN, DBNClassifier
from ._generative import GaussianMixtureClassifier
from ._labeled import LabeledOnlyClassifier
from ._naive_bayes import SemiSupervisedNB
from ._rbm import BernoulliRBM
from ._semi_supervised import UNLABELED
from ._ssvae import SemiSupervisedVAE
from ._vae import VariationalAutoencoder
from .datasets import load_fashion_mnist, load_mnist

PLOT_INSTALL = "pip install scikit-deep[plot]"
DASK_INSTALL = "pip install scikit-deep[distributed]"


def _load_digits(**kwargs):
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float32), y


DATASETS = {
    "digits": _load_digits,
    "mnist": load_mnist,
    "fashion-mnist": load_fashion_mnist,
}

# Model sizes: "small" for the 8x8 digits (the default must run in minutes on
# two cores), "large" for 28x28 images.
# ``n_iter``/``batch_size``: RBM training; ``epochs``: back-propagation.
SIZES = {
    "small": dict(hidden=100, n_iter=20, batch_size=10, pca=30, mixtures=3, reg_covar=1e-3,
                  epochs=200),
    "large": dict(hidden=500, n_iter=10, batch_size=100, pca=50, mixtures=5, reg_covar=1e-3,
                  epochs=30),
}  # fmt: skip
# One BLAS thread per process: folds run in parallel with --n-jobs instead, and on
# a busy machine extra BLAS threads only spin (a 20x slowdown measured on 2 cores).
BLAS_THREADS = 1
#: the share of each training fold held out to choose a skdeep model's recipe
VALIDATION_SIZE = 0.2


def chosen_on_validation(pipeline, grid, random_state):
    """``pipeline`` with its recipe chosen among ``grid`` (step-prefixed
    parameters) on a validation split of the rows it is fitted on, then refitted
    on all of them: the reported test fold takes no part in the choice."""
    splitter = ShuffleSplit(n_splits=1, test_size=VALIDATION_SIZE, random_state=random_state)
    return GridSearchCV(pipeline, grid, cv=splitter)


class WithFewLabels(ClassifierMixin, BaseEstimator):
    """``estimator`` fitted with only ``n_labels`` labels of its training rows
    (a stratified draw; every other row labeled -1), scored on fully labeled
    data: the ``--labels`` setting of ``compare``."""

    def __init__(self, estimator, n_labels, random_state=None):
        self.estimator = estimator
        self.n_labels = n_labels
        self.random_state = random_state

    def fit(self, X, y):
        y = np.asarray(y)
        kept, _ = train_test_split(np.arange(len(y)), train_size=self.n_labels, stratify=y,
                                   random_state=self.random_state)
        y_partial = np.full(y.shape, UNLABELED, dtype=y.dtype)
        y_partial[kept] = y[kept]
        self.estimator_ = clone(self.estimator).fit(X, y_partial)
        self.classes_ = np.unique(y[kept])
        return self

    def predict(self, X):
        return self.estimator_.predict(X)

    def score(self, X, y, sample_weight=None):
        return float(accuracy_score(y, self.predict(X), sample_weight=sample_weight))


def model_factories(size, random_state, semi_supervised=False):
    """``{name: (description, factory)}``; each factory builds a fresh estimator:
    a Pipeline, or for skdeep's models a :func:`chosen_on_validation` search.
    With ``semi_supervised``, the training labels hold ``-1`` rows: supervised
    classifiers are fitted on the labeled rows only (:class:`LabeledOnlyClassifier`)
    after the steps that learn from every row."""
    s, rs = SIZES[size], random_state
    rbm = dict(n_components=s["hidden"], batch_size=s["batch_size"], n_iter=s["n_iter"])
    hidden = (s["hidden"], s["hidden"])

    def labeled(classifier):
        return LabeledOnlyClassifier(classifier) if semi_supervised else classifier

    def _logistic(C=1.0):
        return labeled(LogisticRegression(C=C, max_iter=1000))

    def _features_logistic():
        return _logistic(C=100.0)

    def tuned(pipeline, grid):
        return lambda: chosen_on_validation(pipeline(), grid, rs)

    def dbn_classifier(pretraining):
        return lambda: make_pipeline(DBNClassifier(
            hidden_layer_sizes=hidden, pretraining=pretraining, max_iter=s["epochs"],
            random_state=rs))

    dbn_grid = {"dbnclassifier__learning_rate_init": ["auto", 0.003]}
    return {
        "gaussian-nb": ("Gaussian naive Bayes", lambda: make_pipeline(labeled(GaussianNB()))),
        "bernoulli-nb": (
            "Bernoulli naive Bayes (pixels > 0.5)",
            lambda: make_pipeline(labeled(BernoulliNB(binarize=0.5))),
        ),
        "multinomial-nb": ("multinomial naive Bayes",
                           lambda: make_pipeline(labeled(MultinomialNB()))),
        "semi-nb": (
            "multinomial naive Bayes by EM, unlabeled rows weighted 0.1",
            lambda: make_pipeline(SemiSupervisedNB(unlabeled_weight=0.1)),
        ),
        "gmm": (
            f"PCA-{s['pca']} + {s['mixtures']}-component GMM per class",
            lambda: make_pipeline(
                PCA(n_components=s["pca"], random_state=rs),
                GaussianMixtureClassifier(
                    n_components=s["mixtures"], reg_covar=s["reg_covar"], random_state=rs
                ),
            ),
        ),
        "label-spreading": (
            "LabelSpreading, 7-nearest-neighbour graph",
            lambda: make_pipeline(LabelSpreading(kernel="knn", n_neighbors=7)),
        ),
        "self-training": (
            "SelfTrainingClassifier(logistic regression)",
            lambda: make_pipeline(SelfTrainingClassifier(LogisticRegression(max_iter=1000))),
        ),
        "vae-logistic": (
            f"VariationalAutoencoder({s['hidden']}, code {s['pca']}) + logistic regression (M1)",
            lambda: make_pipeline(
                VariationalAutoencoder(encoder_layer_sizes=(s["hidden"],),
                                       n_components=s["pca"], random_state=rs),
                _features_logistic(),
            ),
        ),
        "m2": (
            f"SemiSupervisedVAE({s['hidden']}, code {s['pca']}), model M2",
            lambda: make_pipeline(SemiSupervisedVAE(
                encoder_layer_sizes=(s["hidden"],), classifier_layer_sizes=(s["hidden"],),
                n_components=s["pca"], random_state=rs)),
        ),
        "logistic": ("logistic regression on pixels", lambda: make_pipeline(_logistic())),
        "pca-logistic": (
            f"PCA-{s['pca']} + logistic regression",
            lambda: make_pipeline(PCA(n_components=s["pca"], random_state=rs), _logistic()),
        ),
        "sklearn-rbm-logistic": (
            f"scikit-learn BernoulliRBM({s['hidden']}) + logistic regression",
            lambda: make_pipeline(
                SklearnBernoulliRBM(learning_rate=0.06, random_state=rs, **rbm),
                _features_logistic(),
            ),
        ),
        "rbm-logistic": (
            f"skdeep BernoulliRBM({s['hidden']}) + logistic regression, the same recipe "
            f"with {s['n_iter']} or {2 * s['n_iter']} epochs*",
            tuned(lambda: make_pipeline(
                BernoulliRBM(learning_rate=0.06, random_state=rs, **rbm),
                _features_logistic(),
            ), {"bernoullirbm__n_iter": [s["n_iter"], 2 * s["n_iter"]]}),
        ),
        "dbn-logistic": (
            f"DBN features + logistic regression; 1 or 2 layers of {s['hidden']}*",
            tuned(lambda: make_pipeline(
                DBN(hidden_layer_sizes=hidden, random_state=rs), _features_logistic(),
            ), {"dbn__hidden_layer_sizes": [(s["hidden"],), hidden]}),
        ),
        **{
            f"dbn-classifier-{pretraining or 'none'}": (
                f"DBNClassifier({s['hidden']}, {s['hidden']}), pretraining={pretraining!r}; "
                "Adam step 0.001 or 0.003*",
                tuned(dbn_classifier(pretraining), dbn_grid),
            )
            for pretraining in ("rbm", "denoising", None)
        },
        "mlp": (
            f"MLPClassifier({s['hidden']}, {s['hidden']}), Adam",
            lambda: make_pipeline(labeled(
                MLPClassifier(hidden_layer_sizes=hidden, max_iter=s["epochs"], random_state=rs)
            )),
        ),
    }


MODEL_NAMES = list(model_factories("small", 0))


def load_dataset(name, max_samples=None, random_state=0):
    """Features in [0, 1] and labels; a stratified subsample of ``max_samples`` rows."""
    X, y = DATASETS[name](return_X_y=True)
    if max_samples is not None and max_samples < len(y):
        X, _, y, _ = train_test_split(
            X, y, train_size=max_samples, stratify=y, random_state=random_state
        )
    return X, y


@dataclass
class Result:
    model: str
    description: str
    accuracy_mean: float
    accuracy_std: float
    fit_seconds: float
    score_seconds: float


class Progress:
    """A one-line progress bar on stderr (one line per step when not a terminal)."""

    def __init__(self, total, stream=None, width=24):
        self.total, self.width, self.done = total, width, 0
        self.stream = sys.stderr if stream is None else stream
        self.start = time.perf_counter()

    def show(self, label):
        filled = self.width * self.done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.perf_counter() - self.start
        line = f"[{bar}] {self.done}/{self.total} {elapsed:5.0f}s {label}"
        if self.stream.isatty():
            self.stream.write("\r" + line.ljust(79))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def step(self, label):
        self.done += 1
        self.show(label)

    def close(self):
        if self.stream.isatty():
            self.stream.write("\n")
        self.stream.flush()


@contextmanager
def dask_backend(address):
    """joblib's dask backend on a scheduler, or on a LocalCluster for ``"local"``."""
    try:
        import joblib
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(f"--dask needs dask.distributed: `{DASK_INSTALL}`.") from None
    cluster = LocalCluster(processes=False) if address == "local" else None
    try:
        with Client(cluster or address), joblib.parallel_config(backend="dask"):
            yield
    finally:
        if cluster is not None:
            cluster.close()


def compare(X, y, models, *, cv=5, n_jobs=None, random_state=0, size="small",
            dask=None, progress=None, labels=None):  # fmt: skip
    """Cross-validate each named model; results sorted best first. With
    ``labels``, each model sees that many labels of its training fold (a
    stratified draw; the rest are -1) and is scored on the labeled test fold."""
    factories = model_factories(size, random_state, semi_supervised=labels is not None)
    splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    results = []
    with (
        dask_backend(dask) if dask else nullcontext(),
        threadpool_limits(limits=BLAS_THREADS, user_api="blas"),
        warnings.catch_warnings(),
    ):
        # a model that stops at its max_iter is still compared as configured
        warnings.simplefilter("ignore", ConvergenceWarning)
        # with every label known, self-training is its classifier's own fit
        warnings.filterwarnings("ignore", message="y contains no unlabeled samples",
                                category=UserWarning)
        for name in models:
            if progress is not None:
                progress.show(name)
            description, factory = factories[name]
            model = factory()
            if labels is not None:
                model = WithFewLabels(model, labels, random_state=random_state)
            scores = cross_validate(model, X, y, cv=splitter, n_jobs=-1 if dask else n_jobs)
            results.append(
                Result(
                    name,
                    description,
                    float(np.mean(scores["test_score"])),
                    float(np.std(scores["test_score"])),
                    float(np.mean(scores["fit_time"])),
                    float(np.mean(scores["score_time"])),
                )
            )
            if progress is not None:
                progress.step(name)
    return sorted(results, key=lambda r: -r.accuracy_mean)


def format_table(results):
    rows = [("model", "accuracy", "fit s", "description")]
    rows += [
        (r.model, f"{r.accuracy_mean:.4f} +- {r.accuracy_std:.4f}", f"{r.fit_seconds:.2f}",
         r.description)
        for r in results
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths)) + "  " + row[3]
             for row in rows]  # fmt: skip
    lines.insert(1, "-" * len(lines[0]))
    if any(r.description.endswith("*") for r in results):
        lines.append(TUNING_NOTE)
    return "\n".join(lines)


#: how the rows marked * chose their recipe
TUNING_NOTE = (
    f"* the recipe named is chosen on a validation split ({VALIDATION_SIZE:.0%} of each "
    "training fold), then refitted on the whole fold: the test folds take no part"
)


CSV_COLUMNS = [
    "model", "accuracy_mean", "accuracy_std", "fit_seconds", "score_seconds",
    "description", "dataset", "n_samples", "cv", "labels",
]  # fmt: skip


def write_csv(path, results, *, dataset, n_samples, cv, labels=None):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerow({**vars(r), "dataset": dataset, "n_samples": n_samples, "cv": cv,
                             "labels": "all" if labels is None else labels})


def check_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(f"--plot needs matplotlib: `{PLOT_INSTALL}`.") from None


def plot_results(path, results, title):
    """A horizontal bar chart of mean accuracy with +- one standard deviation,
    the value written on each bar; the axis starts at 0."""
    check_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 0.4 * len(results) + 1.2), layout="constrained")
    ax = fig.subplots()
    names = [r.model for r in results][::-1]
    means = [r.accuracy_mean for r in results][::-1]
    stds = [r.accuracy_std for r in results][::-1]
    bars = ax.barh(names, means, xerr=stds, capsize=3, color="tab:blue")
    ax.bar_label(bars, labels=[f"{m:.3f}" for m in means], label_type="center",
                 color="white", fontsize=8)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("cross-validated accuracy (mean +- std)")
    ax.set_title(title)
    fig.savefig(path, dpi=100)
