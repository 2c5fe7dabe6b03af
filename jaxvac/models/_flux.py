"""Built-in type IIB flux models (``jaxvac.flux``): ``flux-rigid``, ``flux-p11169``,
``flux-4-214-647``."""

from ..flux._builtin import BUILTIN  # noqa: F401
