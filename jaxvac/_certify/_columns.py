"""The ``certified`` columns of ``jaxvac find --certify`` and of scans with
``certify = true``: each critical point record proved with :func:`jaxvac.certify`."""

from __future__ import annotations

from typing import Any

from .._errors import InputError
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


def scan_values(cert) -> dict[str, Any]:
    """One scan row's certified columns (``jaxvac.scan._storage.CERTIFIED_COLUMNS``,
    docs/scans.md): the fields of :func:`columns`, flat."""
    c = columns(cert)
    d = c["certificate"]
    return {
        "certified": c["certified"],
        "certified_proved": c["proved"],
        "certified_unproved": c["unproved"],
        "certified_type": d["type"],
        "certified_n_negative": d["n_negative"],
        "certified_vacuum": d["vacuum"],
        "certified_susy": d["susy"],
        "certified_V": d["V_ball"],
        "certified_digits": d["digits"],
        "certified_seconds": d["seconds"],
        "certified_reasons": d["reasons"],
    }


def failed_values(reason: str, properties: list[str]) -> dict[str, Any]:
    """The certified columns of a row that :func:`certify` refused (bad input, e.g. a
    coordinate outside the model's domain): ``unproved``, every property unproved."""
    out: dict[str, Any] = dict.fromkeys(
        ("certified_type", "certified_n_negative", "certified_vacuum", "certified_susy"),
    )
    out.update(dict.fromkeys(("certified_V", "certified_digits", "certified_seconds")))
    out.update(
        certified="unproved",
        certified_proved=[],
        certified_unproved=list(properties),
        certified_reasons=[reason],
    )
    return out


def certify_scan_rows(model_of, rows, *, digits: int, max_digits: int, name: str):
    """Certify scan rows: ``rows`` is a list of (row key, real coordinates); ``model_of(key)``
    the model at that row's parameters. Returns {key: certified columns}."""
    out = {}
    for key, y in rows:
        model = model_of(key)
        try:
            cert = certify(model, y, digits=digits, max_digits=max_digits, name=name)
        except InputError as e:
            props = ["existence", "uniqueness", "inertia", "sign_of_V"]
            if model.is_supergravity:
                props.append("susy")
            out[key] = failed_values(str(e), props)
            continue
        out[key] = scan_values(cert)
    return out


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
