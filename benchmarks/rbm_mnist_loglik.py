"""Test log-likelihood of 500-hidden-unit RBMs on MNIST, by AIS.

Salakhutdinov & Murray (2008), "On the quantitative analysis of deep belief
networks", report -86.34 nats per test digit for an RBM with 500 hidden units
trained with CD-25 and about -125 for CD-1 (long training). This script trains
skdeep's BernoulliRBM with CD-1 and with other recipes, and scikit-learn's
BernoulliRBM for the same number of epochs, and scores every model with the
same code: the mean free energy of the 10000 test digits and log Z by
annealed importance sampling from the base-rate model of the training data,
with the +-3 standard error interval of the AIS estimate.

The digits are binarized stochastically once (fixed seed), as in the paper.

Usage:
  python benchmarks/rbm_mnist_loglik.py                 # 60000 digits, 50 epochs
  python benchmarks/rbm_mnist_loglik.py --quick         # 10000 digits, 3 epochs, short AIS
  python benchmarks/rbm_mnist_loglik.py --quick --threads 1   # on a busy machine
  python benchmarks/rbm_mnist_loglik.py --epochs 20 --n-train 60000 --recipes cd1 pcd
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.neural_network import BernoulliRBM as SklearnRBM
from threadpoolctl import threadpool_limits

from skdeep import BernoulliRBM
from skdeep._kernels import partition
from skdeep._kernels.rbm import free_energy
from skdeep.datasets import binarize, load_mnist

N_HIDDEN, BATCH = 500, 100
PUBLISHED = {"cd1": -125.0, "cd25": -86.34}  # Salakhutdinov & Murray (2008), Table 2

# skdeep recipes: Hinton's (2010) CD-1 recipe and variations on it
HINTON = dict(learning_rate=0.1, momentum="hinton", weight_decay=0.0002)
RECIPES = {
    "cd1": dict(method="cd", k=1, **HINTON),
    # PCD wants a small step so that the persistent chains stay near the model
    # (Tieleman 2008): 10 epochs on 60000 digits gave -109 nats at lr 0.01, -171 at
    # lr 0.005 with momentum 0.9; lr 0.05 gave -195 after 3 epochs on 10000
    "pcd": dict(method="pcd", k=1, learning_rate=0.01, momentum=0.5, weight_decay=0.0002,
                learning_rate_decay=0.1),
    "cd3-decay": dict(method="cd", k=3, learning_rate=0.1, momentum="hinton",
                      weight_decay=0.0002, learning_rate_decay=0.1),
    "cd10-decay": dict(method="cd", k=10, learning_rate=0.1, momentum="hinton",
                       weight_decay=0.0002, learning_rate_decay=0.1),
    "cd25-decay": dict(method="cd", k=25, learning_rate=0.1, momentum="hinton",
                       weight_decay=0.0002, learning_rate_decay=0.1),
}


def ais_test_log_likelihood(W, b, c, train_mean, n_train, X_test, n_runs, n_betas, seed):
    """(mean test log p(v), lower, upper, log Z) with log Z by AIS."""
    base = partition.base_rate_biases(train_mean, n_train)
    W, b, c = (np.asarray(a, dtype=np.float64) for a in (W, b, c))
    log_z, log_w = partition.ais_log_partition(W, b, c, base, np.random.default_rng(seed),
                                               n_runs=n_runs, n_betas=n_betas)
    lower, upper, _ = partition.log_mean_exp_interval(log_w)
    mean_neg_f = -np.mean(free_energy(X_test.astype(np.float64), W, b, c))
    # log Z's interval [lower, upper] maps to the likelihood's [.. - upper, .. - lower]
    return mean_neg_f - log_z, mean_neg_f - upper, mean_neg_f - lower, log_z


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--n-train", type=int, default=60000)
    parser.add_argument("--recipes", nargs="+", default=["cd1", "pcd", "cd10-decay"],
                        choices=sorted(RECIPES))
    parser.add_argument("--no-sklearn", action="store_true")
    parser.add_argument("--ais-runs", type=int, default=100)
    parser.add_argument("--ais-betas", type=int, default=14500)
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads (default: numpy's; 1 on a busy machine)")
    parser.add_argument("--quick", action="store_true",
                        help="10000 digits, 3 epochs, AIS with 100 runs of 2000 temperatures")
    args = parser.parse_args()
    if args.quick:
        args.epochs, args.n_train, args.ais_runs, args.ais_betas = 3, 10000, 100, 2000
    with threadpool_limits(limits=args.threads, user_api="blas"):
        run(args)


def run(args):

    begin = time.perf_counter()
    X_train = load_mnist(split="train", return_X_y=True)[0][: args.n_train]
    X_test = load_mnist(split="test", return_X_y=True)[0]
    X_train = binarize(X_train, method="stochastic", random_state=0)
    X_test = binarize(X_test, method="stochastic", random_state=1)
    train_mean = X_train.mean(axis=0, dtype=np.float64)
    print(f"MNIST stochastically binarized: {len(X_train)} training digits, {len(X_test)} test "
          f"digits; {N_HIDDEN} hidden units, batch {BATCH}, {args.epochs} epochs; AIS with "
          f"{args.ais_runs} runs of {args.ais_betas} temperatures")
    print(f"published (Salakhutdinov & Murray 2008): CD-1 about {PUBLISHED['cd1']:.0f}, "
          f"CD-25 {PUBLISHED['cd25']:.2f} nats")

    models = {f"skdeep {name}": BernoulliRBM(N_HIDDEN, batch_size=BATCH, n_iter=args.epochs,
                                             random_state=0, **RECIPES[name])
              for name in args.recipes}
    if not args.no_sklearn:
        models["scikit-learn BernoulliRBM"] = SklearnRBM(
            N_HIDDEN, learning_rate=0.1, batch_size=BATCH, n_iter=args.epochs, random_state=0)
    for name, model in models.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X_train)
        trained = time.perf_counter()
        ll, lower, upper, log_z = ais_test_log_likelihood(
            model.components_, model.intercept_visible_, model.intercept_hidden_, train_mean,
            len(X_train), X_test, args.ais_runs, args.ais_betas, seed=0)
        scored = time.perf_counter()
        print(f"{name:>28}: test log-likelihood {ll:8.2f} nats  [{lower:8.2f}, {upper:8.2f}]  "
              f"log Z {log_z:8.2f}  train {(trained - start) / 60:5.1f} min, "
              f"AIS {(scored - trained) / 60:4.1f} min", flush=True)
    print(f"total {(time.perf_counter() - begin) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
