"""The ``certified`` columns of ``jaxvac find --certify`` and of scans with
``certify = true``: each critical point record proved with :func:`jaxvac.certify`."""

from __future__ import annotations

from typing import Any

from .._model import AbstractModel
from ._point import certify

#: Most digits ``find --certify`` and scans try (precision doubles from 30 on failure).
COLUMN_MAX_DIGITS = 120


def status(cert) -> str:
    """``proved`` (every property proved), ``partial`` (existence and uniqueness proved,
    some property not) or ``unproved`` (no critical point proved in a box)."""
    p = cert.proved
    if not (p["existence"] and p["uniqueness"]):
        return "unproved"
    return "proved" if all(p.values()) else "partial"


def columns(cert) -> dict[str, Any]:
    """The fields a certificate adds to a point record: ``certified`` (see :func:`status`),
    ``proved`` / ``unproved`` (property names) and ``certificate`` (the proved type,
    vacuum, n_negative, the ball holding V, digits, seconds and the reasons of what
    failed)."""
    d = cert.to_dict()
    proved = [k for k, v in d["proved"].items() if v]
    unproved = [k for k, v in d["proved"].items() if v is False]
    return {
        "certified": status(cert),
        "proved": proved,
        "unproved": unproved,
        "certificate": {
            "type": d["type"],
            "vacuum": d["vacuum"],
            "n_negative": d["n_negative"],
            "susy": d["susy"],
            "V_ball": d["V_ball"],
            "digits": d["precision"],
            "seconds": d["seconds"],
            "reasons": list(d["unproved"]),
        },
    }


def certify_records(
    model: AbstractModel,
    records: list[dict],
    *,
    name: str | None = None,
    parameters: dict | None = None,
    max_digits: int = COLUMN_MAX_DIGITS,
) -> list[dict]:
    """``records`` (find/check point records with ``fields``) with the columns of
    :func:`columns` added, each point certified on its own."""
    out = []
    for rec in records:
        cert = certify(
            model, rec["fields"], max_digits=max_digits, name=name, parameters=parameters
        )
        out.append({**rec, **columns(cert)})
    return out
