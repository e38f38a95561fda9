"""Training speed of skdeep's BernoulliRBM against scikit-learn's, in one run.

784 -> 500 units, float32, batch 100, PCD-1, one epoch over 20000 binary rows
(binarized MNIST when it is installed, else binarized digits upscaled to 28x28).
The two estimators are timed alternately, repetition after repetition, and the
medians are compared, so load on the machine hits both alike.

Effective GFLOP/s counts the matrix products of a PCD-1 update: v0 W^T, h W,
vk W^T and the weight gradient [v0; vk]^T [h0; hk] (twice as many rows), that is
5 * 2 * n_visible * n_hidden flop per sample. It is set against numpy's own
float32 matrix product measured in the same run, at the products' shapes and on
a large square product.

Peak extra memory of ``fit`` (tracemalloc, numpy reports its buffers to it) is
compared with one float32 copy of X plus the per-batch buffers.

Usage: python benchmarks/bench_rbm.py [--repeats 5] [--n-samples 20000] [--threads N] [--quick]
"""

import argparse
import statistics
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.neural_network import BernoulliRBM as SklearnRBM
from threadpoolctl import threadpool_info, threadpool_limits

from skdeep import BernoulliRBM
from skdeep._kernels.rbm import CDWorkspace

N_VISIBLE, N_HIDDEN, BATCH = 784, 500, 100


def binary_data(n_samples):
    """``n_samples`` binary float32 rows of 784 pixels and the data's name."""
    try:
        from skdeep.datasets import load_mnist

        X = load_mnist(split="train", return_X_y=True)[0][:n_samples]
        name = "MNIST"
    except (ImportError, FileNotFoundError):
        digits = load_digits().images / 16.0  # 8x8 -> 24x24 -> padded to 28x28
        X = np.pad(np.kron(digits, np.ones((3, 3))), ((0, 0), (2, 2), (2, 2)))
        X = np.resize(X.reshape(len(X), -1), (n_samples, N_VISIBLE))
        name = "digits upscaled to 28x28"
    return (X > 0.5).astype(np.float32), f"binarized {name}"


def estimators(seed):
    common = dict(n_components=N_HIDDEN, learning_rate=0.1, batch_size=BATCH,
                  n_iter=1, random_state=seed)
    return {
        "skdeep": BernoulliRBM(method="pcd", k=1, **common),
        "scikit-learn": SklearnRBM(**common),
    }


def matmul_gflops(shapes, repeats=20):
    """numpy float32 GFLOP/s over the product shapes ``[(m, k, n), ...]``."""
    rng = np.random.default_rng(0)
    operands = [(rng.random((m, k), dtype=np.float32), rng.random((k, n), dtype=np.float32))
                for m, k, n in shapes]
    flop = sum(2 * m * k * n for m, k, n in shapes)
    for a, b in operands:
        a @ b
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for a, b in operands:
            a @ b
        times.append(time.perf_counter() - start)
    return flop / statistics.median(times) / 1e9


def time_fits(X, repeats):
    """Median wall-clock and CPU seconds of one-epoch fits per estimator,
    alternating their order."""
    wall = {"skdeep": [], "scikit-learn": []}
    cpu = {"skdeep": [], "scikit-learn": []}
    for rep in range(repeats):
        models = estimators(rep)
        order = list(models) if rep % 2 == 0 else list(models)[::-1]
        for name in order:
            start, start_cpu = time.perf_counter(), time.process_time()
            models[name].fit(X)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    median = statistics.median
    return ({name: median(t) for name, t in wall.items()},
            {name: median(t) for name, t in cpu.items()})


def peak_fit_memory(model, X):
    """Peak bytes traced during ``model.fit(X)`` above what was allocated before."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    model.fit(X)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads for both estimators (default: numpy's)")
    parser.add_argument("--quick", action="store_true", help="3 repeats of 5000 rows")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.n_samples = 3, 5000
    with threadpool_limits(limits=args.threads, user_api="blas"):
        run(args)


def run(args):

    X, name = binary_data(args.n_samples)
    n = len(X)
    threads = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    print(f"data: {n} rows of {name}, float32; {N_VISIBLE} -> {N_HIDDEN}, batch {BATCH}, "
          f"PCD-1, one epoch per fit, {args.repeats} alternating repetitions, "
          f"BLAS threads {threads}")
    shapes = [(BATCH, N_VISIBLE, N_HIDDEN), (BATCH, N_HIDDEN, N_VISIBLE),
              (BATCH, N_VISIBLE, N_HIDDEN), (N_HIDDEN, 2 * BATCH, N_VISIBLE)]
    gflops_shapes = matmul_gflops(shapes)
    gflops_square = matmul_gflops([(2048, 2048, 2048)], repeats=5)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, cpu_seconds = time_fits(X, args.repeats)
    flop_per_sample = 5 * 2 * N_VISIBLE * N_HIDDEN
    for est, t in seconds.items():
        rate = n / t
        print(f"{est:>12}: {rate:9.0f} samples/s  {t:6.3f} s/epoch  "
              f"{rate * flop_per_sample / 1e9:6.1f} effective GFLOP/s "
              f"({rate * flop_per_sample / 1e9 / gflops_shapes:.0%} of numpy's matmul "
              f"at these shapes)  CPU {cpu_seconds[est]:6.3f} s/epoch")
    print(f"ratio skdeep / scikit-learn: {seconds['scikit-learn'] / seconds['skdeep']:.2f}x "
          f"wall clock, {cpu_seconds['scikit-learn'] / cpu_seconds['skdeep']:.2f}x CPU time")
    print(f"numpy float32 matmul: {gflops_shapes:.1f} GFLOP/s at the update's shapes, "
          f"{gflops_square:.1f} GFLOP/s at 2048^3")

    ws = CDWorkspace(BATCH, N_VISIBLE, N_HIDDEN, np.float32)
    batch_bytes = sum(a.nbytes for a in vars(ws).values())
    budget = X.nbytes + batch_bytes + 2 * ws.grad_W.nbytes  # + parameters, one update temp
    for est, model in estimators(0).items():
        peak = peak_fit_memory(model, X)
        print(f"{est:>12}: peak extra memory during fit {peak / 2**20:7.1f} MiB "
              f"(one float32 copy of X {X.nbytes / 2**20:.1f} MiB + batch buffers "
              f"{(budget - X.nbytes) / 2**20:.1f} MiB = {budget / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()
