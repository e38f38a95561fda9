"""
==================================================
Choosing a pre-training strategy with GridSearchCV
==================================================

The deep estimators share one ``pretraining`` parameter, so the strategy is
a hyperparameter like any other: :class:`~sklearn.model_selection.GridSearchCV`
compares a deep belief network (``'rbm'``), a stacked autoencoder
(``'autoencoder'``), a stacked denoising autoencoder (``'denoising'``) and no
pre-training (``None``) by cross-validation, together with the depth of the
network.

See :ref:`pretraining` in the user guide.
"""

# %%
# The search
# ----------
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skdeep import DBNClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
# a fixed budget of fine-tuning epochs; do not warn that it could go on
warnings.filterwarnings("ignore", category=ConvergenceWarning)

clf = DBNClassifier(activation="logistic", init="xavier", pretrain_n_iter=10,
                    pretrain_batch_size=20, optimizer="sgd", learning_rate_init=0.5,
                    batch_size=50, max_iter=15, random_state=0)
param_grid = {
    "pretraining": ["rbm", "autoencoder", "denoising", None],
    "hidden_layer_sizes": [(100,), (100, 100)],
}
search = GridSearchCV(clf, param_grid,
                      cv=StratifiedKFold(3, shuffle=True, random_state=0))
search.fit(X, y)
print("best:", search.best_params_, f"accuracy {search.best_score_:.3f}")

# %%
# The results
# -----------
results = pd.DataFrame(search.cv_results_)
results["pretraining"] = [str(p["pretraining"]) for p in results["params"]]
results["layers"] = [len(p["hidden_layer_sizes"]) for p in results["params"]]
table = results.pivot(index="pretraining", columns="layers", values="mean_test_score")
print(table.round(3))

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
strategies = ["rbm", "autoencoder", "denoising", "None"]
width = 0.38
for i, depth in enumerate([1, 2]):
    rows = results[results["layers"] == depth].set_index("pretraining").loc[strategies]
    ax.bar(np.arange(4) + (i - 0.5) * width, rows["mean_test_score"], width,
           yerr=rows["std_test_score"], label=f"{depth} hidden layer{'s' * (depth > 1)}")
ax.set_xticks(np.arange(4), strategies)
ax.set_xlabel("pretraining")
ax.set_ylim(0.5, 1.0)
ax.set_ylabel("3-fold accuracy")
ax.legend(loc="lower left")
fig.tight_layout()

# %%
# With a short budget of plain SGD fine-tuning of logistic units, the two
# autoencoder strategies give the best networks, one hidden layer or two.
# Random initialization loses most when the network is deeper, where the
# bottom layer gets the weakest gradient. RBM pre-training with these brief
# settings (10 epochs of CD-1 per layer) does not help here: how much
# pre-training buys depends on the data, the depth and the budget, which is
# why it is worth a grid search. (The estimators' defaults -- rectifier units,
# Adam, denoising pre-training -- reach about 0.98 on these digits; see
# :ref:`defaults`.)
