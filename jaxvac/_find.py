"""``find_critical_points``: the whole search for one model, with its report.

The layer above the solver (jaxvac/_search.py): it samples the starts, runs the threaded,
deduplicated search, orders the distinct critical points by V and returns a
:class:`FindResult`, which turns itself into the JSON object of ``jaxvac find --json``
(jaxvac/_report.py), a one-line summary and a Jupyter table (jaxvac/_display.py).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import numpy as np

from ._analysis import PointAnalysis
from ._config import ensure_x64
from ._display import find_html, find_summary
from ._io import dumps
from ._model import AbstractModel, canonical
from ._parallel import check_threads, default_threads
from ._point import CriticalPoint
from ._programs import stored_jit
from ._region import Region, as_region, sample_starts
from ._report import point_record
from ._search import DEFAULT_STARTS, SearchResult, _options, search_threaded
from ._solution import Result


@dataclasses.dataclass(frozen=True)
class FindResult:
    """Distinct critical points of one model in a region (``jaxvac find``).

    ``to_dict()`` is the JSON object of ``jaxvac find --json`` (DESIGN.md).
    """

    model: AbstractModel
    model_name: str
    region: Region
    seed: int
    search: SearchResult  # numpy arrays, batch over starts
    indices: tuple[int, ...]  # representatives listed, sorted by V

    @property
    def starts(self) -> int:
        return int(np.asarray(self.search.solutions.result).shape[0])

    @property
    def codes(self) -> np.ndarray:
        """Result code of every start."""
        return np.asarray(self.search.solutions.result)

    @property
    def failed_starts(self) -> int:
        return int(np.sum(self.codes != Result.successful))

    @property
    def distinct(self) -> int:
        return len(self.indices)

    def result_counts(self) -> dict[str, int]:
        codes = self.codes
        return {r.name: int(np.sum(codes == r)) for r in Result if np.any(codes == r)}

    @property
    def points(self) -> np.ndarray:
        """(distinct, d) real coordinates of the critical points listed."""
        return np.asarray(self.search.solutions.y)[list(self.indices)]

    def analysis(self, k: int) -> PointAnalysis:
        """The :class:`PointAnalysis` of the k-th critical point listed."""
        i = self.indices[k]
        return jax.tree.map(lambda a: np.asarray(a)[i], self.search.solutions.analysis)

    def critical_points(self) -> list[CriticalPoint]:
        """The critical points listed (sorted by V), each a :class:`~jaxvac.CriticalPoint`:
        ``y``, ``result``, ``analysis`` and ``stats`` = ``start`` (the start that
        represents it), ``basin_starts`` (starts that ended on it) and ``steps`` (that
        start's Newton steps)."""
        sol = self.search.solutions
        cluster = np.asarray(self.search.cluster)
        steps = np.asarray(sol.steps)
        out = []
        for k, i in enumerate(self.indices):
            out.append(
                CriticalPoint(
                    y=np.asarray(sol.y)[i],
                    result=np.asarray(sol.result)[i],
                    analysis=self.analysis(k),
                    stats={
                        "start": int(i),
                        "basin_starts": int(np.sum(cluster == i)),
                        "steps": int(steps[i]),
                    },
                )
            )
        return out

    def records(self) -> list[dict[str, Any]]:
        cluster = np.asarray(self.search.cluster)
        out = []
        for i in self.indices:
            rec = point_record(self.model, self.search.solutions.analysis, i)
            rec["basin_starts"] = int(np.sum(cluster == i))
            out.append(rec)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "parameters": self.model.parameters(),
            "starts": self.starts,
            "failed_starts": self.failed_starts,
            "distinct": self.distinct,
            "critical_points": self.records(),
            "start_results": self.result_counts(),
            "region": self.region.to_dict(),
            "seed": self.seed,
        }

    def to_json(self, **kwargs) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        """One line: ``FindResult(kklt: 2 critical points from 256 starts • 1 dS minimum,
        1 dS saddle • 17 failed starts (max_steps 12, diverged 5))`` (:mod:`jaxvac._display`)."""
        return find_summary(self.to_dict())

    def _repr_html_(self) -> str:
        """The summary and a table of the critical points, for Jupyter."""
        return find_html(self.to_dict())

    def to_pandas(self):
        """The critical points as a pandas DataFrame, one row per point: the columns of
        ``jaxvac find --out FILE.csv`` (:func:`jaxvac.export.to_pandas`; needs pandas)."""
        from .export import to_pandas

        return to_pandas(self)


def find_critical_points(
    model: AbstractModel,
    *,
    region: Region | dict | None = None,
    starts: int = DEFAULT_STARTS,
    seed: int = 0,
    susy: bool = False,
    name: str | None = None,
    threads: int | None = None,
    **options,
) -> FindResult:
    """Every critical point of a model found from a number of random starts in a region
    (``jaxvac find``).

    Each start runs a global descent on a scale-free stationarity objective, then Newton with
    its step doubled; a start that does not end on a critical point is run again, by plain
    Newton from where the descent ended, then from its start by Newton with its step doubled
    and by plain Newton (the default `strategy`; docs/search.md).
    Critical points of all types (minima, saddles, maxima) are verified by
    [`jaxvac.analyse_point`][], deduplicated modulo axion periods and listed by V. Every
    start ends with a result code (`successful`, `diverged` = runaway, `max_steps`, ...);
    only successful ones are vacua. Compiled once per model class and number of starts
    (bucketed); the parameters are arrays, so a new parameter point does not recompile.

    **Arguments:**

    - `model`: a [`jaxvac.SupergravityModel`][] or [`jaxvac.PotentialModel`][].
    - `region`: where to start, `{"T": (50, 300), "T.im": (0, 6.28)}` or a
      [`Region`][jaxvac.Region]; default the model's `search_region()` (saxions 0.1 to
      1000, log-uniform; axions one period).
    - `starts`: the number of starting points.
    - `seed`: the random seed of the starting points; the result is reproducible from it.
    - `susy`: solve D_aW = 0 instead of ∇V = 0 (supersymmetric critical points only).
    - `name`: the model's name in the result (default its class name).
    - `threads`: concurrent executions the starts are split over (default the cores on a
      CPU backend, `$JAXVAC_THREADS` overrides); the result does not depend on it. Off the
      CPU (or with `$JAXVAC_EXECUTION=devices`) the starts are split over every local device
      in one program instead, and `threads` is not used (docs/scaling.md).
    - `options`: solver settings (`rtol`, `global_steps`, `max_steps`, ...; docs/search.md).

    **Returns:**

    A [`FindResult`][jaxvac.FindResult]: `repr` summarises it in one line, `to_dict()` is
    the JSON of `jaxvac find --json`, `to_pandas()` one row per critical point.
    """
    ensure_x64()
    if isinstance(starts, bool) or not isinstance(starts, (int, np.integer)) or starts < 1:
        raise ValueError(f"starts must be an integer >= 1 (got {starts!r}).")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0 (got {seed!r}).")
    if susy and not model.is_supergravity:
        raise ValueError(
            "susy=True needs a supergravity model (D_aW = 0 has no meaning for a plain potential)."
        )
    model = canonical(model)
    region = as_region(model, region)
    opts = _options(susy=susy, **options)
    key = jax.random.key(int(seed))
    threads = default_threads() if threads is None else check_threads(threads)
    y0 = _sample_jit(model, region, key, int(starts))
    result = search_threaded(model, region, y0, opts, threads)
    result = jax.tree.map(np.asarray, result)
    rep = np.flatnonzero(result.representative)
    V = np.asarray(result.solutions.analysis.V)[rep]
    order = np.lexsort((rep, np.where(np.isfinite(V), V, np.inf)))
    indices = tuple(int(i) for i in rep[order])
    return FindResult(
        model=model,
        model_name=name or type(model).__name__,
        region=region,
        seed=int(seed),
        search=result,
        indices=indices,
    )


_sample_jit = stored_jit(sample_starts)  # jaxvac/_programs.py
