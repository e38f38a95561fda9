"""Speed of one autoencoder layer's pre-training against scikit-learn, in one run.

The same one-hidden-layer autoencoder in both libraries: ``--n-components``
rectifier units, untied encoder and decoder weights, linear output, squared
error, Adam at 0.001 and minibatches of 20 rows (the 'auto' pre-training
batch of a small data set), on ``--n-samples`` rows of ``--n-features``
columns in [0, 1]. scikit-learn's peer is ``MLPRegressor`` fitted to map the
rows to themselves. A last row times the layer ``DBNClassifier()``
pre-trains by default on such rows (a denoising autoencoder: masking noise,
tied weights, cross-entropy), which has no scikit-learn peer. Each fit runs
``--epochs`` epochs; the estimators are timed alternately and the medians
compared, so load on the machine hits both alike. Prints milliseconds per
update of each and the ratio scikit-learn / skdeep of updates per second
(target >= 1.0).

Usage: python benchmarks/bench_pretrain.py [--n-samples 200] [--n-features 2000]
       [--n-components 128] [--epochs 30] [--repeats 5]
"""

import argparse
import statistics
import time
import warnings

import numpy as np
from sklearn.neural_network import MLPRegressor

from skdeep import Autoencoder

BATCH = 20


def estimators(n_components, epochs, seed):
    common = dict(batch_size=BATCH, random_state=seed, shuffle=True)
    return {
        "skdeep": Autoencoder(n_components, activation="relu", loss="squared_error",
                              tied=False, optimizer="adam", learning_rate=0.001,
                              n_iter=epochs, **common),
        "scikit-learn": MLPRegressor(hidden_layer_sizes=(n_components,), activation="relu",
                                     solver="adam", learning_rate_init=0.001, alpha=0.0,
                                     max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
                                     **common),
        "skdeep denoising": Autoencoder(n_components, activation="relu", noise="masking",
                                        optimizer="adam", learning_rate=0.001,
                                        n_iter=epochs, **common),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200)
    parser.add_argument("--n-features", type=int, default=2000)
    parser.add_argument("--n-components", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X = np.random.default_rng(0).random((args.n_samples, args.n_features))
    updates = args.epochs * -(-args.n_samples // BATCH)
    print(f"data: {args.n_samples} rows x {args.n_features} columns in [0, 1], float64; "
          f"{args.n_components} hidden units, batch {BATCH}, {updates} updates per fit, "
          f"{args.repeats} alternating repetitions")
    seconds = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of the short fits
        for rep in range(args.repeats):
            models = estimators(args.n_components, args.epochs, rep)
            order = list(models) if rep % 2 == 0 else list(models)[::-1]
            for name in order:
                start = time.perf_counter()
                if name == "scikit-learn":
                    models[name].fit(X, X)
                else:
                    models[name].fit(X)
                seconds.setdefault(name, []).append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in seconds.items()}
    for name, t in median.items():
        print(f"{name:>17}: {t / updates * 1e3:6.2f} ms per update ({t:.2f} s per fit)")
    print(f"ratio scikit-learn / skdeep (same autoencoder): "
          f"{median['scikit-learn'] / median['skdeep']:.2f} (target >= 1.0)")


if __name__ == "__main__":
    main()
