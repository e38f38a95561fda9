"""
=======================================================
CD-1, CD-k and PCD measured by the exact log-likelihood
=======================================================

Contrastive divergence does not follow the gradient of the likelihood: it
replaces the model's expectation by a chain of ``k`` Gibbs steps started at
the data. Persistent contrastive divergence keeps its chains across updates.
Which one gives the better model?

With 12 hidden units the partition function is a sum of ``2**12`` terms,
computed exactly, so :meth:`skdeep.BernoulliRBM.score` is the exact mean
log-likelihood in nats. We train the same small RBM on binarized digits with
CD-1, CD-10 and PCD-1 (with Hinton's momentum schedule: 0.5, then 0.9 from
the sixth epoch), and PCD-1 once more with momentum kept at 0.5, one epoch at a
time with
:meth:`~skdeep.BernoulliRBM.partial_fit`, and measure it after every epoch.

See :ref:`rbm_training` and :ref:`rbm_evaluation` in the user guide.
"""

# %%
# Binarized digits
# ----------------
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skdeep import BernoulliRBM

X, _ = load_digits(return_X_y=True)
X = (X > 7).astype(float)
X_train, X_test = train_test_split(X, test_size=0.3, random_state=0)

# %%
# Train with each method, scoring after every epoch
# -------------------------------------------------
methods = {
    "CD-1": dict(method="cd", k=1, momentum="hinton"),
    "CD-10": dict(method="cd", k=10, momentum="hinton"),
    "PCD-1": dict(method="pcd", k=1, momentum="hinton"),
    "PCD-1, momentum 0.5": dict(method="pcd", k=1, momentum=0.5),
}
n_epochs = 30
curves = {}
for name, params in methods.items():
    rbm = BernoulliRBM(n_components=12, learning_rate=0.02, batch_size=20,
                       random_state=0, **params)
    train, test = [], []
    for epoch in range(n_epochs):
        rbm.partial_fit(X_train)
        train.append(rbm.score(X_train))
        test.append(rbm.score(X_test))
    curves[name] = (train, test)
    print(f"{name:20s} exact log-likelihood after {n_epochs} epochs: "
          f"train {train[-1]:.2f}, test {test[-1]:.2f} nats")
print(f"log Z of the last model: {rbm.log_partition().log_z:.2f} "
      f"({rbm.log_partition().method})")

# %%
# Draw the learning curves
# ------------------------
fig, ax = plt.subplots(figsize=(6, 4))
for (name, (train, test)), color in zip(curves.items(), ["C0", "C1", "C2", "C3"]):
    epochs = range(1, n_epochs + 1)
    ax.plot(epochs, train, color=color, label=f"{name} train")
    ax.plot(epochs, test, color=color, linestyle="--", label=f"{name} test")
ax.set_xlabel("epoch")
ax.set_ylabel("exact mean log-likelihood (nats)")
ax.set_title("RBM with 12 hidden units on binarized digits")
ax.set_ylim(-30, -18)
ax.legend(ncol=2, fontsize=8, loc="lower right")
fig.tight_layout()

# %%
# CD-10 spends ten times the Gibbs steps of CD-1 per update and gets closer
# to the true gradient, which shows as a slightly higher likelihood. PCD-1
# costs the same as CD-1, but its persistent chains only describe the model
# if the model changes slowly compared with how fast the chains mix: once the
# momentum rises to 0.9 the parameters run ahead of the chains, the negative
# statistics go stale and the likelihood falls back. With the momentum kept
# at 0.5 PCD learns again. On a model this small, whose chains mix well, CD
# loses little; PCD pays off on larger models, where a chain started at the
# data never reaches the far-away modes CD fails to suppress. The test curves
# follow the training ones: with 12 hidden units the model is far too small to
# overfit 1257 images.
