"""Helpers shared by the scan tests: the analytic quartic model, its scan configuration,
a TOML writer and a row comparison (the fixtures built on them live in conftest.py)."""

import json
import textwrap

import numpy as np
import pyarrow as pa

QUARTIC = textwrap.dedent(
    '''
    from typing import ClassVar
    import jaxvac

    class Quartic(jaxvac.PotentialModel):
        """V = c + lam (x^2 - v^2)^2."""
        fields: ClassVar[tuple[str, ...]] = ("x",)
        c: float = 0.5
        lam: float = 1.0
        v: float = 1.0

        def __check_init__(self):
            if not isinstance(self.v, jax.core.Tracer) and float(self.v) <= 0:
                raise ValueError(f"Quartic: parameter 'v' must be > 0 (got {self.v}).")

        def potential(self, phi):
            return self.c + self.lam * (phi[0] ** 2 - self.v ** 2) ** 2
    '''
).replace("import jaxvac\n", "import jax\nimport jaxvac\n")


def base_config(quartic_file, **overrides):
    cfg = {
        "model": f"{quartic_file}:Quartic",
        "points": 40,
        "starts": 6,
        "seed": 7,
        "chunk": 8,
        "keep": "all",
        "fixed": {"lam": 0.5},
        "sample": {
            "c": {"dist": "symmetric", "scale": 1.0},
            "v": {"dist": "uniform", "low": 0.5, "high": 2.0},
        },
        "region": {"x": [-3.0, 3.0]},
    }
    cfg.update(overrides)
    return cfg


def assert_same_rows(a: pa.Table, b: pa.Table) -> None:
    """Equal schemas and equal values, NaN equal to NaN (Arrow's equals is not)."""
    assert a.schema.names == b.schema.names and a.num_rows == b.num_rows
    for name in a.schema.names:
        x, y = a.column(name).combine_chunks(), b.column(name).combine_chunks()
        assert x.type == y.type, name
        if pa.types.is_fixed_size_list(x.type):
            x, y = x.flatten(), y.flatten()
        if pa.types.is_list(x.type):  # lists of names (the certified columns)
            assert x.to_pylist() == y.to_pylist(), name
            continue
        if pa.types.is_dictionary(x.type):
            x, y = x.cast(pa.string()), y.cast(pa.string())
        np.testing.assert_array_equal(
            x.to_numpy(zero_copy_only=False), y.to_numpy(zero_copy_only=False), err_msg=name
        )


def to_toml(cfg: dict) -> str:
    """A small TOML writer for the test configurations."""

    def value(v):
        return json.dumps(v)

    lines = [f"{k} = {value(v)}" for k, v in cfg.items() if not isinstance(v, dict)]
    for table in ("fixed", "region", "search", "solver", "certify", "enumerate"):
        if cfg.get(table):
            lines.append(f"[{table}]")
            lines += [f"{k} = {value(v)}" for k, v in cfg[table].items()]
    for name, dist in cfg.get("sample", {}).items():
        lines.append(f"[sample.{name}]")
        lines += [f"{k} = {value(v)}" for k, v in dist.items()]
    return "\n".join(lines) + "\n"
