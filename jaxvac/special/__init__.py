"""Special functions of the seed papers (``docs/special.md``): the Eisenstein-like series
𝓔₃ of seed 001 and its SL(2,ℤ) relative E₃, the one-loop coefficients λ, and the theta
functions of its Appendix B."""

from ._e3 import E3, E3_mp, eisenstein3, eisenstein3_mp
from ._e3_box import E3_box, E3_box_mp, E3_box_xy
from ._loop import (
    E3_ASYMPTOTIC,
    N_BF,
    casimir_prefactor_134,
    lambda_1led,
    lambda_1led_printed,
    lambda_2led,
    lambda_planck,
    lambda_string_units,
)
from ._theta import theta

__all__ = [
    "E3",
    "E3_ASYMPTOTIC",
    "E3_box",
    "E3_box_mp",
    "E3_box_xy",
    "E3_mp",
    "N_BF",
    "casimir_prefactor_134",
    "eisenstein3",
    "eisenstein3_mp",
    "lambda_1led",
    "lambda_1led_printed",
    "lambda_2led",
    "lambda_planck",
    "lambda_string_units",
    "theta",
]
