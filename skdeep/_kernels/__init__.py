"""Pure numerical kernels: functions on arrays, no validation, no scikit-learn.

Every function takes an explicit ``numpy.random.Generator`` where it draws
random numbers, preserves the dtype of its inputs and, where it says so, writes
into an ``out=`` buffer.
"""
