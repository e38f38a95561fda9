"""Test ELBO and importance-weighted bound of a VAE on binarized MNIST.

Trains ``VariationalAutoencoder`` on stochastically binarized MNIST (each pixel
drawn once with its intensity as probability, Salakhutdinov & Murray 2008, the
data of the RBM likelihood benchmark), then prints on the test set, in nats:

* the ELBO (one posterior draw per image, KL in closed form);
* the importance-weighted bound with K draws (Burda et al. 2016), a lower
  bound of log p(x) that tightens as K grows;
* beside them, measured in the same run, the exact test log-likelihood of the
  independent-pixel model (each pixel Bernoulli with its training mean), the
  floor any density model must beat;
* an RBM with 500 hidden units trained in the same run on the same digits for
  the same number of epochs (a recipe of ``benchmarks/rbm_mnist_loglik.py``,
  CD-1 by default) and its AIS test log-likelihood, computed by that script's
  code, with the +-3 standard error interval of log Z (``--no-rbm`` skips it);
* the published figures.

Published: Burda et al. (2016), Table 1, a VAE with one stochastic layer of 50
units and 200-200 tanh layers on each side, trained for 3280 epochs: -86.76
nats (K = 5000). Salakhutdinov & Murray (2008): an RBM with 500 hidden units,
CD-25, AIS: -86.34; CD-1: about -125.

Usage: python benchmarks/vae_mnist.py [--quick] [--epochs 50] [--n-train 60000]
       [--n-test 10000] [--n-importance 1000] [--rbm-recipe cd1 | --no-rbm]
       [--threads 1]
"""

import argparse
import time
import warnings

import numpy as np
from rbm_mnist_loglik import BATCH, N_HIDDEN, RECIPES, ais_test_log_likelihood
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from skdeep import BernoulliRBM, VariationalAutoencoder
from skdeep.datasets import binarize, load_mnist

PUBLISHED = [
    ("VAE 200-200-[50], K=5000 (Burda et al. 2016)", -86.76),
    ("RBM 500 hidden, CD-25, AIS (Salakhutdinov & Murray 2008)", -86.34),
    ("RBM 500 hidden, CD-1, AIS (Salakhutdinov & Murray 2008)", -125.0),
]
QUICK = dict(epochs=10, n_train=10000, n_test=1000, n_importance=100, ais_runs=100,
             ais_betas=2000)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help=f"reduced run: {', '.join(f'{k}={v}' for k, v in QUICK.items())}")
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--n-train", type=int, default=60000)
    p.add_argument("--n-test", type=int, default=10000)
    p.add_argument("--n-importance", type=int, default=1000,
                   help="K of the importance-weighted bound")
    p.add_argument("--encoder-layer-sizes", type=int, nargs="+", default=[200, 200])
    p.add_argument("--n-components", type=int, default=50)
    p.add_argument("--activation", default="tanh")
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rbm-recipe", default="cd1", choices=sorted(RECIPES))
    p.add_argument("--no-rbm", action="store_true")
    p.add_argument("--ais-runs", type=int, default=100)
    p.add_argument("--ais-betas", type=int, default=14500)
    p.add_argument("--threads", type=int, default=None,
                   help="BLAS threads (default: numpy's; 1 on a busy machine)")
    args = p.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            if getattr(args, key) == p.get_default(key):
                setattr(args, key, value)
    return args


def binarized_mnist(n_train, n_test, seed):
    """Stochastically binarized float32 MNIST train and test rows."""
    X_train = load_mnist(split="train", return_X_y=True)[0][:n_train]
    X_test = load_mnist(split="test", return_X_y=True)[0][:n_test]
    return (binarize(X_train, method="stochastic", random_state=seed),
            binarize(X_test, method="stochastic", random_state=seed + 1))


def independent_pixels_log_likelihood(X_train, X_test, pseudo_count=1.0):
    """Exact log p(x) of each test row under independent Bernoulli pixels with
    the (smoothed) training means."""
    p = (X_train.sum(axis=0, dtype=np.float64) + pseudo_count) / (len(X_train) + 2 * pseudo_count)
    return X_test @ np.log(p) + (1 - X_test) @ np.log1p(-p)


def rbm_log_likelihood(X_train, X_test, args):
    """Train the RBM peer and return (mean test log p, lower, upper, minutes)."""
    start = time.perf_counter()
    rbm = BernoulliRBM(N_HIDDEN, batch_size=BATCH, n_iter=args.epochs,
                       random_state=args.seed, **RECIPES[args.rbm_recipe])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rbm.fit(X_train)
    ll, lower, upper, _ = ais_test_log_likelihood(
        rbm.components_, rbm.intercept_visible_, rbm.intercept_hidden_,
        X_train.mean(axis=0, dtype=np.float64), len(X_train), X_test,
        args.ais_runs, args.ais_betas, seed=args.seed)
    return ll, lower, upper, (time.perf_counter() - start) / 60


def main(argv=None):
    args = parse_args(argv)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        run(args)


def run(args):
    start = time.perf_counter()
    X_train, X_test = binarized_mnist(args.n_train, args.n_test, args.seed)
    vae = VariationalAutoencoder(
        encoder_layer_sizes=tuple(args.encoder_layer_sizes),
        n_components=args.n_components,
        activation=args.activation,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        max_iter=args.epochs,
        verbose=1,
        random_state=args.seed,
    )
    sizes = "-".join(map(str, args.encoder_layer_sizes))
    print(f"VAE 784-{sizes}-[{args.n_components}]-"
          f"{'-'.join(map(str, args.encoder_layer_sizes[::-1]))}"
          f"-784, {args.activation}, Adam lr {args.learning_rate}, batch {args.batch_size}, "
          f"{args.epochs} epochs on {len(X_train)} binarized MNIST images, float32", flush=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        vae.fit(X_train)
    train_minutes = (time.perf_counter() - start) / 60

    t = time.perf_counter()
    elbo = vae.set_params(n_importance_samples=1).score_samples(X_test)
    iw = vae.set_params(n_importance_samples=args.n_importance).score_samples(X_test)
    score_minutes = (time.perf_counter() - t) / 60
    base = independent_pixels_log_likelihood(X_train, X_test)

    def line(label, values):
        values = np.asarray(values, dtype=np.float64)
        sem = values.std(ddof=1) / np.sqrt(len(values))
        print(f"  {label:<58s} {values.mean():9.2f} +- {sem:.2f}")

    print(f"\ntest log-likelihood bounds on {len(X_test)} test images, nats (mean +- s.e.m.):")
    line("VAE ELBO (K=1)", elbo)
    line(f"VAE importance-weighted bound (K={args.n_importance})", iw)
    line("independent pixels, exact (same run)", base)
    if not args.no_rbm:
        ll, lower, upper, rbm_minutes = rbm_log_likelihood(X_train, X_test, args)
        label = (f"RBM 500 hidden, {args.rbm_recipe}, {args.epochs} epochs, AIS "
                 f"{args.ais_runs}x{args.ais_betas} (same run)")
        print(f"  {label:<58s} {ll:9.2f}   AIS interval [{lower:.2f}, {upper:.2f}]")
    print("published:")
    for label, value in PUBLISHED:
        print(f"  {label:<58s} {value:9.2f}")
    print(f"\nIW bound - ELBO: {np.mean(iw - elbo):.2f} nats; VAE IW bound - independent "
          f"pixels: {np.mean(iw - base):.2f} nats")
    print(f"minutes: VAE training {train_minutes:.1f}, VAE scoring {score_minutes:.1f}"
          + ("" if args.no_rbm else f", RBM training and AIS {rbm_minutes:.1f}"))


if __name__ == "__main__":
    main()
