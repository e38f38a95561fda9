"""The types to trust when loading a fitted skdeep estimator with skops."""

import inspect


def trusted_types():
    """List the skdeep types a fitted estimator may hold, to trust in skops.

    :func:`skops.io.load` refuses every type it does not know to be safe and
    lists them with :func:`skops.io.get_untrusted_types`. A fitted skdeep
    estimator holds its own class and, to continue training with
    ``partial_fit`` or ``warm_start``, private helper objects: the state of
    its optimizer (``skdeep._kernels.optimizers``), the record of its training
    loop (``skdeep._training.History``) and batch normalization layers
    (``skdeep._kernels.network.BatchNorm``). These objects hold numbers and
    arrays only. This list names all of them; pass it as ``trusted=`` after
    checking that :func:`skops.io.get_untrusted_types` of the file lists
    nothing else. Read more in :ref:`persistence`.

    Returns
    -------
    types : list of str
        Fully qualified type names, as :func:`skops.io.get_untrusted_types`
        writes them, sorted.

    See Also
    --------
    skops.io.get_untrusted_types : The types of a file that need trust.

    Examples
    --------
    >>> import skops.io as sio
    >>> from skdeep import BernoulliRBM, trusted_types
    >>> rbm = BernoulliRBM(n_components=2, n_iter=1, random_state=0)
    >>> rbm = rbm.fit([[0, 1], [1, 0], [1, 1]])
    >>> data = sio.dumps(rbm)
    >>> set(sio.get_untrusted_types(data=data)) <= set(trusted_types())
    True
    >>> sio.loads(data, trusted=trusted_types()).transform([[0, 1]]).shape
    (1, 2)
    """
    import skdeep

    from ._kernels.network import BatchNorm
    from ._kernels.optimizers import OPTIMIZERS
    from ._training import History

    estimators = [getattr(skdeep, name) for name in skdeep.__all__]
    types = [obj for obj in estimators if inspect.isclass(obj)]
    types += [*OPTIMIZERS.values(), History, BatchNorm]
    return sorted({f"{cls.__module__}.{cls.__qualname__}" for cls in types})
