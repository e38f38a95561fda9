"""Fine-tuning speed of DBNClassifier against scikit-learn's MLPClassifier, in one run.

The same network (784-500-500-10, logistic hidden units, softmax output), the
same optimizer (Adam, learning rate 0.001), batch size (100), L2 penalty and
float32 data (``--sparse``: as a CSR matrix, whose first-layer products both
libraries compute from the stored values); ``pretraining=None`` so that only
back-propagation is timed. Each
fit runs ``--epochs`` epochs. The two estimators are timed alternately,
repetition after repetition, and the medians compared, so load on the machine
hits both alike. Prints samples/s of each (from wall-clock time) and the ratio
skdeep / scikit-learn (target >= 1.0), and the same ratio from the process's
CPU time, which load from other processes disturbs less.

Usage: python benchmarks/bench_finetune.py [--repeats 5] [--n-samples 20000]
       [--epochs 2] [--dtype float32] [--sparse] [--quick]
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier

from skdeep import DBNClassifier

HIDDEN, BATCH = (500, 500), 100


def data(n_samples):
    """``n_samples`` rows of 784 pixels in [0, 1], labels, and the data's name."""
    try:
        from skdeep.datasets import load_mnist

        X, y = load_mnist(split="train", return_X_y=True)
        return X[:n_samples], y[:n_samples], "MNIST"
    except (ImportError, FileNotFoundError):
        digits = load_digits()
        images = np.pad(np.kron(digits.images / 16.0, np.ones((3, 3))),
                        ((0, 0), (2, 2), (2, 2)))
        X = np.resize(images.reshape(len(images), -1), (n_samples, 784))
        y = np.resize(digits.target, n_samples)
        return X, y, "digits upscaled to 28x28"


def estimators(seed, epochs):
    common = dict(hidden_layer_sizes=HIDDEN, activation="logistic", batch_size=BATCH,
                  learning_rate_init=0.001, alpha=1e-4, max_iter=epochs, shuffle=True,
                  random_state=seed, tol=0.0, n_iter_no_change=epochs + 1)
    return {
        "skdeep": DBNClassifier(pretraining=None, optimizer="adam", init="xavier", **common),
        "scikit-learn": MLPClassifier(solver="adam", **common),
    }


def time_fits(X, y, repeats, epochs):
    """Median wall and CPU seconds of each estimator's fit, alternating their order."""
    wall = {"skdeep": [], "scikit-learn": []}
    cpu = {"skdeep": [], "scikit-learn": []}
    for rep in range(repeats):
        models = estimators(rep, epochs)
        order = list(models) if rep % 2 == 0 else list(models)[::-1]
        for name in order:
            start, start_cpu = time.perf_counter(), time.process_time()
            models[name].fit(X, y)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    median = {name: statistics.median(t) for name, t in wall.items()}
    median_cpu = {name: statistics.median(t) for name, t in cpu.items()}
    return median, median_cpu, models


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--sparse", action="store_true", help="the data as a CSR matrix")
    parser.add_argument("--quick", action="store_true", help="3 repeats of 5000 rows, 1 epoch")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.n_samples, args.epochs = 3, 5000, 1

    X, y, name = data(args.n_samples)
    X = X.astype(args.dtype)
    n = len(X)
    if args.sparse:
        X = sp.csr_matrix(X)
        name += f" as CSR ({X.nnz / np.prod(X.shape):.0%} stored)"
    print(f"data: {n} rows of {name}, {args.dtype}; 784-{'-'.join(map(str, HIDDEN))}-10 "
          f"logistic, Adam, batch {BATCH}, {args.epochs} epoch(s) per fit, "
          f"{args.repeats} alternating repetitions")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of the short fits
        medians, medians_cpu, models = time_fits(X, y, args.repeats, args.epochs)
    rates = {k: n * args.epochs / t for k, t in medians.items()}
    for k in ("skdeep", "scikit-learn"):
        acc = models[k].score(X, y)
        print(f"{k:>13}: {rates[k]:9.0f} samples/s  ({medians[k]:.2f} s per fit, "
              f"{medians_cpu[k]:.2f} CPU s, "
              f"training accuracy {acc:.3f}, coef dtype {models[k].coefs_[0].dtype})")
    print(f"ratio skdeep / scikit-learn: {rates['skdeep'] / rates['scikit-learn']:.2f} "
          "(target >= 1.0)")
    print(f"ratio by CPU time: {medians_cpu['scikit-learn'] / medians_cpu['skdeep']:.2f}")


if __name__ == "__main__":
    main()
