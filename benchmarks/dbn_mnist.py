"""MNIST test error of the 784-500-500-2000-10 deep belief network, pre-trained or not.

Hinton & Salakhutdinov (2006) report 1.2% test error for this network
pre-trained as a DBN and fine-tuned by back-propagation, and 1.6% for the same
network trained from random weights; Vincent et al. (2010) report 1.28% for a
stacked denoising autoencoder (SdA-3, with 1000-unit layers). This script
trains the same architecture three ways with :class:`skdeep.DBNClassifier`:

* ``rbm``: Hinton's pre-training recipe (DESIGN.md): CD-1, batch 100, learning
  rate 0.1, momentum 0.5 then 0.9 after 5 epochs, weight decay 0.0002, each
  layer trained on the hidden probabilities of the one below (30 sweeps per
  layer as in Hinton, Osindero & Teh 2006 rather than the autoencoder's 50,
  to keep within the time budget; ``--pretrain-epochs 50`` for those);
* ``none``: random (Xavier) initialisation, no pre-training;
* ``denoising``: stacked denoising autoencoders (masking noise 0.25), same
  schedule;

then fine-tunes the whole net with back-propagation on the 60,000 training
images and reports the error on the 10,000 test images, the published figure
next to it, and wall minutes. Fine-tuning, the same for the three variants:
Adam, batch 100, learning rate 0.001 divided by 1 + 0.3 epoch, dropout 0.3 on
the hidden units and 0.1 on the inputs, L2 penalty 1e-5. On a validation split
(the last 10,000 training images, 30-epoch pre-training) Adam with a decaying
step reaches about 1.4% with or without this dropout (dropout as Srivastava
et al. 2014 fine-tuned DBNs); momentum SGD (0.01) and Adam at a constant
0.0001 are still at 2.7% and 1.7% after 10 epochs. Momentum SGD,
or conjugate gradient on batches of 1000 as Hinton & Salakhutdinov did, with
``--optimizer`` (CG costs about six times as much per epoch).

The default run (30 pre-training epochs per layer, 20 fine-tuning epochs) is
sized for about 40 minutes on 2 unloaded cores; ``--quick`` trains on 10,000
images with 5 pre-training and 10 fine-tuning epochs and projects the default
run's time from its own measured throughput.

``--device cuda`` (any PyTorch device) runs the same recipe on PyTorch tensors
on that device, through scikit-learn's array API dispatch: the images (float32)
and labels live there, and so does every step of pre-training and
fine-tuning (``--optimizer cg`` excepted, which works on the host).

Usage: python benchmarks/dbn_mnist.py [--quick] [--variants rbm none denoising]
       [--n-train 60000] [--pretrain-epochs 30] [--finetune-epochs 20]
       [--optimizer adam|momentum|cg] [--learning-rate-decay 0.3]
       [--dropout 0.3] [--input-dropout 0.1] [--device cuda] [--verbose]
"""

import argparse
import os
import sys
import time
import warnings

if "--device" in sys.argv:  # array API dispatch: before SciPy is imported
    os.environ.setdefault("SCIPY_ARRAY_API", "1")

from skdeep import DBNClassifier
from skdeep.datasets import load_mnist

HIDDEN = (500, 500, 2000)
PUBLISHED = {
    "rbm": ("1.2% (Hinton & Salakhutdinov 2006)", 1.2),
    "none": ("1.6% (Hinton & Salakhutdinov 2006)", 1.6),
    "denoising": ("1.28% (SdA-3, Vincent et al. 2010)", 1.28),
}
FULL = dict(n_train=60000, pretrain_epochs=30, finetune_epochs=20)
QUICK = dict(n_train=10000, pretrain_epochs=5, finetune_epochs=10)


class ProgressBar:
    """Stands in for ``sys.stdout``: counts the estimator's verbose lines (a
    pre-trained layer counts ``layer_epochs``, a fine-tuning epoch one) and
    redraws one bar on stderr (or echoes the lines with ``echo``)."""

    def __init__(self, total, layer_epochs, echo=False, width=30):
        self.total, self.layer_epochs = total, layer_epochs
        self.echo, self.width = echo, width
        self.done, self.stage, self.start = 0, "", time.perf_counter()
        self._partial = ""
        self._stdout = sys.stdout

    def __enter__(self):
        sys.stdout = self
        return self

    def __exit__(self, *exc):
        sys.stdout = self._stdout
        sys.stderr.write("\n")
        return False

    def write(self, text):
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            if self.echo:
                self._stdout.write(line + "\n")
            if "] epoch" in line:
                self.done += 1
            elif line.startswith("[pretraining] layer"):
                self.done += self.layer_epochs
            self.draw()
        return len(text)

    def flush(self):
        self._stdout.flush()

    def draw(self):
        filled = int(self.width * min(self.done / self.total, 1))
        minutes = (time.perf_counter() - self.start) / 60
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
                         f"{self.done}/{self.total} epochs, {minutes:5.1f} min, {self.stage}   ")
        sys.stderr.flush()


def make_classifier(variant, args):
    finetune = dict(optimizer=args.optimizer, max_iter=args.finetune_epochs,
                    tol=0.0, n_iter_no_change=args.finetune_epochs + 1,
                    learning_rate_decay=args.learning_rate_decay, dropout=args.dropout,
                    input_dropout=args.input_dropout)
    if args.optimizer == "cg":
        finetune.update(batch_size=1000)
    elif args.optimizer == "adam":
        finetune.update(batch_size=100, learning_rate_init=0.001)
    else:
        finetune.update(batch_size=100, learning_rate_init=0.1, momentum=0.9)
    # L2 penalty 1e-5 on the mean loss of a batch (alpha is scaled by the batch)
    finetune["alpha"] = 1e-5 * finetune["batch_size"]
    return DBNClassifier(
        hidden_layer_sizes=HIDDEN,
        pretraining=None if variant == "none" else variant,
        pretrain_n_iter=args.pretrain_epochs, pretrain_learning_rate=0.1,
        pretrain_batch_size=100, pretrain_k=1, pretrain_momentum="hinton",
        pretrain_weight_decay=0.0002, activation="logistic", verbose=1,
        random_state=args.seed, **finetune,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="10000 training images, 5 pre-training and 10 fine-tuning epochs")
    parser.add_argument("--variants", nargs="+", default=["rbm", "none", "denoising"],
                        choices=list(PUBLISHED))
    parser.add_argument("--n-train", type=int)
    parser.add_argument("--pretrain-epochs", type=int)
    parser.add_argument("--finetune-epochs", type=int)
    parser.add_argument("--optimizer", default="adam", choices=["adam", "momentum", "cg"])
    parser.add_argument("--learning-rate-decay", type=float, default=0.3,
                        help="fine-tuning step size: lr / (1 + decay * epoch)")
    parser.add_argument("--dropout", type=float, default=0.3, help="hidden units, fine-tuning")
    parser.add_argument("--input-dropout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", help="a PyTorch device (cuda, cpu): tensors there, "
                        "array API dispatch on")
    parser.add_argument("--verbose", action="store_true", help="print every epoch's line")
    args = parser.parse_args()
    preset = QUICK if args.quick else FULL
    for key, value in preset.items():
        if getattr(args, key) is None:
            setattr(args, key, value)

    X_train, y_train = load_mnist(split="train", return_X_y=True)
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    X_train, y_train = X_train[: args.n_train], y_train[: args.n_train]
    if args.device:
        import sklearn
        import torch

        sklearn.set_config(array_api_dispatch=True)
        X_train, X_test = (torch.asarray(X, dtype=torch.float32, device=args.device)
                           for X in (X_train, X_test))
        y_train, y_test = (torch.asarray(y, device=args.device) for y in (y_train, y_test))
        print(f"PyTorch tensors on {X_train.device}, array API dispatch on")
    print(f"MNIST: {len(X_train)} training / {len(X_test)} test images, float32; "
          f"784-{'-'.join(map(str, HIDDEN))}-10; {args.pretrain_epochs} pre-training "
          f"epochs per layer, {args.finetune_epochs} fine-tuning epochs ({args.optimizer}, "
          f"decay {args.learning_rate_decay}, dropout {args.dropout}/{args.input_dropout})")

    results = []
    for variant in args.variants:
        clf = make_classifier(variant, args)
        n_pre = 0 if variant == "none" else len(HIDDEN) * args.pretrain_epochs
        bar = ProgressBar(n_pre + args.finetune_epochs, args.pretrain_epochs,
                          echo=args.verbose)
        bar.stage = variant
        start = time.perf_counter()
        with bar, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: fixed epoch budget
            clf.fit(X_train, y_train)
        minutes = (time.perf_counter() - start) / 60
        error = 100 * (1 - clf.score(X_test, y_test))
        results.append((variant, error, minutes, n_pre))
        print(f"{variant:>10}: test error {error:.2f}%  (published {PUBLISHED[variant][0]}), "
              f"{minutes:.1f} wall minutes", flush=True)

    total = sum(m for _, _, m, _ in results)
    print(f"total: {total:.1f} wall minutes")
    for variant, error, _, _ in results:
        published = PUBLISHED[variant][1]
        print(f"{variant:>10}: error / published = {error / published:.2f}")
    if (args.n_train, args.pretrain_epochs, args.finetune_epochs) != tuple(FULL.values()):
        # work scales with rows x epochs: project the default run's wall time
        scale_pre = (FULL["n_train"] * FULL["pretrain_epochs"]
                     / (args.n_train * args.pretrain_epochs))
        scale_ft = (FULL["n_train"] * FULL["finetune_epochs"]
                    / (args.n_train * args.finetune_epochs))
        print(f"reduced run; the default run would take about "
              f"{_projected(results, scale_pre, scale_ft, args):.0f} wall minutes "
              "at this run's throughput")


def _projected(results, scale_pre, scale_ft, args):
    """Projected minutes: the 'none' run times fine-tuning alone; the rest is
    pre-training (assumed when 'none' was not run: fine-tuning = half)."""
    by_variant = {v: m for v, _, m, _ in results}
    finetune = by_variant.get("none")
    total = 0.0
    for variant, minutes in by_variant.items():
        ft = finetune if finetune is not None else (minutes if variant == "none" else minutes / 2)
        ft = min(ft, minutes)
        total += ft * scale_ft + (minutes - ft) * scale_pre
    return total


if __name__ == "__main__":
    main()
