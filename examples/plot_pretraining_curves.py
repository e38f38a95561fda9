"""
==========================================
Pre-training against none: training curves
==========================================

Does greedy layer-wise pre-training help backpropagation? We build the same
three-hidden-layer network of logistic units three times, pre-trained as a
deep belief network (``pretraining='rbm'``), as a stack of denoising
autoencoders (``'denoising'``), or not at all (``None``: random weights,
Xavier scaling), and fine-tune each one epoch at a time with plain
stochastic gradient descent, measuring the training loss and the test
accuracy after every epoch.

See :ref:`pretraining` and :ref:`fine_tuning` in the user guide.
"""

# %%
# Fine-tune one epoch at a time
# -----------------------------
# The first :meth:`~skdeep.DBNClassifier.partial_fit` call builds the network
# (and pre-trains it); each call is then one epoch of fine-tuning.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

from skdeep import DBNClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0)

n_epochs = 40
curves = {}
for pretraining in ["rbm", "denoising", None]:
    clf = DBNClassifier(
        hidden_layer_sizes=(100, 100, 100), pretraining=pretraining,
        activation="logistic", init="xavier",
        pretrain_n_iter=20, pretrain_batch_size=20, optimizer="sgd",
        learning_rate_init=0.5,
        batch_size=50, alpha=0.0, random_state=0)
    loss, accuracy = [], []
    for epoch in range(n_epochs):
        clf.partial_fit(X_train, y_train, classes=np.arange(10))
        loss.append(log_loss(y_train, clf.predict_proba(X_train)))
        accuracy.append(clf.score(X_test, y_test))
    curves[str(pretraining)] = (loss, accuracy)
    print(f"pretraining={pretraining!s:9s} after {n_epochs} epochs: "
          f"training loss {loss[-1]:.3f}, test accuracy {accuracy[-1]:.3f}")

# %%
# Draw the curves
# ---------------
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.5))
epochs = np.arange(1, n_epochs + 1)
for name, (loss, accuracy) in curves.items():
    ax_loss.plot(epochs, loss, label=f"pretraining={name}")
    ax_acc.plot(epochs, accuracy, label=f"pretraining={name}")
ax_loss.set_yscale("log")
ax_loss.set_xlabel("fine-tuning epoch")
ax_loss.set_ylabel("training log-loss")
ax_acc.set_xlabel("fine-tuning epoch")
ax_acc.set_ylabel("test accuracy")
ax_acc.set_ylim(0.0, 1.0)
ax_acc.legend()
fig.tight_layout()

# %%
# From random weights, the gradient reaching the bottom layers of a deep
# logistic network is tiny, and plain SGD spends its first epochs at chance
# (10% accuracy), moving only once the top layers have sorted themselves out.
# Both pre-trained networks start from weights that already describe the
# digits and learn at once: the stack of denoising autoencoders, trained
# here on the reconstruction itself, gives the best start, the DBN a good
# one. With enough epochs or a modern optimizer such as Adam the random
# network catches up on a problem this small; pre-training buys the head
# start, and on deeper networks and harder data the better end point too.
