"""Pure numerical kernels: functions on arrays, no validation, no scikit-learn.

Every function works in the namespace of the arrays it is given (numpy, or
PyTorch, CuPy and array-api-strict through the array API standard: see
:mod:`.backend`, the one seam between the kernels and array libraries), on
their device, and takes an explicit generator where it draws random numbers
(a ``numpy.random.Generator`` for numpy, else one of :mod:`.draws`, the one
source of random numbers). It preserves the dtype of its inputs and, where it
says so, writes into an ``out=`` buffer.
"""
