"""`jaxvac models` and `jaxvac check`: the DESIGN.md contract, user models, bad input."""

import json
import subprocess
import sys
import textwrap

import pytest

from jaxvac.cli import main

USER_MODEL = textwrap.dedent(
    '''
    from typing import ClassVar
    import jax.numpy as jnp
    import jaxvac

    class MyKKLT(jaxvac.SupergravityModel):
        """KKLT written by a user."""
        moduli: ClassVar[tuple[str, ...]] = ("T",)
        saxions: ClassVar[tuple[str, ...]] = ("T",)
        W0: float = -1e-4
        A: float = 1.0
        a: float = 0.1

        def kahler_potential(self, z, zbar):
            return -3.0 * jnp.log(z[0] + zbar[0])

        def superpotential(self, z):
            return self.W0 + self.A * jnp.exp(-self.a * z[0])

    class Bowl(jaxvac.PotentialModel):
        fields: ClassVar[tuple[str, ...]] = ("x", "y")
        c: float = 2.0
        def potential(self, phi):
            return self.c + phi[0] ** 2 + 3 * phi[1] ** 2
    '''
)

DESIGN_FIELDS = {
    "fields",
    "V",
    "type",
    "n_negative",
    "n_flat",
    "vacuum",
    "susy",
    "bf_stable",
    "masses_squared",
    "gravitino_mass",
    "residual",
    "digits",
    "result",
    "gradient",
}


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_builtin_json(capsys):
    code, out, _ = run(
        capsys, "check", "kklt", "--set", "W0=-1e-4", "--at", "T=113.0+0.5j", "--json"
    )
    assert code == 0
    rec = json.loads(out)
    assert DESIGN_FIELDS <= set(rec)
    assert rec["model"] == "kklt"
    assert rec["parameters"] == {"W0": -1e-4, "A": 1.0, "a": 0.1}
    assert rec["fields"] == {"T": {"re": 113.0, "im": 0.5}}
    assert set(rec["gradient"]["T"]) == {"re", "im"}
    assert rec["result"] == "not_critical"


def test_check_user_model_file(tmp_path, capsys):
    path = tmp_path / "mymodels.py"
    path.write_text(USER_MODEL)
    code, out, _ = run(capsys, "check", f"{path}:MyKKLT", "--at", "T=113.0", "--json")
    assert code == 0
    rec = json.loads(out)
    code, out2, _ = run(capsys, "check", "kklt", "--at", "T=113.0", "--json")
    rec2 = json.loads(out2)
    assert rec["V"] == pytest.approx(rec2["V"], rel=1e-14)
    code, out, _ = run(capsys, "check", f"{path}:Bowl", "--at", "x=0,y=0", "--json")
    rec = json.loads(out)
    assert rec["result"] == "successful" and rec["type"] == "minimum" and rec["vacuum"] == "dS"
    assert "susy" not in rec and "gravitino_mass" not in rec
    assert rec["gradient"] == {"x": 0.0, "y": 0.0}
    code, out, _ = run(capsys, "check", f"{path}:Bowl", "--at", "x=0,y=0")
    assert "minimum" in out and "dS" in out


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["check", "nosuchmodel", "--at", "T=1"], "Unknown model 'nosuchmodel'"),
        (["check", "kklt", "--set", "b=1", "--at", "T=1"], "no parameter 'b'"),
        (["check", "kklt", "--set", "a=-1", "--at", "T=1"], "'a' must be > 0"),
        (["check", "kklt", "--set", "W0=abc", "--at", "T=1"], "W0: cannot read 'abc'"),
        (["check", "kklt", "--at", "U=1"], "'U' is not a modulus"),
        (["check", "kklt", "--at", "T"], "expected NAME=VALUE"),
        (["check", "kklt", "--at", "T=1", "--rtol", "-1"], "--rtol must be > 0"),
        (["check", "missing.py:Model", "--at", "T=1"], "does not exist"),
    ],
)
def test_bad_input_one_line_error(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1


def test_models_json(capsys):
    code, out, _ = run(capsys, "models", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert {"kklt", "noscale", "kahler-uplift", "racetrack", "lvs"} <= set(rows)
    assert rows["kklt"]["parameters"] == {"W0": -1e-4, "A": 1.0, "a": 0.1}
    assert rows["lvs"]["fields"] == ["Tb", "Ts"]


def test_models_text_lists_big_array_parameters_by_shape(capsys):
    # flux-4-214-647's defaults (κ̃ 4×4×4, 78 GV classes) once took 40 lines of the listing
    code, out, _ = run(capsys, "models")
    assert code == 0
    block = out.split("flux-4-214-647", 1)[1].split("\nflux-p11169", 1)[0]
    assert "kappa=<array 4×4×4>" in block and "gv_charges=<array 78×4>" in block
    assert len(block.splitlines()) <= 20  # was 50
    assert "W0=-0.0001" in out  # small parameters as before
    code, out, _ = run(capsys, "models", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert len(rows["flux-4-214-647"]["parameters"]["gv_values"]) == 78  # JSON keeps them all


def test_console_script_and_help():
    out = subprocess.run(
        [sys.executable, "-m", "jaxvac", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0
    for option in ("--set", "--at", "--json", "--digits", "--rtol"):
        assert option in out.stdout
