"""Speed of skdeep's RBM kernels on a PyTorch device against a plain PyTorch loop, in one run.

784 -> 500 units, float32, PCD-1 and CD-1, batches of 100 and 1000, one epoch
over 60000 binary rows (binarized MNIST when it is installed, else binarized
digits upscaled to 28x28) held on the device. Both sides make the same
updates: each epoch a permutation drawn on the device, each batch gathered by
that permutation, the CD-1 or PCD-1 gradient and a plain gradient step.

* skdeep: ``skdeep._kernels.rbm.cd_gradient`` with a ``CDWorkspace`` on the
  device, the step of ``skdeep._kernels.optimizers.SGD``, random numbers from
  skdeep's random seam (a ``torch.Generator`` on the device);
* plain PyTorch: the textbook loop, ``torch.sigmoid`` and ``torch.rand`` with
  fresh tensors at every batch.

With ``--numpy``, skdeep's same kernels on numpy arrays on the host (the CPU
path, BLAS threads as ``--threads``) are a third contestant.

They are timed alternately, epoch after epoch (the device synchronized before
and after each), after one untimed epoch each, and the medians are compared.
Prints samples/s of each and the ratio of skdeep's time to plain PyTorch's;
the targets are skdeep within 1.5x of plain PyTorch at batch 100 and within
1.2x at 1000.

Usage: python benchmarks/bench_gpu.py [--device cuda] [--n-samples 60000]
       [--batch-sizes 100 1000] [--methods pcd cd] [--repeats 5] [--n-hidden 500]
       [--threads N] [--numpy]
"""

import argparse
import statistics
import time

import numpy as np
import torch
from bench_rbm import binary_data
from threadpoolctl import threadpool_limits

from skdeep._kernels import draws
from skdeep._kernels.optimizers import SGD
from skdeep._kernels.rbm import CDWorkspace, cd_gradient

LEARNING_RATE = 0.01
TARGETS = {100: 1.5, 1000: 1.2}


def initial_params(n_visible, n_hidden, device, seed=0):
    rng = np.random.default_rng(seed)
    W = 0.01 * rng.standard_normal((n_hidden, n_visible))
    return [torch.asarray(a, dtype=torch.float32, device=device)
            for a in (W, np.zeros(n_visible), np.zeros(n_hidden))]


def skdeep_epoch(X, params, chain, ws, rng, optimizer, batch_size):
    """One epoch of skdeep's kernels: gather into the workspace, gradient, step."""
    W, b, c = params
    order = draws.permutation(rng, X.shape[0])
    on_torch = isinstance(X, torch.Tensor)
    for start in range(0, X.shape[0], batch_size):
        rows = order[start : start + batch_size]
        out = ws.V[: rows.shape[0]]
        v0 = (torch.index_select(X, 0, rows, out=out) if on_torch
              else np.take(X, rows, axis=0, out=out))
        grads = cd_gradient(v0, W, b, c, rng, ws, chain=chain)
        optimizer.step(params, grads)


def plain_epoch(X, params, chain, gen, batch_size):
    """One epoch of the textbook PyTorch CD-1 / PCD-1 loop (chain None: CD-1)."""
    W, b, c = params
    order = torch.randperm(X.shape[0], generator=gen, device=X.device)
    for start in range(0, X.shape[0], batch_size):
        v0 = X[order[start : start + batch_size]]
        n = v0.shape[0]
        ph0 = torch.sigmoid(torch.addmm(c, v0, W.T))
        h = chain[:n] if chain is not None else (
            torch.rand(ph0.shape, generator=gen, device=X.device) < ph0).float()
        pv = torch.sigmoid(torch.addmm(b, h, W))
        vk = (torch.rand(pv.shape, generator=gen, device=X.device) < pv).float()
        phk = torch.sigmoid(torch.addmm(c, vk, W.T))
        if chain is not None:
            chain[:n] = (torch.rand(phk.shape, generator=gen, device=X.device) < phk).float()
        W -= LEARNING_RATE * (phk.T @ vk - ph0.T @ v0) / n
        b -= LEARNING_RATE * (vk - v0).mean(0)
        c -= LEARNING_RATE * (phk - ph0).mean(0)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def compare(X, method, batch_size, n_hidden, repeats, host=False):
    """Median seconds per epoch of skdeep's kernels, of the plain loop and,
    with ``host``, of skdeep's kernels on numpy."""
    device = X.device
    n_visible = X.shape[1]
    sk_params = initial_params(n_visible, n_hidden, device)
    plain_params = initial_params(n_visible, n_hidden, device)
    pcd = method == "pcd"
    sk_chain = torch.zeros(batch_size, n_hidden, device=device) if pcd else None
    plain_chain = torch.zeros(batch_size, n_hidden, device=device) if pcd else None
    ws = CDWorkspace(batch_size, n_visible, n_hidden, X.dtype, like=X)
    rng = draws.generator(0, like=X)
    optimizer = SGD(sk_params, LEARNING_RATE)
    gen = torch.Generator(device=device)
    gen.manual_seed(0)
    runs = {
        "skdeep": lambda: skdeep_epoch(X, sk_params, sk_chain, ws, rng, optimizer, batch_size),
        "plain PyTorch": lambda: plain_epoch(X, plain_params, plain_chain, gen, batch_size),
    }
    if host:
        X_np = X.cpu().numpy()
        np_params = [p.cpu().numpy() for p in initial_params(n_visible, n_hidden, "cpu")]
        np_chain = np.zeros((batch_size, n_hidden), dtype=np.float32) if pcd else None
        np_ws = CDWorkspace(batch_size, n_visible, n_hidden, np.float32)
        np_rng, np_optimizer = np.random.default_rng(0), SGD(np_params, LEARNING_RATE)
        runs["skdeep on numpy"] = lambda: skdeep_epoch(
            X_np, np_params, np_chain, np_ws, np_rng, np_optimizer, batch_size)
    times = {name: [] for name in runs}
    for rep in range(repeats + 1):
        order = list(runs) if rep % 2 == 0 else list(runs)[::-1]
        for name in order:
            synchronize(device)
            start = time.perf_counter()
            runs[name]()
            synchronize(device)
            if rep > 0:  # the first epoch warms up kernels and allocator
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--n-samples", type=int, default=60000)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--methods", nargs="+", choices=["pcd", "cd"], default=["pcd", "cd"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-hidden", type=int, default=500)
    parser.add_argument("--threads", type=int, default=None,
                        help="PyTorch CPU threads and numpy's BLAS threads")
    parser.add_argument("--numpy", action="store_true",
                        help="time skdeep's kernels on numpy arrays on the host too")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        run(args)


def run(args):
    device = torch.device(args.device)
    X_host, name = binary_data(args.n_samples)
    X = torch.asarray(X_host, device=device)
    label = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"data: {X.shape[0]} rows of {name}, float32, on {device} ({label}); "
          f"{X.shape[1]} -> {args.n_hidden}, one epoch per run, {args.repeats} alternating "
          f"repetitions; torch {torch.__version__}")
    for method in args.methods:
        for batch_size in args.batch_sizes:
            seconds = compare(X, method, batch_size, args.n_hidden, args.repeats, args.numpy)
            rates = "  ".join(f"{who} {X.shape[0] / t:9.0f} samples/s"
                              for who, t in seconds.items())
            ratio = seconds["skdeep"] / seconds["plain PyTorch"]
            target = TARGETS.get(batch_size)
            verdict = "" if target is None else (
                f" (target <= {target}x: {'met' if ratio <= target else 'NOT met'})")
            print(f"{method.upper()}-1 batch {batch_size:5d}: {rates}  "
                  f"skdeep time / plain time {ratio:.2f}x{verdict}")


if __name__ == "__main__":
    main()
