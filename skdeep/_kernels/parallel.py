"""Element-wise work split into row blocks that run on several threads.

numpy's ufunc loops release the GIL, so the element-wise passes that follow a
matrix product (activations, optimizer steps) can use the cores the product
used instead of one. Each block is computed exactly as the whole array would
be, so results do not depend on the number of threads. Arrays of other
libraries (PyTorch, CuPy) are passed whole: their libraries thread or
offload the pass themselves.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import numpy as np
from threadpoolctl import ThreadpoolController

#: the smallest row block worth handing to another thread, in elements: below
#: it the hand-off costs about as much as the pass
MIN_PARALLEL_SIZE = 1 << 14

#: a fit whose matrix products all have fewer multiply-adds (rows x inner x
#: outer) than this holds BLAS to one thread (``benchmarks/bench_threads.py``,
#: 2 cores): such a product gains at most 1.8x from a second thread, and a whole
#: fit, which also spends its time in element-wise passes and Python, under 5%
#: (``DBNClassifier().fit`` on the digits: 2.29 s against 2.37 s), while the
#: second thread, spinning when another process holds the core, costs 14-16x
SINGLE_THREAD_WORK = 1 << 24

_pool = None
_blas = None
_controller = None


def _reset_pool():
    global _pool
    _pool = None


# a forked child inherits the executor but not its threads (no fork on Windows)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_pool)


def blas_threads():
    """Threads numpy's BLAS will use for a matrix product now (honouring
    ``threadpoolctl.threadpool_limits`` and ``OPENBLAS_NUM_THREADS``-style
    variables), which is how many the element-wise passes may use too; 1 when
    no BLAS library is recognised. A query costs about a microsecond."""
    global _blas
    if _blas is None:
        _blas = _blas_controller().lib_controllers
    return max(1, min([lib.num_threads for lib in _blas] or [1]))


def _blas_controller():
    global _controller
    if _controller is None:
        _controller = ThreadpoolController().select(user_api="blas")
    return _controller


def blas_threads_for(product_size):
    """A context that holds BLAS to one thread while a loop whose largest matrix
    product has ``product_size`` multiply-adds runs, where a second thread
    gains nothing (below :data:`SINGLE_THREAD_WORK`); otherwise it does nothing.
    Results do not depend on it: each product is computed the same way."""
    if product_size >= SINGLE_THREAD_WORK or blas_threads() <= 1:
        return nullcontext()
    return _blas_controller().limit(limits=1)


def map_rows(func, arrays, n_threads=None):
    """``func(*blocks)`` over matching row blocks of ``arrays`` (same leading
    dimension), on up to ``n_threads`` threads (default :func:`blas_threads`);
    ``func`` works in place."""
    if not isinstance(arrays[0], np.ndarray):
        func(*arrays)
        return
    if n_threads is None:
        n_threads = blas_threads()
    n_rows = arrays[0].shape[0] if arrays[0].ndim else 0
    n_blocks = min(n_threads, n_rows, arrays[0].size // MIN_PARALLEL_SIZE)
    if n_blocks <= 1:
        func(*arrays)
        return
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1,
                                   thread_name_prefix="skdeep")
    bounds = [n_rows * i // n_blocks for i in range(n_blocks + 1)]
    blocks = [[a[start:stop] for a in arrays] for start, stop in zip(bounds, bounds[1:])]
    futures = [_pool.submit(func, *block) for block in blocks[1:]]
    func(*blocks[0])
    for future in futures:
        future.result()
