"""The 784-1000-500-250-30 deep autoencoder of Hinton & Salakhutdinov (2006) on MNIST.

Prints the average squared reconstruction error per test image,
``mean_i ||x_i - r_i||^2`` over the 10,000 test images (pixels in [0, 1]), next
to the paper's 3.00, and the same figure for scikit-learn's ``PCA(30)`` fitted on
the same training rows in the same run (paper: 13.87), with wall minutes.

Recipe (DESIGN.md): RBM pre-training by CD-1, batch 100, learning rate 0.1
(0.001 for the linear code layer), momentum 0.5 then 0.9, weight decay 0.0002;
then fine-tuning of the unrolled net on cross-entropy. The paper pre-trained 50
epochs per layer and fine-tuned 200 epochs by conjugate gradient; the default
run is cut to 20 pre-training epochs and 60 Adam epochs to stay under an hour on
2 cores (see ``--pretrain-epochs``, ``--epochs`` and ``--optimizer cg
--batch-size 1000`` for the paper's settings). Budget: one pre-training epoch
of all four RBMs is 5 * 2 * 1.42M flop per image (0.85 TFLOP over 60,000
images), one fine-tuning epoch 6 * 2.83M flop per image (1.0 TFLOP); at the
~90 GFLOP/s the RBM reaches on 2 cores that is about 3 + 12 minutes.

Usage: python benchmarks/autoencoder_mnist.py [--quick] [--pretrain-epochs 20]
       [--epochs 60] [--optimizer adam] [--n-train 60000]
"""

import argparse
import sys
import time

import numpy as np
from sklearn.decomposition import PCA

from skdeep import DBNAutoencoder
from skdeep.datasets import load_mnist

PAPER_AUTOENCODER, PAPER_PCA = 3.00, 13.87
SIZES = (1000, 500, 250, 30)


def mean_squared_error_per_image(X, R):
    D = R - X
    return float(np.einsum("ij,ij->", D, D, dtype=np.float64)) / X.shape[0]


def progress(done, total, start, loss, width=30):
    """One line, redrawn in place: a bar, epochs, minutes since epoch 1 ended and
    the remaining minutes at that pace, the epoch's training loss."""
    elapsed = time.perf_counter() - start
    left = f"~{elapsed / (done - 1) * (total - done) / 60:4.1f} min left" if done > 1 else ""
    filled = int(width * done / total)
    sys.stdout.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] epoch {done}/{total}  "
        f"{elapsed / 60:5.1f} min {left}, loss {loss:.3f}  "
    )
    sys.stdout.flush()
    if done == total:
        sys.stdout.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="10,000 training rows, 2 pre-training and 3 fine-tuning epochs, "
                             "2,000 test rows (a few minutes)")
    parser.add_argument("--n-train", type=int, default=60000)
    parser.add_argument("--n-test", type=int, default=10000)
    parser.add_argument("--pretrain-epochs", type=int, default=20, help="per layer (paper: 50)")
    parser.add_argument("--epochs", type=int, default=60, help="fine-tuning (paper: 200)")
    parser.add_argument("--optimizer", default="adam",
                        help="fine-tuning optimizer; 'cg' is the paper's (use --batch-size 1000)")
    parser.add_argument("--learning-rate", type=float, default=0.001)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quick:
        args.n_train, args.n_test = min(args.n_train, 10000), min(args.n_test, 2000)
        args.pretrain_epochs, args.epochs = 2, 3

    X_train = load_mnist(split="train", return_X_y=True)[0][: args.n_train]
    X_test = load_mnist(split="test", return_X_y=True)[0][: args.n_test]
    print(f"MNIST float32: {len(X_train)} training and {len(X_test)} test images; "
          f"784-{'-'.join(map(str, SIZES))}, {args.pretrain_epochs} pre-training epochs "
          f"per layer, {args.epochs} fine-tuning epochs of {args.optimizer} "
          f"(batch {args.batch_size})", flush=True)

    start = time.perf_counter()
    pca = PCA(n_components=SIZES[-1], random_state=args.seed).fit(X_train)
    pca_error = mean_squared_error_per_image(X_test, pca.inverse_transform(pca.transform(X_test)))
    pca_minutes = (time.perf_counter() - start) / 60

    start = time.perf_counter()
    ae = DBNAutoencoder(
        SIZES, pretraining="rbm", pretrain_n_iter=args.pretrain_epochs,
        pretrain_batch_size=100, optimizer=args.optimizer,
        learning_rate_init=args.learning_rate, batch_size=args.batch_size,
        random_state=args.seed, verbose=1,
    )
    # the first call pre-trains (one line per layer), unrolls and runs epoch 1
    ae.partial_fit(X_train)
    pretrained_minutes = (time.perf_counter() - start) / 60
    ae.set_params(verbose=0)
    tune_start = time.perf_counter()
    progress(1, args.epochs, tune_start, ae.loss_curve_[-1])
    for epoch in range(2, args.epochs + 1):
        ae.partial_fit(X_train)
        progress(epoch, args.epochs, tune_start, ae.loss_curve_[-1])
    ae_minutes = (time.perf_counter() - start) / 60
    ae_error = mean_squared_error_per_image(X_test, ae.inverse_transform(ae.transform(X_test)))

    print(f"\n{'model':<34}{'error/image':>12}{'paper':>8}{'ratio':>8}{'minutes':>9}")
    print(f"{'DBNAutoencoder 784-1000-500-250-30':<34}{ae_error:12.2f}{PAPER_AUTOENCODER:8.2f}"
          f"{ae_error / PAPER_AUTOENCODER:8.2f}{ae_minutes:9.1f}")
    print(f"{'PCA(30)':<34}{pca_error:12.2f}{PAPER_PCA:8.2f}"
          f"{pca_error / PAPER_PCA:8.2f}{pca_minutes:9.1f}")
    print(f"autoencoder error / PCA error in this run: {ae_error / pca_error:.3f} "
          f"(paper: {PAPER_AUTOENCODER / PAPER_PCA:.3f}); pre-training took "
          f"{pretrained_minutes:.1f} min of the autoencoder's {ae_minutes:.1f}")


if __name__ == "__main__":
    main()
