"""BLAS threads for small matrix products: where a second thread pays, and a fit on a busy machine.

Part 1 times numpy's matrix product at the shapes of minibatch training
(rows x inner x outer, float64) on one BLAS thread and on all of them,
alternately, and prints the ratio: below the crossover a second thread gains
nothing, which is where ``skdeep._kernels.parallel.SINGLE_THREAD_WORK`` holds a
fit to one thread.

Part 2 fits ``DBNClassifier()`` on the digits while another process keeps one
core busy (``--busy``, default on), three ways: with skdeep's own thread choice,
with BLAS held to one thread (the reference), and with every product allowed
all BLAS threads (what skdeep did before it chose). It prints the median
seconds of each and the ratios to the one-thread time (target: skdeep's choice
within 1.5x of one thread).

Usage: python benchmarks/bench_threads.py [--repeats 5] [--no-busy] [--part 1 2]
"""

import argparse
import multiprocessing
import statistics
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

import skdeep._kernels.parallel as parallel
from skdeep import DBNClassifier

SHAPES = [(20, 64, 128), (100, 64, 128), (200, 128, 128), (100, 784, 128), (200, 784, 128),
          (100, 784, 500), (200, 500, 500), (1000, 784, 500)]


def spin(stop):
    while not stop.is_set():
        pass


def time_product(a, b, repeats):
    out = np.empty((a.shape[0], b.shape[1]))
    start = time.perf_counter()
    for _ in range(repeats):
        np.matmul(a, b, out=out)
    return (time.perf_counter() - start) / repeats


def part_products(repeats):
    n_threads = parallel.blas_threads()
    print(f"matrix products, float64: one BLAS thread against {n_threads} (median of "
          f"{repeats} alternating rounds)")
    print(f"{'rows x inner x outer':>22} {'multiply-adds':>14} {'1 thread us':>12} "
          f"{'all us':>10} {'all / 1':>8}")
    rng = np.random.default_rng(0)
    for rows, inner, outer in SHAPES:
        a, b = rng.random((rows, inner)), rng.random((inner, outer))
        inner_repeats = max(1, int(2e8 // (rows * inner * outer)))
        one, many = [], []
        for _ in range(repeats):
            with threadpool_limits(1, "blas"):
                one.append(time_product(a, b, inner_repeats))
            many.append(time_product(a, b, inner_repeats))
        t1, tn = statistics.median(one), statistics.median(many)
        print(f"{f'{rows} x {inner} x {outer}':>22} {rows * inner * outer:>14,d} "
              f"{1e6 * t1:>12.1f} {1e6 * tn:>10.1f} {tn / t1:>8.2f}", flush=True)
    print(f"skdeep holds a fit to one thread below {parallel.SINGLE_THREAD_WORK:,d} "
          "multiply-adds per product")


def part_fit(repeats, busy):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    stop = multiprocessing.Event()
    spinner = multiprocessing.Process(target=spin, args=(stop,)) if busy else None
    if spinner is not None:
        spinner.start()
    times = {"skdeep's choice": [], "one thread": [], "all threads": []}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for _ in range(repeats):
                for label in times:
                    start = time.perf_counter()
                    if label == "one thread":
                        with threadpool_limits(1, "blas"):
                            DBNClassifier(random_state=0).fit(X, y)
                    elif label == "all threads":
                        saved, parallel.SINGLE_THREAD_WORK = parallel.SINGLE_THREAD_WORK, 0
                        try:
                            DBNClassifier(random_state=0).fit(X, y)
                        finally:
                            parallel.SINGLE_THREAD_WORK = saved
                    else:
                        DBNClassifier(random_state=0).fit(X, y)
                    times[label].append(time.perf_counter() - start)
    finally:
        stop.set()
        if spinner is not None:
            spinner.join()
    print("\nDBNClassifier().fit(digits), "
          f"{'one core kept busy by another process' if busy else 'no other load'}, "
          f"median of {repeats}:")
    reference = statistics.median(times["one thread"])
    for label, values in times.items():
        median = statistics.median(values)
        print(f"{label:>16}: {median:7.2f} s   {median / reference:5.2f}x the one-thread time")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-busy", action="store_true", help="no competing process in part 2")
    parser.add_argument("--part", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if 1 in args.part:
        part_products(args.repeats)
    if 2 in args.part:
        part_fit(args.repeats, busy=not args.no_busy)


if __name__ == "__main__":
    main()
