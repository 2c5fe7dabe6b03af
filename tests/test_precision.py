"""Arbitrary precision (jaxvac._precision, jaxvac._mpjaxpr): the jaxprs of the float64 model
code evaluated with mpmath agree with independent mpmath evaluations (closed forms written
again here, or tests/mpref.py); a 60-digit cancellation is resolved; Newton refinement
converges quadratically to points whose exact location is known, and refuses to wander."""

import json
from typing import ClassVar

import jax
import jax.numpy as jnp
import mpmath as mp
import mpref
import numpy as np
import pytest

import jaxvac
from jaxvac._interpret import UnsupportedPrimitiveError
from jaxvac._io import point_to_y
from jaxvac._potential import potential_and_scale, scalar_potential
from jaxvac._precision import PrecisionFunction, at_precision, check_high_precision, refine
from jaxvac.models import KKLT, LVS


def _derivs(model, y):
    V = lambda yy: scalar_potential(model, yy)  # noqa: E731
    return V(y), jax.grad(V)(y), jax.hessian(V)(y)


DERIVS = PrecisionFunction(_derivs)


def digits_between(x, ref):
    """Significant digits of x agreeing with ref."""
    x, ref = mp.mpmathify(x), mp.mpmathify(ref)
    if x == ref:
        return mp.inf
    return float(-mp.log10(abs(x - ref) / abs(ref)))


def assert_digits(x, ref, n, what=""):
    d = digits_between(x, ref)
    assert d >= n, f"{what}: {mp.nstr(x, 20)} vs {mp.nstr(ref, 20)}: {d:.1f} digits < {n}"


# ---- V, ∇V and the Hessian at 50 digits, against independent mpmath evaluations --------------


def kklt_potential_mp(t, tau, W0, A, a):
    """KKLT V by hand: x = 2t, K = -3 log x, V = x^-3 [(x²/3)|W_T - 3W/x|² - 3|W|²]."""
    T = mp.mpc(t, tau)
    x = 2 * t
    W = W0 + A * mp.exp(-a * T)
    WT = -a * A * mp.exp(-a * T)
    return x**-3 * (x**2 / 3 * abs(WT - 3 * W / x) ** 2 - 3 * abs(W) ** 2)


def test_kklt_value_gradient_hessian_50_digits():
    model = KKLT()
    y = np.array([110.3, 0.7])
    V, g, H = DERIVS(model, y, digits=50)
    with mp.workdps(70):
        p = [mp.mpf(v) for v in (model.W0, model.A, model.a)]
        f = lambda t, tau: kklt_potential_mp(t, tau, *p)  # noqa: E731
        Y = [mp.mpf(v) for v in y]
        assert_digits(V.item(), f(*Y), 45, "V")
        for i, o in enumerate([(1, 0), (0, 1)]):
            assert_digits(g[i], mp.diff(f, Y, o), 40, f"dV/dy{i}")
        orders = {(0, 0): (2, 0), (0, 1): (1, 1), (1, 0): (1, 1), (1, 1): (0, 2)}
        for (i, j), o in orders.items():
            assert_digits(H[i, j], mp.diff(f, Y, o), 40, f"H{i}{j}")


def test_lvs_value_gradient_hessian_50_digits():
    model = LVS()
    y = np.array([100.0, 5.0, 0.1, 0.2])
    V, g, H = DERIVS(model, y, digits=50)
    with mp.workdps(60):
        xi, W0, A, a = (mp.mpf(v) for v in (model.xi, model.W0, model.A, model.a))

        def K(r):  # K = -2 log(τ_b^{3/2} - τ_s^{3/2} + ξ/2): the LVS Kähler potential
            return -2 * mp.log(r[0] ** 1.5 - r[1] ** 1.5 + xi / 2)

        def W(z):
            return W0 + A * mp.exp(-a * z[1])

        r = [mp.mpf(v) for v in y]
        Vf = lambda rr: mpref.fterm_potential(K, W, rr)  # noqa: E731
        assert_digits(V.item(), Vf(r), 40, "V")
        ref_g, ref_H = mpref.gradient_and_hessian(Vf, r)
    for i in range(4):
        assert_digits(g[i], ref_g[i], 40, f"dV/dy{i}")
        for j in range(4):
            assert_digits(H[i, j], ref_H[i][j], 40, f"H{i}{j}")


class Polynomial(jaxvac.PotentialModel):
    """V = (x² - 2)² + x y² + y⁴/3 + c (a plain polynomial potential)."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")
    c: float = 0.25

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return (x**2 - 2.0) ** 2 + x * y**2 + y**4 / 3.0 + self.c


def test_polynomial_value_gradient_hessian_50_digits():
    model = Polynomial()
    y = np.array([1.3, -0.45])
    V, g, H = DERIVS(model, y, digits=50)
    with mp.workdps(70):
        x, t = (mp.mpf(v) for v in y)
        c = mp.mpf(model.c)
        assert_digits(V.item(), (x**2 - 2) ** 2 + x * t**2 + t**4 / 3 + c, 48, "V")
        assert_digits(g[0], 4 * x * (x**2 - 2) + t**2, 48, "Vx")
        assert_digits(g[1], 2 * x * t + 4 * t**3 / 3, 48, "Vy")
        assert_digits(H[0, 0], 12 * x**2 - 8, 48, "Vxx")
        assert_digits(H[0, 1], 2 * t, 48, "Vxy")
        assert_digits(H[1, 0], 2 * t, 48, "Vyx")
        assert_digits(H[1, 1], 2 * x + 4 * t**2, 48, "Vyy")


def test_check_high_precision_record_fields_and_values():
    model = Polynomial()
    point = {"x": 2.0**0.5, "y": 0.0}
    rec64 = jaxvac.check(model, point).to_dict()
    rec = check_high_precision(model, point, digits=50).to_dict()
    # The JSON fields of `jaxvac check`, plus the high-precision ones.
    assert set(rec64) <= set(rec)
    assert rec["precision"] == 50
    assert set(rec["certified_digits"]) == {"V", "masses_squared", "gradient_norm"}
    with mp.workdps(60):
        x = mp.mpf(2.0**0.5)  # the float64 point, exactly
        assert_digits(mp.mpf(rec["V_decimal"]), (x**2 - 2) ** 2 + mp.mpf(0.25), 45, "V")
        # m² = eigenvalues of the Hessian: 12x² - 8 and 2x at y = 0 (identity metric).
        masses = sorted([12 * x**2 - 8, 2 * x])
        for got, want in zip(rec["masses_squared_decimal"], masses):
            assert_digits(mp.mpf(got), want, 45, "m²")
    assert rec["certified_digits"]["V"] >= 45
    assert rec["type"] == "minimum" and rec["vacuum"] == "dS" and rec["consistent"]
    assert json.loads(json.dumps(rec)) == rec


# ---- a 60-digit no-scale cancellation --------------------------------------------------------


class SevenModuli(jaxvac.SupergravityModel):
    """K = -log(S+S̄) - Σ_j log(U_j+Ū_j) - log(Π_i (T_i+T̄_i) + ξ),
    W = W*(-1 + S/(2s) + Σ_j U_j/(2u_j)).

    At S = s, U_j = u_j: D_S W = D_U W = 0 and the T's are no-scale up to ξ, so
    V = e^K |W*|² (K^{ij̄}K_iK_j̄ - 3)|_T ~ ξ/Π x: about 60 digits cancel for ξ = 1e-55.
    K is written without declaring its logarithms, as a user would."""

    moduli: ClassVar[tuple[str, ...]] = ("S", "T1", "T2", "T3", "U1", "U2", "U3")
    saxions: ClassVar[tuple[str, ...]] = moduli
    xi: float = 1e-55
    Wstar: float = 0.3
    s: float = 2.0
    u1: float = 1.5
    u2: float = 3.0
    u3: float = 0.7

    def kahler_potential(self, z, zbar):
        x = z + zbar
        return (
            -jnp.log(x[0])
            - jnp.log(x[4])
            - jnp.log(x[5])
            - jnp.log(x[6])
            - jnp.log(x[1] * x[2] * x[3] + self.xi)
        )

    def superpotential(self, z):
        return self.Wstar * (
            -1.0
            + z[0] / (2 * self.s)
            + z[4] / (2 * self.u1)
            + z[5] / (2 * self.u2)
            + z[6] / (2 * self.u3)
        )


def seven_moduli_potential_mp(model, xs, xu, xT, W):
    """V = e^K |W|² (K^{ij̄}K_iK_j̄ - 3) over the T block, by hand: f = Π x_i + ξ,
    K_i = -f_i/f, K_ij̄ = -f_ij/f + f_i f_j/f² (f_i = Π/x_i, f_ij = Π/(x_i x_j), f_ii = 0)."""
    xi = mp.mpf(model.xi)
    P = xT[0] * xT[1] * xT[2]
    f = P + xi
    fi = [P / x for x in xT]
    Ki = mp.matrix([-v / f for v in fi])
    M = mp.matrix(3, 3)
    for i in range(3):
        for j in range(3):
            fij = 0 if i == j else P / (xT[i] * xT[j])
            M[i, j] = -fij / f + fi[i] * fi[j] / f**2
    k = (Ki.T * mp.lu_solve(M, Ki))[0]
    eK = 1 / (xs * xu[0] * xu[1] * xu[2] * f)
    return eK * abs(W) ** 2 * (k - 3)


def test_sixty_digit_cancellation_resolved():
    model = SevenModuli()
    point = {"S": 2.0, "T1": 10.0, "T2": 12.0, "T3": 15.0, "U1": 1.5, "U2": 3.0, "U3": 0.7}
    y = point_to_y(model, point)
    values = PrecisionFunction(potential_and_scale)
    V80, S80 = values(model, y, digits=80)
    V160, _ = values(model, y, digits=160)
    with mp.workdps(120):
        ref = seven_moduli_potential_mp(
            model,
            mp.mpf(4),
            [mp.mpf(3), mp.mpf(6), mp.mpf(1.4)],
            [mp.mpf(20), mp.mpf(24), mp.mpf(30)],
            mp.mpf(model.Wstar),
        )
        # ~60 of the 80 digits cancel: V keeps >= 10 digits, confirmed at 160 digits
        # and by the closed form.
        assert float(mp.log10(S80.item() / abs(ref))) > 55
        assert_digits(V80.item(), V160.item(), 10, "V at 80 vs 160 digits")
        assert_digits(V80.item(), ref, 10, "V at 80 digits vs closed form")
        assert_digits(V160.item(), ref, 60, "V at 160 digits vs closed form")
    # float64 keeps no digit of V here.
    V64, _ = jax.jit(lambda yy: potential_and_scale(model, yy))(jnp.asarray(y))
    assert abs(float(V64) - float(ref)) > abs(float(ref))


# ---- refinement ------------------------------------------------------------------------------


def test_refine_kklt_quadratic_to_known_vacuum():
    model = KKLT()
    result = refine(model, {"T": 113.0}, digits=40)
    assert result.status == "converged"
    with mp.workdps(60):
        W0, A, a = (mp.mpf(v) for v in (model.W0, model.A, model.a))
        # Supersymmetric AdS vacuum: D_T W = -aA e^{-at} - 3/(2t) (W0 + A e^{-at}) = 0.
        t_exact = mp.findroot(
            lambda t: -a * A * mp.exp(-a * t) - 3 / (2 * t) * (W0 + A * mp.exp(-a * t)), 113.5
        )
        assert_digits(result.point[0], t_exact, 35, "T.re")
        assert abs(result.point[1]) < mp.mpf(10) ** -35
    # Quadratic convergence: each step ~ the square of the previous one.
    orders = result.convergence_orders()
    # (the last ratio may reach the noise floor of the arithmetic)
    assert len(orders) >= 3 and all(abs(p - 2) < 0.1 for p in orders[1:-1])
    rec = result.to_dict()
    assert rec["type"] == "minimum" and rec["vacuum"] == "AdS" and rec["susy"]
    assert rec["result"] == "successful" and rec["certified_digits"]["V"] >= 35
    assert mp.mpf(rec["shift"]["T"]["re"]) == pytest.approx(float(t_exact) - 113.0, rel=1e-5)
    assert rec["refine"]["residuals"][-1] < 1e-30


class DoubleWell(jaxvac.PotentialModel):
    """V = x⁴/4 - x²/2 + (y - x)²: minima at (±1, ±1), a saddle at 0."""

    fields: ClassVar[tuple[str, ...]] = ("x", "y")

    def potential(self, phi):
        x, y = phi[0], phi[1]
        return x**4 / 4 - x**2 / 2 + (y - x) ** 2


def test_refine_batch_and_guard():
    good, bad = refine(DoubleWell(), [{"x": 1.03, "y": 0.98}, {"x": 0.58, "y": 0.58}], digits=50)
    assert good.status == "converged"
    for v in good.point:
        assert_digits(v, 1, 47, "minimum at (1, 1)")
    assert good.report.to_dict()["type"] == "minimum"
    # Near the inflection point x = 1/√3 the first Newton step is huge: Newton would land
    # far away and crawl back to some critical point. The guard refuses.
    assert bad.status in ("rejected_contraction", "rejected_radius")
    assert not bad.converged
    assert [float(v) for v in bad.point] == [0.58, 0.58]  # left at its start


# ---- constants, parameters and errors -------------------------------------------------------


def test_pi_literal_is_exact_pi_by_default():
    f = lambda x: jnp.cos(jnp.pi * x) + jnp.log(2.0) * x  # noqa: E731
    x = np.asarray(0.3)
    with mp.workdps(60):
        exact = mp.cos(mp.pi * mp.mpf(0.3)) + mp.log(2) * mp.mpf(0.3)
        got = at_precision(f, digits=60)(x)
        assert_digits(got.item(), exact, 58, "exact constants")
        binary = at_precision(f, digits=60, exact_constants=False)(x)
        assert digits_between(binary.item(), exact) < 18  # float64(π), float64(log 2)


def test_parameters_given_beyond_float64():
    model = KKLT(a=0.1)
    y = np.array([113.0, 0.0])
    with mp.workdps(60):
        f = lambda a: kklt_potential_mp(mp.mpf(113), mp.mpf(0), mp.mpf(model.W0), mp.mpf(1), a)  # noqa: E731
        binary = check_high_precision(model, y, digits=50).exact.V.item()
        decimal = check_high_precision(model, y, digits=50, parameters={"a": "0.1"}).exact.V.item()
        assert_digits(binary, f(mp.mpf(0.1)), 45, "a = float64(0.1)")
        assert_digits(decimal, f(mp.mpf("0.1")), 45, "a = 1/10")
        assert digits_between(binary, decimal) < 18


def test_unsupported_primitive_named_and_bad_input():
    with pytest.raises(UnsupportedPrimitiveError, match="'qr'"):
        at_precision(lambda a: jnp.linalg.qr(a)[0], digits=30)(np.eye(2))
    with pytest.raises(ValueError, match="digits"):
        check_high_precision(KKLT(), {"T": 113.0}, digits=5)
    with pytest.raises(ValueError, match="no parameter 'b'"):
        check_high_precision(KKLT(), {"T": 113.0}, digits=30, parameters={"b": "1"})


# ---- command line ------------------------------------------------------------------------------


def test_cli_check_digits_and_refine(tmp_path, capsys):
    from jaxvac.cli import main

    assert (
        main(
            [
                "check",
                "kklt",
                "--at",
                "T=113.5891240735582949344927536563",
                "--digits",
                "30",
                "--json",
            ]
        )
        == 0
    )
    rec = json.loads(capsys.readouterr().out)
    assert rec["precision"] == 30 and rec["result"] == "successful"
    # The decimal point given with 31 digits is taken exactly: stationary to ~30 digits.
    assert rec["residual"] < 1e-25
    path = tmp_path / "point.json"
    path.write_text(json.dumps({"fields": {"T": {"re": 113.0, "im": 0.0}}}))
    assert main(["refine", "kklt", "--from", str(path), "--digits", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["refine"]["status"] == "converged"
    assert out["fields_decimal"]["T"]["re"].startswith("113.58912407355829493449275365")


def test_escalation_of_an_unresolved_float64_record():
    model = Polynomial(c=0.0)
    rec64 = jaxvac.check(model, {"x": 2.0**0.5, "y": 0.0}).to_dict()
    assert rec64["vacuum"] == "unresolved" and rec64["advice"]
    (rec,) = jaxvac.escalate(model, [rec64], digits=30)
    assert rec["escalated"] and rec["precision"] == 30
    assert rec["float64"]["vacuum"] == "unresolved"
    with mp.workdps(50):
        x = mp.mpf(2.0**0.5)
        # At this (binary) point V = (x² - 2)² > 0 exactly; x² - 2 ~ 3e-16 cancels 16 of
        # the 30 digits, and the certified digits say so.
        certified = rec["certified_digits"]["V"]
        assert 12 <= certified <= 16
        assert_digits(mp.mpf(rec["V_decimal"]), (x**2 - 2) ** 2, certified - 1, "V")
    # At 30 digits the binary point, ~1e-16 from √2, is resolved as *not* critical (its
    # gradient 4x(x² - 2) ~ 2e-15 is 7e8 times rtol): V > 0 there is no dS vacuum. Its type
    # and vacuum say so; the Hessian's signature is kept as the curvature.
    assert rec["result"] == "not_critical"
    assert rec["type"] == "not_critical" and rec["vacuum"] == "not_critical"
    assert rec["curvature"] == "minimum" and rec["stationarity"] > 1e8
    assert mp.mpf(rec["V_decimal"]) > 0


CANCEL_MODEL = '''
from typing import ClassVar
import jax.numpy as jnp
import jaxvac

class Cancel(jaxvac.PotentialModel):
    """V = (exp(x^2) - 1 - x^2) + 1e-30: near x = 0 its terms cancel below float64."""
    fields: ClassVar[tuple[str, ...]] = ("x",)

    def potential(self, phi):
        x = phi[0]
        return (jnp.exp(x**2) - 1.0 - x**2) + 1e-30
'''


def test_cli_find_escalate(tmp_path, capsys):
    """`find --escalate N`: the minimum at x = 0, whose V = 1e-30 float64 cannot resolve
    against terms ~1, is re-checked at N digits, keeping the search's own fields."""
    from jaxvac.cli import main

    path = tmp_path / "cancel.py"
    path.write_text(CANCEL_MODEL)
    spec = f"{path}:Cancel"
    args = ["find", spec, "--region", "x=-1:1", "--starts", "8", "--json"]
    assert main(args) == 0
    (plain,) = json.loads(capsys.readouterr().out)["critical_points"]
    assert plain["vacuum"] == "unresolved" and plain["advice"]
    assert main(args + ["--escalate", "40"]) == 0
    (rec,) = json.loads(capsys.readouterr().out)["critical_points"]
    assert rec["escalated"] and rec["precision"] == 40
    assert rec["float64"]["vacuum"] == "unresolved"
    assert rec["basin_starts"] == plain["basin_starts"]
    assert rec["vacuum"] == "dS" and rec["type"] == "minimum"
    # V at the (float64) point found, evaluated independently in mpmath.
    with mp.workdps(60):
        x = mp.mpf(rec["fields"]["x"])
        ref = mp.exp(x**2) - 1 - x**2 + mp.mpf("1e-30")
        assert_digits(mp.mpf(rec["V_decimal"]), ref, 10, "V")
    assert main(args + ["--escalate", "5"]) == 2
    assert "--escalate must be between" in capsys.readouterr().err


def test_newton_at_precision_solves_to_the_floor():
    from jaxvac._precision import newton_at_precision

    def f(y, a):
        return jnp.stack([y[0] ** 2 + y[1] ** 2 - a, y[0] - 2 * y[1]])

    a = mp.mpf(5)  # exact argument: the root is (2, 1)
    out = newton_at_precision(f, [3.0, 0.5], a, digits=60)
    assert out.floor and len(out.steps) < 12
    with mp.workdps(60):
        assert abs(out.y[0] - 2) < mp.mpf(10) ** -57 and abs(out.y[1] - 1) < mp.mpf(10) ** -57
    assert out.residuals[-1] < 1e-55 < out.residuals[0]
    # √2: a residual float64 rounds, solved to 60 digits
    root2 = newton_at_precision(lambda y: y**2 - 2.0, [1.0], digits=60).y[0]
    with mp.workdps(60):
        assert abs(root2 - mp.sqrt(2)) < mp.mpf(10) ** -57
    # out of steps before the floor: floor is False, the best iterate is returned
    short = newton_at_precision(f, [3.0, 0.5], a, digits=60, max_steps=2)
    assert not short.floor and len(short.steps) == 2
    assert short.residuals[-1] == min(short.residuals)
