"""The semi-supervised VAE's own maths: model M2 of Kingma, Rezende, Mohamed &
Welling (2014).

The generative model is p(x | y, z) p(y) p(z), with a uniform class prior
p(y) = 1 / K and z ~ N(0, I); the decoder takes ``[z, one_hot(y)]``. The
inference model is q(z | x, y) (an encoder taking ``[x, one_hot(y)]``) and a
classifier q(y | x) (a network whose outputs are the logits of a softmax).

A *copy* is a pair (row of X, class): a labeled row has one, its own class; an
unlabeled row has K, one per class, so that the sum over classes of the
unlabeled bound is exact. The layout is fixed: the first ``len(y)`` rows of X
are labeled, with the classes ``y``, and come first, one copy each; the other
rows follow class-major (copy ``n_labeled + k * n_unlabeled + i`` is unlabeled
row ``i`` with class ``k``). The encoder's first layer computes ``x @ W_x``
once per row of X, not once per copy: only the class's row of ``W_y`` differs
between a row's copies (``W = [W_x; W_y]``).

Per row, in nats (to be maximised):

* L(x, y) = E_q(z|x,y)[log p(x | y, z)] + log p(y) - KL(q(z | x, y) || p(z))
  (paper eq. 6), one draw of z, the KL in closed form;
* U(x) = sum_y q(y | x) L(x, y) + H(q(y | x)) (eq. 7), the sum over y exact.

Networks are ``(coefs, intercepts, activations)`` triples of :mod:`.network`.
The functions here take numpy arrays only (the estimator has no array API
support); the ELBO pass they share with the VAE (:mod:`.vae`) takes any
namespace.
"""

import math

import numpy as np
from scipy.special import log_softmax

from .activations import ACTIVATIONS, DERIVATIVES
from .network import Gradients, backward, forward
from .vae import LIKELIHOODS, gaussian_kl, posterior_elbo_gradients, reparameterize


def one_hot(classes, n_classes, dtype):
    """(len(classes), n_classes) indicator matrix of the class indices ``classes``."""
    out = np.zeros((len(classes), n_classes), dtype=dtype)
    out[np.arange(len(classes)), classes] = 1
    return out


def log_prior(n_classes):
    """log p(y) of the uniform class prior."""
    return -math.log(n_classes)


def copy_classes(y, n_rows, n_classes):
    """The class of each copy of ``n_rows`` rows whose first ``len(y)`` are
    labeled with ``y`` (see the layout above)."""
    return np.concatenate([y, np.repeat(np.arange(n_classes), n_rows - len(y))])


def copy_rows(A, n_labeled, n_classes):
    """The row of ``A`` of each copy: the labeled rows, then the others K times."""
    return np.concatenate([A[:n_labeled], np.tile(A[n_labeled:], (n_classes, 1))])


def sum_copies(A, n_labeled, n_classes):
    """The sum over each row's copies of the per-copy rows ``A``."""
    n_rest = (A.shape[0] - n_labeled) // n_classes
    rest = A[n_labeled:].reshape(n_classes, n_rest, A.shape[1]).sum(axis=0)
    return np.concatenate([A[:n_labeled], rest])


def classifier_log_proba(X, classifier):
    """log q(y | x) of each row, shape (n_samples, n_classes)."""
    return log_softmax(forward(X, *classifier).output, axis=1)


# ------------------------------------------------------------ the encoder
def encoder_forward(X, y, encoder, n_classes):
    """Forward pass of q(z | x, y) on the copies of the rows of ``X`` (the
    first ``len(y)`` labeled with ``y``).

    Returns ``(first, rest, output)``: the first layer's activations, the
    :class:`.network.Forward` of the layers above it (None for a one-layer
    encoder), and the output ``[mu, log_var]`` of each copy.
    """
    coefs, intercepts, activations = encoder
    n_features = X.shape[1]
    W = coefs[0]
    pre = copy_rows(X @ W[:n_features], len(y), n_classes)
    pre += W[n_features:][copy_classes(y, X.shape[0], n_classes)]
    pre += intercepts[0]
    first = ACTIVATIONS[activations[0]](pre)
    if len(coefs) == 1:
        return first, None, first
    rest = forward(first, coefs[1:], intercepts[1:], activations[1:])
    return first, rest, rest.output


def encoder_backward(X, y, first, rest, delta, encoder, n_classes):
    """Gradients of the encoder from ``delta``, the loss's gradient w.r.t. each
    copy's output ``[mu, log_var]``; a row's copies are summed before the
    product with X."""
    coefs, _, activations = encoder
    n_layers = len(coefs)
    if rest is None:
        above = Gradients([], [], [], [])
    else:
        above = backward(rest, delta, coefs[1:], activations[1:], input_delta=True)
        delta = DERIVATIVES[activations[0]](first, above.input_delta)
    classes = one_hot(copy_classes(y, X.shape[0], n_classes), n_classes, delta.dtype)
    g_first = np.concatenate([X.T @ sum_copies(delta, len(y), n_classes), classes.T @ delta])
    return Gradients([g_first] + above.coefs, [delta.sum(axis=0)] + above.intercepts,
                     [None] * n_layers, [None] * n_layers)


def encode(X, y, encoder, n_classes):
    """Posterior parameters ``(mu, log_var)`` of q(z | x, y) of each copy."""
    out = encoder_forward(X, y, encoder, n_classes)[2]
    d = out.shape[1] // 2
    return out[:, :d], out[:, d:]


def decode(Z, classes, decoder, n_classes):
    """Decoder output (logits or means) of p(x | y, z) for each row of ``Z``."""
    condition = one_hot(classes, n_classes, Z.dtype)
    return forward(np.concatenate([Z, condition], axis=1), *decoder).output


# ------------------------------------------------------------ bounds
def labeled_bound(X, y, eps, encoder, decoder, likelihood, n_classes):
    """L(x, y) of each copy of the rows of ``X`` (the first ``len(y)`` labeled
    with ``y``, the others once per class) with the noise ``eps``."""
    mu, log_var = encode(X, y, encoder, n_classes)
    classes = copy_classes(y, X.shape[0], n_classes)
    out = decode(reparameterize(mu, log_var, eps), classes, decoder, n_classes)
    return (LIKELIHOODS[likelihood].log_prob(copy_rows(X, len(y), n_classes), out)
            - gaussian_kl(mu, log_var) + log_prior(n_classes))


def unlabeled_bound(L, log_q):
    """U(x) = sum_y q(y | x) (L(x, y) - log q(y | x)) per row, from ``L`` and
    ``log_q`` of shape (n_samples, n_classes)."""
    return np.sum(np.exp(log_q) * (L - log_q), axis=1)


def objective_gradients(X, y, X_classify, y_classify, eps, encoder, decoder, classifier,
                        likelihood, n_classes, bound_weight, classification_weight):
    """The M2 objective on a minibatch and its gradients (paper eq. 9).

    The loss minimised is

    ``bound_weight * (sum_labeled -L(x, y) + sum_unlabeled -U(x))
    + classification_weight * mean_classify -log q(y | x)``,

    the bound over the rows of ``X`` (``y`` the class index of each row, -1
    where unlabeled) and the classification term over the labeled rows
    ``(X_classify, y_classify)``, which may be other rows than those of ``X``.

    ``eps`` holds the noise of each copy: the labeled rows of X in order, then
    the unlabeled rows class-major (see :func:`all_classes`), so it has
    ``n_labeled + n_classes * n_unlabeled`` rows.

    Returns ``(bound, nll, encoder_gradients, decoder_gradients,
    classifier_gradients)``: the bound of each row of X (L or U), the
    ``-log q(y | x)`` of each row of ``X_classify``, and the gradients as
    :class:`.network.Gradients`.
    """
    dtype = X.dtype
    labeled = np.flatnonzero(y >= 0)
    unlabeled = np.flatnonzero(y < 0)
    n_l, n_u = len(labeled), len(unlabeled)
    X_sorted, y_l = X[np.concatenate([labeled, unlabeled])], y[labeled]

    # q(y | x) of the unlabeled rows and of the rows to classify, in one pass
    cls = forward(np.concatenate([X[unlabeled], X_classify]), *classifier)
    log_q = log_softmax(cls.output, axis=1)
    log_q_u, log_q_c = log_q[:n_u], log_q[n_u:]
    q_u = np.exp(log_q_u)

    # every copy through q(z | x, y) and p(x | y, z), weighted by its share of the loss
    weights = np.full(n_l + n_classes * n_u, bound_weight, dtype=dtype)
    weights[n_l:] *= q_u.T.ravel()
    first, rest, out = encoder_forward(X_sorted, y_l, encoder, n_classes)
    d = out.shape[1] // 2
    classes = copy_classes(y_l, n_l + n_u, n_classes)
    L, dec_grads, g_mu, g_log_var = posterior_elbo_gradients(
        copy_rows(X_sorted, n_l, n_classes), out[:, :d], out[:, d:], eps, decoder,
        likelihood, weights=weights, condition=one_hot(classes, n_classes, dtype))
    L += log_prior(n_classes)
    enc_grads = encoder_backward(X_sorted, y_l, first, rest,
                                 np.concatenate([g_mu, g_log_var], axis=1), encoder, n_classes)

    bound = np.empty(X.shape[0], dtype=dtype)
    bound[labeled] = L[:n_l]
    L_u = L[n_l:].reshape(n_classes, n_u).T
    U = unlabeled_bound(L_u, log_q_u)
    bound[unlabeled] = U
    # d(-U)/d logits = -q (L - log q - U); d(-log q_y)/d logits = q - one_hot(y)
    delta_u = q_u * (L_u - log_q_u - U[:, None])
    delta_u *= -bound_weight
    n_c = X_classify.shape[0]
    delta_c = np.exp(log_q_c)
    delta_c -= one_hot(y_classify, n_classes, dtype)
    delta_c *= classification_weight / max(n_c, 1)
    cls_grads = backward(cls, np.concatenate([delta_u, delta_c]), classifier[0], classifier[2])
    nll = -log_q_c[np.arange(n_c), y_classify]
    return bound, nll, enc_grads, dec_grads, cls_grads
