"""Special functions of the seed papers: the Eisenstein-like series 𝓔₃ of seed 001 and
its SL(2,ℤ) relative E₃ (``docs/special.md``)."""

from ._e3 import E3, eisenstein3

__all__ = ["E3", "eisenstein3"]
