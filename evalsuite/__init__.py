"""evalsuite: train, evaluate and benchmark static word embeddings."""

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError, EvalsuiteError, InputError

__version__ = "0.1.0"

__all__ = ["Embeddings", "EvalsuiteError", "InputError", "ConfigError", "__version__"]
