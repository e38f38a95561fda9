import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skdeep import BernoulliRBM  # noqa: E402
from skdeep.plotting import (  # noqa: E402
    plot_filters,
    plot_images,
    plot_reconstructions,
    plot_samples,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def drawn(ax):
    """The array an Axes shows (its single image)."""
    assert len(ax.images) == 1
    return np.asarray(ax.images[0].get_array())


def test_import_skdeep_does_not_import_matplotlib():
    code = (
        "import sys, skdeep, skdeep.plotting; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plot_images_draws_each_row_reshaped(rng):
    X = rng.random((7, 12))
    axes = plot_images(X, image_shape=(3, 4), n_cols=3)
    fig = axes[0].figure
    assert len(fig.axes) == 7
    assert axes.shape == (7,)
    for ax, row in zip(axes, X):
        np.testing.assert_array_equal(drawn(ax), row.reshape(3, 4))
    # 3 columns: the 4th image starts the second grid row
    spec = axes[3].get_subplotspec()
    assert (spec.rowspan.start, spec.colspan.start) == (1, 0)


def test_plot_images_guesses_square_shape_and_rejects_others(rng):
    axes = plot_images(rng.random((2, 16)))
    assert drawn(axes[0]).shape == (4, 4)
    with pytest.raises(ValueError, match="image_shape"):
        plot_images(rng.random((2, 15)))
    with pytest.raises(ValueError, match="holds 12 pixels"):
        plot_images(rng.random((2, 16)), image_shape=(3, 4))


def test_plot_images_titles_and_shared_range(rng):
    X = rng.random((3, 4))
    axes = plot_images(X, titles=["a", "b", "c"], vmin=0, vmax=1)
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    assert all(ax.images[0].get_clim() == (0, 1) for ax in axes)
    with pytest.raises(ValueError, match="2 titles for 3 images"):
        plot_images(X, titles=["a", "b"])


def test_plot_images_into_given_subfigure(rng):
    fig = plt.figure()
    left, right = fig.subfigures(1, 2)
    plot_images(rng.random((4, 4)), fig=left)
    plot_images(rng.random((2, 4)), fig=right)
    assert len(left.axes) == 4 and len(right.axes) == 2
    assert len(fig.axes) == 6


def test_plot_filters_uses_components_with_symmetric_scale(digits):
    X, _ = digits
    rbm = BernoulliRBM(n_components=6, n_iter=1, random_state=0).fit(X[:200])
    axes = plot_filters(rbm, n_cols=3)
    assert len(axes) == 6
    for ax, w in zip(axes, rbm.components_):
        np.testing.assert_array_equal(drawn(ax), w.reshape(8, 8))
        m = np.abs(w).max()
        np.testing.assert_allclose(ax.images[0].get_clim(), (-m, m))


def test_plot_filters_reads_coefs_and_stacks(rng):
    class Net:  # coefs_ as the deep estimators and MLPs store them: (n_in, n_out)
        coefs_ = [rng.standard_normal((9, 4)), rng.standard_normal((4, 2))]

    class Stack:
        estimators_ = [Net()]

    for est in (Net(), Stack()):
        axes = plot_filters(est, n_filters=3)
        assert len(axes) == 3
        np.testing.assert_array_equal(drawn(axes[2]), Net.coefs_[0][:, 2].reshape(3, 3))


def test_plot_samples_calls_sample_and_unpacks_tuples(rng):
    class Model:
        def __init__(self, tuple_output):
            self.tuple_output = tuple_output

        def sample(self, n_samples, random_state=None):
            self.called_with = (n_samples, random_state)
            X = np.arange(n_samples * 4.0).reshape(n_samples, 4)
            return (X, np.zeros(n_samples)) if self.tuple_output else X

    for tuple_output in (False, True):
        model = Model(tuple_output)
        axes = plot_samples(model, 5, random_state=3)
        assert model.called_with == (5, 3)
        assert len(axes) == 5
        np.testing.assert_array_equal(drawn(axes[4]), [[16, 17], [18, 19]])


def test_plot_reconstructions_rows_and_shared_column_range(rng):
    X, R1, R2 = rng.random((3, 5, 9))
    axes = plot_reconstructions(X, R1, R2, n_images=4, row_labels=["x", "r1", "r2"])
    assert axes.shape == (3, 4)
    assert len(axes[0, 0].figure.axes) == 12
    for r, A in enumerate((X, R1, R2)):
        for i in range(4):
            np.testing.assert_array_equal(drawn(axes[r, i]), A[i].reshape(3, 3))
    assert [axes[r, 0].get_ylabel() for r in range(3)] == ["x", "r1", "r2"]
    column = np.stack([X[1], R1[1], R2[1]])
    for r in range(3):
        assert axes[r, 1].images[0].get_clim() == (column.min(), column.max())
    with pytest.raises(ValueError, match="row labels"):
        plot_reconstructions(X, R1, row_labels=["x"])


def test_missing_matplotlib_names_the_extra(monkeypatch, rng):
    # a None entry in sys.modules makes ``import matplotlib.pyplot`` raise ImportError
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "scikit-deep\[plot\]"'):
        plot_images(rng.random((2, 4)))
