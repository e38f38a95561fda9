"""The command line: ``python -m skdeep compare`` (also the ``skdeep`` script)."""

import argparse
import os
import sys

import numpy as np
from sklearn.model_selection import train_test_split

from . import _compare


def _int_at_least(minimum, maximum=None):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            bounds = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
            raise argparse.ArgumentTypeError(f"must be an integer {bounds}, got {text!r}")
        return value

    return parse


def _n_jobs(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(
            f"must be a nonzero integer (a number of processes; -1: all cores), got {text!r}")
    return value


def _file_to_write(text):
    """A path whose folder exists: checked before the run, not after it."""
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"the folder {folder!r} of {text!r} does not exist")
    return text


def _model_list(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in _compare.MODEL_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown model(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from: {', '.join(_compare.MODEL_NAMES)}"
        )
    return names


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skdeep", description="Deep generative models next to their baselines."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser(
        "compare",
        help="cross-validate models on a dataset and print a table, best first",
        description="Cross-validate models on a dataset (pixels scaled to [0, 1]) and "
        "print their accuracy, best first.",
        epilog="The skdeep models marked * choose their recipe among the few named in "
        "their description: each candidate is fitted on 80%% of the training fold and "
        "scored on the other 20%% (a validation split), and the best is refitted on the "
        "whole training fold. The test fold that gives the reported accuracy takes no "
        "part in the choice. The other models run as described.",
    )
    compare.add_argument("--dataset", choices=list(_compare.DATASETS), default="digits",
                         help="digits (bundled with scikit-learn, default), mnist "
                         "(the 60k training split) or fashion-mnist")  # fmt: skip
    compare.add_argument("--models", type=_model_list, nargs="+", metavar="NAME",
                         help=f"models to compare, from: {', '.join(_compare.MODEL_NAMES)} "
                         "(default: all); comma- or space-separated")  # fmt: skip
    compare.add_argument("--cv", type=_int_at_least(2), default=5,
                         help="number of stratified folds (default 5)")  # fmt: skip
    compare.add_argument("--n-jobs", type=_n_jobs, default=None,
                         help="folds run in parallel (joblib; -1: all cores); BLAS uses one "
                         "thread per process")  # fmt: skip
    compare.add_argument("--max-samples", type=_int_at_least(1), default=None,
                         help="use a stratified random subsample of this many rows")  # fmt: skip
    compare.add_argument("--random-state", type=_int_at_least(0, 2**32 - 1), default=0,
                         help="seed of the folds, the subsample and the models "
                         "(default 0)")  # fmt: skip
    compare.add_argument("--output", type=_file_to_write, metavar="results.csv",
                         help="write the table as CSV")  # fmt: skip
    compare.add_argument("--plot", type=_file_to_write, metavar="results.png",
                         help="save a bar chart with error bars (needs matplotlib)")  # fmt: skip
    compare.add_argument("--labels", type=_int_at_least(2), default=None, metavar="N",
                         help="semi-supervised: keep N labels of each training fold (a "
                         "stratified draw, fixed by --random-state) and mark the other "
                         "rows -1; models are scored on the whole labeled test fold. "
                         "Supervised classifiers then fit on the labeled rows only, "
                         "after the steps that learn from every row")  # fmt: skip
    compare.add_argument("--dask", metavar="SCHEDULER_ADDRESS",
                         help="run the folds on a dask.distributed scheduler, or on a "
                         "LocalCluster with 'local'")  # fmt: skip
    compare.set_defaults(command_parser=compare)  # the command reports its own errors
    return parser


def _class_counts(y, n_samples, random_state):
    """Rows per class of the stratified subsample of ``n_samples`` rows of ``y``
    (as ``_compare.load_dataset`` draws it), zeros included."""
    classes = np.unique(y)
    if n_samples is not None and n_samples < len(classes):
        return np.zeros(len(classes), dtype=int)  # not even one row per class
    if n_samples is not None and n_samples < len(y):
        y = train_test_split(y, train_size=n_samples, stratify=y, random_state=random_state)[0]
    return np.array([np.count_nonzero(y == c) for c in classes])


def _check_folds(args, y, parser):
    """Exit with the command's error when the rows used leave a class with fewer
    rows than ``--cv`` folds; say what ``--max-samples`` or ``--cv`` would do."""
    smallest = _class_counts(y, args.max_samples, args.random_state).min()
    if smallest >= args.cv:
        return
    n_classes = len(np.unique(y))
    message = f"{args.cv}-fold cross-validation needs at least {args.cv} samples per class"
    if args.max_samples is None or args.max_samples >= len(y):
        parser.error(f"{message}; {args.dataset} has {smallest} in its smallest class")
    needed = next((n for n in range(args.cv * n_classes, len(y) + 1)
                   if _class_counts(y, n, args.random_state).min() >= args.cv), None)
    remedies = [] if needed is None else [f"use --max-samples {needed} or more"]
    if smallest >= 2:
        remedies.append(f"--cv {smallest}")
    parser.error(f"{message}, but --max-samples {args.max_samples} keeps {smallest} in the "
                 f"smallest of the {n_classes} classes of {args.dataset}: "
                 + ", or ".join(remedies))


def _check_labels(args, n_samples, n_classes, parser):
    """Exit with the command's error unless ``--labels`` is at least one per
    class and fewer than the rows of a training fold."""
    if args.labels is None:
        return
    fold = n_samples - -(-n_samples // args.cv)  # the smallest training fold
    if not n_classes <= args.labels < fold:
        parser.error(f"--labels {args.labels}: needs at least one label per class "
                     f"({n_classes}) and fewer than the {fold} rows of a training fold")


def run_compare(args, parser):
    models = [name for names in args.models for name in names] if args.models else None
    models = list(dict.fromkeys(models or _compare.MODEL_NAMES))
    try:
        if args.plot:
            _compare.check_matplotlib()
        X, y = _compare.load_dataset(args.dataset, None, args.random_state)
        _check_folds(args, y, parser)
        if args.max_samples is not None and args.max_samples < len(y):
            X, y = _compare.load_dataset(args.dataset, args.max_samples, args.random_state)
    except (ImportError, FileNotFoundError, ValueError) as exc:
        parser.exit(1, f"skdeep: error: {exc}\n")
    _check_labels(args, X.shape[0], len(np.unique(y)), parser)
    size = "small" if X.shape[1] <= 100 else "large"
    labels = "" if args.labels is None else f", {args.labels} labels per training fold"
    print(f"{args.dataset}: {X.shape[0]} samples, {X.shape[1]} features, "
          f"{args.cv}-fold cross-validation{labels}", flush=True)  # fmt: skip
    progress = _compare.Progress(len(models))
    try:
        results = _compare.compare(
            X, y, models, cv=args.cv, n_jobs=args.n_jobs, random_state=args.random_state,
            size=size, dask=args.dask, progress=progress, labels=args.labels,
        )  # fmt: skip
    except (ImportError, OSError) as exc:
        progress.close()
        parser.exit(1, f"skdeep: error: {exc}\n")
    progress.close()
    print(_compare.format_table(results))
    if args.output:
        _compare.write_csv(args.output, results, dataset=args.dataset, n_samples=X.shape[0],
                           cv=args.cv, labels=args.labels)  # fmt: skip
        print(f"wrote {args.output}")
    if args.plot:
        title = f"{args.dataset}, {X.shape[0]} samples, {args.cv}-fold CV{labels}"
        _compare.plot_results(args.plot, results, title)
        print(f"wrote {args.plot}")
    return 0


def main(argv=None):
    """Entry point of ``python -m skdeep`` and of the ``skdeep`` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return run_compare(args, args.command_parser)


if __name__ == "__main__":
    sys.exit(main())
