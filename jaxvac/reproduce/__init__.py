"""Reproduction of the seed papers' tables and formulas: ``jaxvac reproduce``.

A *target* is a function registered with :func:`register`; it computes a
:class:`Report` (rows comparing a paper's value with jaxvac's, plus notes and figures)
and the framework writes ``DIR/TARGET.md`` and ``DIR/TARGET.json`` (DESIGN.md).
Targets live in private modules ``jaxvac/reproduce/_*.py``, imported on first use.
"""

from ._framework import TARGETS, Report, Row, register, run_targets, write_report

__all__ = ["TARGETS", "Report", "Row", "register", "run_targets", "write_report"]
