"""Classification of a point as data: result codes, critical-point types, vacuum types.

Kept so that ``from jaxvac._classify import Result`` keeps working; the vocabulary lives in
:mod:`jaxvac._solution`.
"""

from __future__ import annotations

from ._solution import CriticalType as CriticalType
from ._solution import Result as Result
from ._solution import Vacuum as Vacuum

__all__ = ["CriticalType", "Result", "Vacuum"]
