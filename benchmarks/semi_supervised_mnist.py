"""MNIST with 100 to 3,000 labels: test error of semi-supervised models, beside
Kingma et al. (2014).

The 60,000 training images keep ``N`` labels, balanced over the classes (N/10
each), and every other training image is labeled ``-1`` (unlabeled); each
model is fitted on the 60,000 rows and scored on the 10,000 test images. The
table prints the test error in %, the mean and standard deviation over
``--draws`` draws of the labeled subset (one draw for the models marked so),
the minutes each model took in all (wall clock, and CPU time of the process:
on a busy machine the CPU minutes say what an idle one would take with
``--threads 1``), and Kingma, Rezende, Mohamed and Welling
(2014), Table 1, below:

=========  ====  ====  ====  ====
N          100   600   1000  3000
=========  ====  ====  ====  ====
NN         25.8  11.4  10.7  6.0
TSVM       16.8  6.2   5.4   3.5
M1+TSVM    11.8  5.7   4.2   3.5
M2         12.0  4.9   3.6   3.9
M1+M2      3.3   2.6   2.4   2.2
=========  ====  ====  ====  ====

Models (``--models``):

* scikit-learn, labeled rows only: ``lr`` (LogisticRegression), ``mlp``
  (MLPClassifier, one hidden layer of 500), each wrapped in
  :class:`skdeep.LabeledOnlyClassifier` so it takes the same ``y`` with -1 rows;
* scikit-learn, semi-supervised: ``label-spreading`` (LabelSpreading,
  kernel='knn', 7 neighbours) and ``self-training``
  (SelfTrainingClassifier(LogisticRegression())). Both are fitted on the
  labeled rows plus a random 20,000 of the unlabeled ones (``--unlabeled-cap``):
  LabelSpreading's brute-force neighbour graph grows as the square of the rows
  (31,000 rows: 2.5 minutes per fit, so 60,000 about 10), and SelfTraining refits
  the regression on up to all the rows at each of its 10 rounds;
* naive Bayes (Bernoulli, pixels binarized at 0.5): ``nb`` on the labeled rows
  only, ``nb-em`` with EM over every row (:class:`skdeep.SemiSupervisedNB`,
  ``unlabeled_weight=0.1``);
* Gaussian mixtures, one full-covariance Gaussian per class on PCA-50 (fitted
  on every row, ``reg_covar=1e-2``): ``gmm`` on the labeled rows only,
  ``gmm-em`` with EM over every row at ``unlabeled_weight=0.1``
  (:class:`skdeep.GaussianMixtureClassifier`);
* ``dbn``: :class:`skdeep.DBNClassifier` with -1 rows: RBM pre-training of
  784-500-500 on every row (CD-1, 20 epochs per layer), fine-tuning of the
  whole net on the labeled rows (Adam, dropout 0.3 and 0.1 on the inputs,
  ``max(50, 20000 // N)`` epochs of batches of 100);
* ``dbn-svc``: the top-layer features of the same pre-trained DBN and an RBF
  SVC (``C=10``) on the labeled rows (an SVC on the pixels: 7.83% at N = 1000);
* ``m1-lr``, ``m1-svc``: model M1, a :class:`skdeep.VariationalAutoencoder`
  (784-500-50, Bernoulli pixels, 30 epochs) on every row and a classifier on
  the posterior means of the labeled rows, LogisticRegression or SVC (RBF):
  ``make_pipeline(VAE, LabeledOnlyClassifier(...))``;
* ``m2``, ``m1+m2``: :class:`skdeep.SemiSupervisedVAE` (model M2, its default
  networks of 500 hidden units and 50 latent dimensions) on the pixels
  (Bernoulli, 3 epochs, ``--m2-epochs``) and on the M1 codes of the VAE above
  (``likelihood='gaussian_learned_variance'``, which learns which code
  dimensions carry the data; 30 epochs, ``--m1-m2-epochs``), run when skdeep
  has it (``M2`` below). At N = 1000, one draw: m2 13.83 / 12.53 / 10.61 /
  8.44% after 1 / 3 / 5 / 10 epochs (0.7 min an epoch); m1+m2 13.51 / 9.02 /
  4.93 / 3.89 / 3.64 / 3.40 / 3.48% after 5 / 10 / 20 / 30 / 40 / 50 / 60
  epochs (0.2 min an epoch; Adam's step 0.003 instead of 0.001: 4.42% after
  20, 4.13% after 30). The paper trains far longer (3.6% and 2.4%); the
  default epochs are what the budget holds.

**One pre-training serves every fit.** The DBN's pre-training, the VAE and the
PCA never read a label, and in every fit they see the same 60,000 rows; so
each is fitted once per run (its minutes are counted once, in its model's
total) and enters the fits frozen (:class:`sklearn.frozen.FrozenEstimator`):
``DBNClassifier(init_layers=FrozenEstimator(dbn))`` fine-tunes every layer of
the pre-trained stack on the labeled rows, which is what
``DBNClassifier(pretraining='rbm').fit(X, y_with_minus_one)`` does inside each
fit, up to the order of the rows in pre-training. ``--refit-representations``
refits them inside every fit instead (the time grows by the number of fits);
with ``--quick --labels 1000`` the DBN then gives 8.90% against 9.15% shared.

**Budget**, the default run with ``--threads 1`` on 2 cores shared with one
other job (wall minutes, which equalled the CPU minutes within 0.1 but for the
DBN): fitted once, PCA 0.0, RBM pre-training (2 x 20 epochs) 3.5, VAE (30
epochs) 3.4; every model, all four N and its draws, its representation
included: lr 0.1, mlp 0.8, label-spreading 2.3, self-training 1.5, nb 0.0,
nb-em 4.8, gmm 0.1, gmm-em 0.7, dbn 4.9, dbn-svc 0.8, m1-lr 3.6, m1-svc 0.4,
m2 8.2, m1+m2 23.1 (30 epochs; 15.9 with 20): 51 minutes in all.
``--quick``: 10,000 training rows, 2,000 test rows, 3 epochs per
representation (M2: 2, M1+M2: 5), N = 100 and 1000, one draw.

Measured, the default run (test error %, N = 100 / 600 / 1000 / 3000; mean
over 3 draws where the model is cheap): lr 24.36 / 14.17 / 12.66 / 10.80,
mlp 24.24 / 11.67 / 9.36 / 6.17, label-spreading 14.84 / 6.57 / 6.49 / 5.18,
self-training 23.02 / 10.96 / 11.76 / 10.87, nb 28.22 / 18.50 / 17.10 / 16.24,
nb-em 36.43 / 32.48 / 31.34 / 25.25, gmm 20.14 / 8.66 / 6.30 / 4.01, gmm-em
23.02 / 8.13 / 6.55 / 4.69, dbn 17.21 / 7.11 / 5.37 / 3.33, dbn-svc 15.61 /
5.54 / 4.47 / 3.19, m1-lr 28.19 / 15.19 / 12.92 / 10.58, m1-svc 22.50 / 7.38 /
5.70 / 3.40, m2 36.37 / 14.28 / 12.53 / 9.00, m1+m2 9.44 / 4.13 / 3.89 / 3.14
(20 epochs: 11.11 / 4.84 / 4.93 / 3.70). M1+M2 after 50 epochs at N = 1000 on
the three draws of the labels: 3.40, 3.40, 3.36.

Usage: python benchmarks/semi_supervised_mnist.py [--quick]
       [--labels 100 600 1000 3000] [--models lr mlp ...] [--draws 3]
       [--threads 1] [--unlabeled-cap 20000] [--m2-epochs 3]
       [--m1-m2-epochs 30] [--refit-representations]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Binarizer
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

import skdeep
from skdeep import (
    DBN,
    DBNClassifier,
    GaussianMixtureClassifier,
    LabeledOnlyClassifier,
    SemiSupervisedNB,
    VariationalAutoencoder,
)
from skdeep.datasets import load_mnist

#: Kingma et al. (2014), Table 1: test error % at N = 100, 600, 1000, 3000 labels
KINGMA = {
    "NN": (25.8, 11.4, 10.7, 6.0),
    "TSVM": (16.8, 6.2, 5.4, 3.5),
    "M1+TSVM": (11.8, 5.7, 4.2, 3.5),
    "M2": (12.0, 4.9, 3.6, 3.9),
    "M1+M2": (3.3, 2.6, 2.4, 2.2),
}
KINGMA_LABELS = (100, 600, 1000, 3000)

#: the semi-supervised VAE (model M2); None while skdeep has none. Its models
#: run when it exists: to enable them under another name, set it here.
M2 = getattr(skdeep, "SemiSupervisedVAE", None)

FULL = dict(n_train=60000, n_test=10000, rbm_epochs=20, vae_epochs=30, m2_epochs=3,
            m1_m2_epochs=30, labels=[100, 600, 1000, 3000], draws=3)
QUICK = dict(n_train=10000, n_test=2000, rbm_epochs=3, vae_epochs=3, m2_epochs=2,
             m1_m2_epochs=5, labels=[100, 1000], draws=1)
#: models too slow for several draws in the default run: one draw each
ONE_DRAW = {"label-spreading", "self-training", "gmm-em", "m2", "m1+m2"}


def keep_labels(y, n_labels, seed):
    """``y`` with ``n_labels`` labels kept, ``n_labels / 10`` of each class, the rest -1."""
    rng = np.random.default_rng(seed)
    y_partial = np.full_like(y, -1)
    classes = np.unique(y)
    for label in classes:
        rows = rng.permutation(np.flatnonzero(y == label))[: n_labels // len(classes)]
        y_partial[rows] = label
    return y_partial


class CappedUnlabeled:
    """Fits ``estimator`` on the labeled rows and a random ``cap`` of the unlabeled ones."""

    def __init__(self, estimator, cap, seed=0):
        self.estimator, self.cap, self.seed = estimator, cap, seed

    def fit(self, X, y):
        unlabeled = np.flatnonzero(y == -1)
        if len(unlabeled) > self.cap:
            unlabeled = np.random.default_rng(self.seed).choice(unlabeled, self.cap, replace=False)
        rows = np.sort(np.concatenate([np.flatnonzero(y != -1), unlabeled]))
        self.estimator.fit(X[rows], y[rows])
        return self

    def score(self, X, y):
        return self.estimator.score(X, y)


class Representations:
    """The label-free steps, each fitted once on the training rows when first asked for."""

    def __init__(self, X, settings, refit, seed=0):
        self.X, self.settings, self.refit, self.seed = X, settings, refit, seed
        self.fitted, self.minutes = {}, {}

    def _make(self, name):
        if name == "pca":
            return PCA(n_components=50, random_state=self.seed)
        if name == "dbn":
            return DBN(hidden_layer_sizes=(500, 500), learning_rate=0.1, batch_size=100,
                       n_iter=self.settings["rbm_epochs"], random_state=self.seed)
        if name == "vae":
            return VariationalAutoencoder(encoder_layer_sizes=(500,), n_components=50,
                                          max_iter=self.settings["vae_epochs"],
                                          random_state=self.seed)
        raise KeyError(name)

    def __call__(self, name):
        """The step, frozen after one fit (unfitted with ``--refit-representations``)."""
        if self.refit:
            return self._make(name)
        if name not in self.fitted:
            start = time.perf_counter()
            self.fitted[name] = FrozenEstimator(self._make(name).fit(self.X))
            self.minutes[name] = (time.perf_counter() - start) / 60
        return self.fitted[name]


def make_models(rep, n_labels, cap):
    """name -> a factory of the model."""
    finetune_epochs = max(50, 20000 // n_labels)
    models = {
        "lr": lambda: LabeledOnlyClassifier(LogisticRegression(max_iter=1000)),
        "mlp": lambda: LabeledOnlyClassifier(MLPClassifier(
            hidden_layer_sizes=(500,), max_iter=max(200, 20000 // n_labels), random_state=0)),
        "label-spreading": lambda: CappedUnlabeled(
            LabelSpreading(kernel="knn", n_neighbors=7), cap),
        "self-training": lambda: CappedUnlabeled(
            SelfTrainingClassifier(LogisticRegression(max_iter=1000)), cap),
        "nb": lambda: make_pipeline(Binarizer(threshold=0.5), SemiSupervisedNB(
            event_model="bernoulli", binarize=None, unlabeled_weight=0.0)),
        "nb-em": lambda: make_pipeline(Binarizer(threshold=0.5), SemiSupervisedNB(
            event_model="bernoulli", binarize=None, unlabeled_weight=0.1)),
        "gmm": lambda: make_pipeline(rep("pca"), GaussianMixtureClassifier(
            reg_covar=1e-2, unlabeled_weight=0.0, random_state=0)),
        "gmm-em": lambda: make_pipeline(rep("pca"), GaussianMixtureClassifier(
            reg_covar=1e-2, unlabeled_weight=0.1, random_state=0)),
        # pre-trained once and frozen, or (--refit-representations) inside the
        # fit, on every row of X: the same RBM recipe either way
        "dbn": lambda: DBNClassifier(
            hidden_layer_sizes=(500, 500), pretraining="rbm",
            init_layers=None if rep.refit else rep("dbn"),
            pretrain_n_iter=rep.settings["rbm_epochs"], pretrain_learning_rate=0.1,
            pretrain_batch_size=100,
            activation="logistic", dropout=0.3, input_dropout=0.1, alpha=1e-5,
            learning_rate_init=0.001, batch_size=100, max_iter=finetune_epochs,
            n_iter_no_change=finetune_epochs, random_state=0),
        "m1-lr": lambda: make_pipeline(rep("vae"), LabeledOnlyClassifier(
            LogisticRegression(max_iter=1000))),
        "m1-svc": lambda: make_pipeline(rep("vae"), LabeledOnlyClassifier(SVC())),
        # the DBN's top-layer features (the same pre-training) and an RBF SVC
        "dbn-svc": lambda: make_pipeline(rep("dbn"), LabeledOnlyClassifier(SVC(C=10.0))),
    }
    if M2 is not None:  # model M2 on pixels, and M1+M2: M2 on the M1 codes
        models["m2"] = lambda: M2(max_iter=rep.settings["m2_epochs"], random_state=0)
        models["m1+m2"] = lambda: make_pipeline(rep("vae"), M2(
            likelihood="gaussian_learned_variance", max_iter=rep.settings["m1_m2_epochs"],
            random_state=0))
    return models


def main(argv=None):
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--quick", action="store_true",
                        help="10,000 training rows, 3 epochs per representation, one draw")
    parser.add_argument("--labels", type=int, nargs="+", help="N, labeled training rows")
    parser.add_argument("--models", nargs="+", help="default: every model")
    parser.add_argument("--draws", type=int, help="draws of the labeled rows (cheap models)")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads")
    parser.add_argument("--unlabeled-cap", type=int, default=20000,
                        help="unlabeled rows given to label-spreading and self-training")
    parser.add_argument("--m2-epochs", type=int, help="epochs of m2 (default run: 3)")
    parser.add_argument("--m1-m2-epochs", type=int, help="epochs of m1+m2 (default run: 30)")
    parser.add_argument("--refit-representations", action="store_true",
                        help="fit the PCA, DBN and VAE inside every fit")
    args = parser.parse_args(argv)
    settings = dict(QUICK if args.quick else FULL)
    for key in ("m2_epochs", "m1_m2_epochs"):
        settings[key] = getattr(args, key) or settings[key]
    labels = args.labels or settings["labels"]
    draws = args.draws or settings["draws"]
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning,  # LabelSpreading's 0/0
                            message="invalid value encountered in divide")

    X, y = load_mnist(return_X_y=True)
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    rows = np.random.default_rng(0).permutation(len(y))[: settings["n_train"]]
    X, y = X[rows], y[rows]
    X_test, y_test = X_test[: settings["n_test"]], y_test[: settings["n_test"]]
    rep = Representations(X, settings, args.refit_representations)
    names = args.models or list(make_models(rep, labels[0], args.unlabeled_cap))
    if M2 is None:
        print("m2, m1+m2: skipped, skdeep has no SemiSupervisedVAE")
    print(f"MNIST: {len(y)} training rows (N labeled, the rest -1), {len(y_test)} test rows; "
          f"draws {draws}; BLAS threads {args.threads or 'default'}")

    errors, minutes, cpu_minutes = {}, {}, {}
    with threadpool_limits(args.threads):
        for name in names:
            minutes[name] = cpu_minutes[name] = 0.0
            for n_labels in labels:
                factory = make_models(rep, n_labels, args.unlabeled_cap)[name]
                start, cpu_start = time.perf_counter(), time.process_time()
                results = []
                for draw in range(1 if name in ONE_DRAW else draws):
                    y_partial = keep_labels(y, n_labels, seed=1000 * draw + n_labels)
                    model = factory().fit(X, y_partial)
                    results.append(100 * (1 - model.score(X_test, y_test)))
                spent = (time.perf_counter() - start) / 60
                cpu_spent = (time.process_time() - cpu_start) / 60
                minutes[name] += spent
                cpu_minutes[name] += cpu_spent
                errors[name, n_labels] = results
                print(f"  {name:16s} N={n_labels:5d}: {format_error(results):>14s}  "
                      f"({spent:.1f} min, CPU {cpu_spent:.1f} min)", flush=True)

    print()
    print(f"test error %, mean +- std over draws ({len(y)} training rows)")
    header = (f"{'model':18s}" + "".join(f"{'N=' + str(n):>16s}" for n in labels)
              + "   minutes (CPU)")
    print(header)
    for name in names:
        cells = "".join(f"{format_error(errors[name, n]):>16s}" for n in labels)
        print(f"{name:18s}{cells}   {minutes[name]:7.1f} ({cpu_minutes[name]:.1f})")
    if rep.minutes:
        print("fitted once, in the minutes of the first model using them: " + ", ".join(
            f"{name} {spent:.1f} min" for name, spent in rep.minutes.items()))
    print("Kingma et al. (2014), Table 1")
    for name, values in KINGMA.items():
        published = dict(zip(KINGMA_LABELS, values))
        cells = "".join(f"{published[n]:16.1f}" if n in published else f"{'-':>16s}"
                        for n in labels)
        print(f"{name:18s}{cells}")


def format_error(results):
    if len(results) == 1:
        return f"{results[0]:.2f}"
    return f"{np.mean(results):.2f} +- {np.std(results):.2f}"


if __name__ == "__main__":
    main()
