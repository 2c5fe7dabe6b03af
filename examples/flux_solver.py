"""The flux point solver for ``jaxvac scan`` (used by ``flux_scan.toml``).

jaxvac imports only its own registries and ``path/to/file.py:Class`` files named in a
configuration, so a scan names this file; it re-exports :class:`jaxvac.flux.FluxSolver`
(Newton on D_aW = 0 from LCS starts per flux vector, then jaxvac's analysis).
"""

from jaxvac.flux import FluxSolver

__all__ = ["FluxSolver"]
