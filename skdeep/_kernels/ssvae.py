"""The semi-supervised VAE's own maths: model M2 of Kingma, Rezende, Mohamed &
Welling (2014).

The generative model is p(x | y, z) p(y) p(z), with a uniform class prior
p(y) = 1 / K and z ~ N(0, I); the decoder takes ``[z, one_hot(y)]``. The
inference model is q(z | x, y) (an encoder taking ``[x, one_hot(y)]``) and a
classifier q(y | x) (a network whose outputs are the logits of a softmax).

A *copy* is a pair (row of X, class): a labeled row has one, its own class; an
unlabeled row has K, one per class, so that the sum over classes of the
unlabeled bound is exact. Copies are given by ``rows`` (indices into X) and
``classes`` (class indices), and the encoder's first layer computes
``x @ W_x`` once per row of X, not once per copy: only the class's column of
``W_y`` differs between a row's copies (``W = [W_x; W_y]``).

Per row, in nats (to be maximised):

* L(x, y) = E_q(z|x,y)[log p(x | y, z)] + log p(y) - KL(q(z | x, y) || p(z))
  (paper eq. 6), one draw of z, the KL in closed form;
* U(x) = sum_y q(y | x) L(x, y) + H(q(y | x)) (eq. 7), the sum over y exact.

Networks are ``(coefs, intercepts, activations)`` triples of :mod:`.network`.
"""

import math

import numpy as np
from scipy.sparse import csr_matrix
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


def all_classes(n_rows, n_classes):
    """``(rows, classes)`` of the K copies of each of ``n_rows`` rows, class-major:
    copy ``k * n_rows + i`` is row ``i`` with class ``k``."""
    return (np.tile(np.arange(n_rows), n_classes),
            np.repeat(np.arange(n_classes), n_rows))


def classifier_log_proba(X, classifier):
    """log q(y | x) of each row, shape (n_samples, n_classes)."""
    return log_softmax(forward(X, *classifier).output, axis=1)


# ------------------------------------------------------------ the encoder
def encoder_forward(X, rows, classes, encoder):
    """Forward pass of q(z | x, y) on the copies ``(X[rows], classes)``.

    Returns ``(first, rest, output)``: the first layer's activations, the
    :class:`.network.Forward` of the layers above it (None for a one-layer
    encoder), and the output ``[mu, log_var]`` of each copy.
    """
    coefs, intercepts, activations = encoder
    n_features = X.shape[1]
    W = coefs[0]
    pre = (X @ W[:n_features])[rows]
    pre += W[n_features:][classes]
    pre += intercepts[0]
    first = ACTIVATIONS[activations[0]](pre)
    if len(coefs) == 1:
        return first, None, first
    rest = forward(first, coefs[1:], intercepts[1:], activations[1:])
    return first, rest, rest.output


def encoder_backward(X, rows, classes, first, rest, delta, encoder):
    """Gradients of the encoder from ``delta``, the loss's gradient w.r.t. each
    copy's output ``[mu, log_var]``; the copies of a row are summed before the
    product with X."""
    coefs, _, activations = encoder
    n_layers = len(coefs)
    if rest is None:
        above = Gradients([], [], [], [])
    else:
        above = backward(rest, delta, coefs[1:], activations[1:], input_delta=True)
        delta = DERIVATIVES[activations[0]](first, above.input_delta)
    n_rows, n_classes = X.shape[0], coefs[0].shape[0] - X.shape[1]
    gather = csr_matrix((np.ones(len(rows), dtype=delta.dtype), (rows, np.arange(len(rows)))),
                        shape=(n_rows, len(rows)))
    g_first = np.concatenate([X.T @ (gather @ delta),
                              one_hot(classes, n_classes, delta.dtype).T @ delta])
    return Gradients([g_first] + above.coefs, [delta.sum(axis=0)] + above.intercepts,
                     [None] * n_layers, [None] * n_layers)


def encode(X, rows, classes, encoder):
    """Posterior parameters ``(mu, log_var)`` of q(z | x, y) of each copy."""
    out = encoder_forward(X, rows, classes, encoder)[2]
    d = out.shape[1] // 2
    return out[:, :d], out[:, d:]


def decode(Z, classes, decoder, n_classes):
    """Decoder output (logits or means) of p(x | y, z) for each row of ``Z``."""
    condition = one_hot(classes, n_classes, Z.dtype)
    return forward(np.concatenate([Z, condition], axis=1), *decoder).output


# ------------------------------------------------------------ bounds
def labeled_bound(X, rows, classes, eps, encoder, decoder, likelihood, n_classes):
    """L(x, y) of each copy ``(X[rows], classes)`` with the noise ``eps``."""
    mu, log_var = encode(X, rows, classes, encoder)
    out = decode(reparameterize(mu, log_var, eps), classes, decoder, n_classes)
    return (LIKELIHOODS[likelihood].log_prob(X[rows], out) - gaussian_kl(mu, log_var)
            + log_prior(n_classes))


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
    u_rows, u_classes = all_classes(n_u, n_classes)
    rows = np.concatenate([labeled, unlabeled[u_rows]])
    classes = np.concatenate([y[labeled], u_classes])

    # q(y | x) of the unlabeled rows and of the rows to classify, in one pass
    cls = forward(np.concatenate([X[unlabeled], X_classify]), *classifier)
    log_q = log_softmax(cls.output, axis=1)
    log_q_u, log_q_c = log_q[:n_u], log_q[n_u:]
    q_u = np.exp(log_q_u)

    # every copy through q(z | x, y) and p(x | y, z), weighted by its share of the loss
    weights = np.full(len(rows), bound_weight, dtype=dtype)
    weights[n_l:] *= q_u.T.ravel()
    first, rest, out = encoder_forward(X, rows, classes, encoder)
    d = out.shape[1] // 2
    L, dec_grads, g_mu, g_log_var = posterior_elbo_gradients(
        X[rows], out[:, :d], out[:, d:], eps, decoder, weights, likelihood,
        condition=one_hot(classes, n_classes, dtype))
    L += log_prior(n_classes)
    enc_grads = encoder_backward(X, rows, classes, first, rest,
                                 np.concatenate([g_mu, g_log_var], axis=1), encoder)

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
