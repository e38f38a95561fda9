"""skdeep: deep generative models for scikit-learn.

Restricted Boltzmann machines, deep belief networks, deep and denoising
autoencoders, the variational autoencoder and generative baselines, as
scikit-learn estimators.
"""

from ._autoencoder import Autoencoder
from ._dbn import DBN, DBNClassifier, DBNRegressor
from ._deep_autoencoder import DBNAutoencoder
from ._generative import GaussianMixtureClassifier
from ._labeled import LabeledOnlyClassifier
from ._naive_bayes import SemiSupervisedNB
from ._persistence import trusted_types
from ._rbm import BernoulliRBM, GaussianBernoulliRBM
from ._ssvae import SemiSupervisedVAE
from ._vae import VariationalAutoencoder

__version__ = "0.1.0.dev0"

__all__ = [
    "Autoencoder",
    "BernoulliRBM",
    "DBN",
    "DBNAutoencoder",
    "DBNClassifier",
    "DBNRegressor",
    "GaussianBernoulliRBM",
    "GaussianMixtureClassifier",
    "LabeledOnlyClassifier",
    "SemiSupervisedNB",
    "SemiSupervisedVAE",
    "VariationalAutoencoder",
    "trusted_types",
]
