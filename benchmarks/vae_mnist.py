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
* the RBM's AIS test log-likelihood from ``benchmarks/rbm_mnist_loglik.py``
  when its result file is given (``--rbm-results``), and the published figures.

Published: Burda et al. (2016), Table 1, a VAE with one stochastic layer of 50
units and 200-200 tanh layers on each side, trained for 3280 epochs: -86.76
nats (K = 5000). Salakhutdinov & Murray (2008): an RBM with 500 hidden units,
CD-25, AIS: -86.34; CD-1: about -125.

Usage: python benchmarks/vae_mnist.py [--quick] [--epochs 50] [--n-train 60000]
       [--n-test 10000] [--n-importance 1000] [--rbm-results FILE]
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skdeep import VariationalAutoencoder
from skdeep.datasets import binarize, load_mnist

PUBLISHED = [
    ("VAE 200-200-[50], K=5000 (Burda et al. 2016)", -86.76),
    ("RBM 500 hidden, CD-25, AIS (Salakhutdinov & Murray 2008)", -86.34),
    ("RBM 500 hidden, CD-1, AIS (Salakhutdinov & Murray 2008)", -125.0),
]
QUICK = dict(epochs=10, n_train=10000, n_test=1000, n_importance=100)


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
    p.add_argument("--rbm-results", type=Path,
                   help="JSON written by benchmarks/rbm_mnist_loglik.py")
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


def rbm_figures(path):
    """``[(label, value)]`` of the RBM benchmark's result file, or a note."""
    if path is None:
        return [], "not given (--rbm-results; see benchmarks/rbm_mnist_loglik.py)"
    if not path.exists():
        return [], f"{path} not found; run benchmarks/rbm_mnist_loglik.py first"
    results = json.loads(path.read_text())
    rows = results if isinstance(results, list) else results.get("results", [results])
    figures = []
    for row in rows:
        if "test_loglik" in row:
            figures.append((row.get("name", "RBM"), float(row["test_loglik"])))
    return figures, f"read from {path}"


def main(argv=None):
    args = parse_args(argv)
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
    print(f"VAE 784-{sizes}-[{args.n_components}]-{'-'.join(map(str, args.encoder_layer_sizes[::-1]))}"
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
    figures, note = rbm_figures(args.rbm_results)
    print(f"RBM AIS log-likelihood: {note}")
    for label, value in figures:
        print(f"  {label:<58s} {value:9.2f}")
    print("published:")
    for label, value in PUBLISHED:
        print(f"  {label:<58s} {value:9.2f}")
    print(f"\nIW bound - ELBO: {np.mean(iw - elbo):.2f} nats; VAE IW bound - independent "
          f"pixels: {np.mean(iw - base):.2f} nats")
    print(f"minutes: training {train_minutes:.1f}, scoring {score_minutes:.1f}")


if __name__ == "__main__":
    main()
