"""Image grids of filters, samples and reconstructions.

matplotlib is an optional dependency (``pip install "scikit-deep[plot]"``): it
is imported inside each function, so ``import skdeep`` never loads it.
"""

import math

import numpy as np

__all__ = ["plot_filters", "plot_images", "plot_reconstructions", "plot_samples"]

INSTALL_HINT = 'pip install "scikit-deep[plot]"'


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"skdeep.plotting needs matplotlib; install it with: {INSTALL_HINT}"
        ) from exc
    return plt


def _image_shape(n_features, image_shape):
    if image_shape is None:
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"Cannot guess the image shape of {n_features} features (not a "
                "square number); pass image_shape=(height, width)."
            )
        return side, side
    image_shape = tuple(int(s) for s in image_shape)
    if math.prod(image_shape) != n_features:
        raise ValueError(
            f"image_shape={image_shape} holds {math.prod(image_shape)} pixels, "
            f"but the rows have {n_features} features."
        )
    return image_shape


def _as_rows(X):
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
    if X.ndim == 1:
        X = X[np.newaxis]
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D array of images as rows, got shape {X.shape}.")
    return X


def _draw(ax, image, cmap, vmin, vmax):
    ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def _new_figure(fig, n_rows, n_cols):
    if fig is None:
        fig = _pyplot().figure(figsize=(0.9 * n_cols + 0.2, 0.9 * n_rows + 0.4))
    grid = fig.add_gridspec(n_rows, n_cols, wspace=0.05, hspace=0.25)
    return fig, grid


def plot_images(X, image_shape=None, *, n_cols=10, titles=None, cmap="gray_r",
                vmin=None, vmax=None, symmetric=False, fig=None):
    """Draw each row of ``X`` as an image, in a grid of ``n_cols`` columns.

    Parameters
    ----------
    X : array-like of shape (n_images, n_features)
        Images flattened row-major, one per row.
    image_shape : tuple of int, default=None
        ``(height, width)`` of an image; ``None`` takes a square of
        ``sqrt(n_features)`` pixels a side.
    n_cols : int, default=10
        Images per grid row.
    titles : list of str, default=None
        One title per image.
    cmap : str, default='gray_r'
        Matplotlib colormap.
    vmin, vmax : float, default=None
        Colour range shared by all images; ``None`` scales each image to its
        own range.
    symmetric : bool, default=False
        Scale each image to ``[-m, m]`` with ``m`` its largest absolute value,
        so zero sits in the middle of a diverging colormap (for weights).
    fig : matplotlib Figure or SubFigure, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_images,)
        One Axes per image, in the order of the rows of ``X``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from skdeep.plotting import plot_images
    >>> X = load_digits().data[:20]
    >>> axes = plot_images(X, n_cols=10)
    >>> axes.shape
    (20,)
    """
    X = _as_rows(X)
    shape = _image_shape(X.shape[1], image_shape)
    n_images = X.shape[0]
    if titles is not None and len(titles) != n_images:
        raise ValueError(f"Got {len(titles)} titles for {n_images} images.")
    n_cols = max(1, min(int(n_cols), n_images))
    n_rows = max(1, math.ceil(n_images / n_cols))
    fig, grid = _new_figure(fig, n_rows, n_cols)
    axes = np.empty(n_images, dtype=object)
    for i, row in enumerate(X):
        ax = axes[i] = fig.add_subplot(grid[i // n_cols, i % n_cols])
        lo, hi = vmin, vmax
        if symmetric:
            m = float(np.max(np.abs(row))) or 1.0
            lo, hi = -m, m
        _draw(ax, row.reshape(shape), cmap, lo, hi)
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
    return axes


def _first_layer_filters(estimator):
    """First-layer weights as rows ``(n_units, n_features)``."""
    if hasattr(estimator, "components_"):
        return np.asarray(estimator.components_)
    if hasattr(estimator, "coefs_"):
        return np.asarray(estimator.coefs_[0]).T
    if hasattr(estimator, "estimators_"):
        return _first_layer_filters(estimator.estimators_[0])
    if hasattr(estimator, "_layer_params"):
        return np.asarray(estimator._layer_params()[0]).T
    return _as_rows(estimator)


def plot_filters(estimator, image_shape=None, *, n_filters=None, n_cols=10,
                 cmap="RdBu_r", fig=None):
    """Draw the first-layer weights of a fitted estimator as images.

    Each filter is the weight vector of one hidden unit, shown on a
    diverging colormap centred at zero (red positive, blue negative).

    Parameters
    ----------
    estimator : fitted estimator or array-like of shape (n_units, n_features)
        An estimator with ``components_`` (RBMs), ``coefs_`` (the deep
        estimators, scikit-learn's MLPs) or ``estimators_`` (a stack whose
        first layer is drawn), or the weights themselves.
    image_shape : tuple of int, default=None
        ``(height, width)`` of an input image; ``None`` takes a square.
    n_filters : int, default=None
        Draw the first ``n_filters`` units; ``None`` draws them all.
    n_cols : int, default=10
        Filters per grid row.
    cmap : str, default='RdBu_r'
        Diverging matplotlib colormap.
    fig : matplotlib Figure or SubFigure, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_filters,)
        One Axes per filter.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import BernoulliRBM
    >>> from skdeep.plotting import plot_filters
    >>> X = load_digits().data / 16
    >>> rbm = BernoulliRBM(n_components=16, n_iter=2, random_state=0).fit(X)
    >>> plot_filters(rbm, n_cols=8).shape
    (16,)
    """
    W = _first_layer_filters(estimator)
    if n_filters is not None:
        W = W[:n_filters]
    return plot_images(W, image_shape, n_cols=n_cols, cmap=cmap, symmetric=True, fig=fig)


def plot_samples(estimator, n_samples=20, image_shape=None, *, n_cols=10,
                 fig=None, **sample_params):
    """Draw ``estimator.sample(n_samples, **sample_params)`` as images.

    Parameters
    ----------
    estimator : fitted estimator with a ``sample`` method
        A generative model: an RBM, a DBN, a variational autoencoder, or
        scikit-learn's :class:`~sklearn.mixture.GaussianMixture` (whose
        ``sample`` returns ``(X, y)``; the images ``X`` are drawn).
    n_samples : int, default=20
        Number of samples.
    image_shape : tuple of int, default=None
        ``(height, width)`` of an image; ``None`` takes a square.
    n_cols : int, default=10
        Images per grid row.
    fig : matplotlib Figure or SubFigure, default=None
        Where to draw; ``None`` makes a new figure.
    **sample_params : dict
        Passed to ``estimator.sample`` (e.g. ``n_steps``, ``random_state``).

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_samples,)
        One Axes per sample.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from skdeep import BernoulliRBM
    >>> from skdeep.plotting import plot_samples
    >>> X = load_digits().data / 16
    >>> rbm = BernoulliRBM(n_components=16, n_iter=2, random_state=0).fit(X)
    >>> plot_samples(rbm, 10, n_steps=10, random_state=0).shape
    (10,)
    """
    samples = estimator.sample(n_samples, **sample_params)
    if isinstance(samples, tuple):
        samples = samples[0]
    return plot_images(samples, image_shape, n_cols=n_cols, fig=fig)


def plot_reconstructions(X, *reconstructions, image_shape=None, n_images=10,
                         row_labels=None, cmap="gray_r", fig=None):
    """Draw images in a top row and their reconstructions in the rows below.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The originals.
    *reconstructions : array-like of shape (n_samples, n_features)
        One or more versions of ``X`` (noisy inputs, reconstructions), one
        grid row each, aligned image for image with ``X``.
    image_shape : tuple of int, default=None
        ``(height, width)`` of an image; ``None`` takes a square.
    n_images : int, default=10
        Columns: the first ``n_images`` rows of each array.
    row_labels : list of str, default=None
        A label at the left of each grid row.
    cmap : str, default='gray_r'
        Matplotlib colormap.
    fig : matplotlib Figure or SubFigure, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (1 + len(reconstructions), n_images)
        Row ``r`` holds the images of the ``r``-th array.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.decomposition import PCA
    >>> from skdeep.plotting import plot_reconstructions
    >>> X = load_digits().data
    >>> pca = PCA(n_components=10).fit(X)
    >>> X_rec = pca.inverse_transform(pca.transform(X))
    >>> plot_reconstructions(X, X_rec, n_images=8).shape
    (2, 8)
    """
    rows = [_as_rows(A) for A in (X, *reconstructions)]
    n_images = min(int(n_images), *(A.shape[0] for A in rows))
    shape = _image_shape(rows[0].shape[1], image_shape)
    if row_labels is not None and len(row_labels) != len(rows):
        raise ValueError(f"Got {len(row_labels)} row labels for {len(rows)} rows.")
    # one colour range per column, shared by the original and its versions
    stack = np.stack([A[:n_images] for A in rows])
    lows, highs = stack.min(axis=(0, 2)), stack.max(axis=(0, 2))
    fig, grid = _new_figure(fig, len(rows), n_images)
    axes = np.empty((len(rows), n_images), dtype=object)
    for r, A in enumerate(stack):
        for i in range(n_images):
            ax = axes[r, i] = fig.add_subplot(grid[r, i])
            _draw(ax, A[i].reshape(shape), cmap, lows[i], highs[i])
        if row_labels is not None:
            axes[r, 0].set_ylabel(row_labels[r], fontsize=8)
    return axes
