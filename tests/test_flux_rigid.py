"""The rigid Calabi–Yau toy: an exact count of SUSY flux vacua modulo SL(2,ℤ).

Π = (1, i), W = (F − τH)·ΣΠ. A SUSY vacuum is τ = conj[(i f₁ − f₂)/(i h₁ − h₂)] with
Im τ = N/|H|², N = f₁h₂ − f₂h₁; SL(2,ℤ) acts on the rows of the integer matrix M = (F; H)
from the left, so vacua with N_flux = L modulo SL(2,ℤ) are the orbits of integer matrices of
determinant L under left multiplication, i.e. the Hermite normal forms [[a, b], [0, d]],
ad = L, 0 ≤ b < d: there are Σ_{d|L} d = σ₁(L) of them (docs/flux.md).
"""

import jax.numpy as jnp
import numpy as np
import pytest

import jaxvac
from jaxvac import flux
from jaxvac.flux._dedup import act, act_on_fluxes


def hermite_normal_forms(L):
    """The HNFs [[a, b], [0, d]] of determinant L, listed (independent of σ₁'s formula)."""
    return [(a, b, d) for a in range(1, L + 1) if L % a == 0 for d in [L // a] for b in range(d)]


def _check_counts(L_max, result):
    counts = np.bincount(result["N"], minlength=L_max + 1)
    expected = np.array([0] + [len(hermite_normal_forms(L)) for L in range(1, L_max + 1)])
    np.testing.assert_array_equal(counts, expected)
    assert expected[1:].tolist() == [flux.sigma1(L) for L in range(1, L_max + 1)]
    assert result["unconverged"] == 0
    assert np.all(result["residual"] < 1e-12)
    tau = result["tau"]
    assert np.all(flux.in_closed_domain(tau))
    # τ from the fluxes: Im τ = N / |H|², |τ| = |F| / |H|
    H2 = np.sum(result["H"] ** 2, 1)
    np.testing.assert_allclose(tau.imag, result["N"] / H2, rtol=1e-12)
    np.testing.assert_allclose(np.abs(tau), np.sqrt(np.sum(result["F"] ** 2, 1) / H2), rtol=1e-12)


def test_rigid_count_is_sigma1_small():
    L_max = 40
    result = flux.rigid_enumeration(L_max, chunk=1 << 16)
    _check_counts(L_max, result)
    # cumulative counts Σ_{L ≤ L*} σ₁(L) for every L* ≤ 40
    cum = np.cumsum(np.bincount(result["N"], minlength=L_max + 1))
    assert cum[L_max] == sum(flux.sigma1(L) for L in range(1, L_max + 1)) == 1342


@pytest.mark.slow
def test_rigid_count_is_sigma1_to_200():
    L_max = 200
    result = flux.rigid_enumeration(L_max)
    _check_counts(L_max, result)
    assert len(result["tau"]) == sum(flux.sigma1(L) for L in range(1, 201)) == 33044


def test_boundary_points_identified():
    # τ = i from (F, H) = ((1, 0), (0, 1)); its images under S and -1 are the same vacuum
    F = np.array([[1, 0], [0, -1], [-1, 0], [0, 1]])
    H = np.array([[0, 1], [1, 0], [0, -1], [-1, 0]])
    sol = flux.rigid_vacua(F, H)
    np.testing.assert_allclose(sol["tau"], 1j, atol=1e-14)
    tau, F1, H1, count = flux.distinct_vacua(sol["tau"], F, H)
    assert len(tau) == 1 and count.tolist() == [4]
    # Re τ = ±1/2: τ = 1/2 + i from F = (2, 1), H = (0, 2) (N = 4) and its image under
    # T⁻¹, τ = -1/2 + i with F - H: both lie in the closed domain; one vacuum
    F = np.array([[2, 1], [2, -1]])
    H = np.array([[0, 2], [0, 2]])
    t = flux.rigid_vacua(F, H)["tau"]
    np.testing.assert_allclose(t, [0.5 + 1j, -0.5 + 1j], atol=1e-14)
    tau, F1, H1, count = flux.distinct_vacua(t, F, H)
    assert len(tau) == 1 and count.tolist() == [2]
    # the elliptic point e^{2πi/3} is not in ℚ(i), so no rigid-CY vacuum sits there; the
    # canonicalisation still identifies the three flux vectors that ST permutes there
    rho = np.exp(2j * np.pi / 3)
    g = np.array([[0, -1], [1, 1]])  # ST fixes ρ
    assert abs(act(g, rho) - rho) < 1e-14
    F = np.array([[1, 2]])
    H = np.array([[3, 7]])
    F2, H2 = act_on_fluxes(g, F, H)
    F3, H3 = act_on_fluxes(g, F2, H2)
    tau, *_, count = flux.distinct_vacua(
        np.array([rho] * 3), np.concatenate([F, F2, F3]), np.concatenate([H, H2, H3])
    )
    assert len(tau) == 1 and count.tolist() == [3]


def test_sl2z_leaves_potential_invariant():
    model = flux.RigidFluxModel(F=(3.0, 1.0), H=(1.0, 2.0))
    g = np.array([[2, 1], [1, 1]])  # det 1
    tau = 0.3 + 1.7j
    F2, H2 = act_on_fluxes(g, np.array(model.F), np.array(model.H))
    moved = flux.with_fluxes(model, F2, H2)
    tau2 = act(g, tau)

    def V(m, t):
        S = -1j * t
        return float(jaxvac.scalar_potential(m, jnp.array([S.real, S.imag])))

    v1, v2 = V(model, tau), V(moved, tau2)
    assert abs(v1) > 1e-3
    np.testing.assert_allclose(v2, v1, rtol=1e-12)


def test_tadpole_sign_and_vacuum():
    # N = F·ΣH = f1 h2 - f2 h1 > 0 exactly when the vacuum has Im τ > 0
    model = flux.RigidFluxModel(F=(3.0, 1.0), H=(1.0, 2.0))
    assert float(model.tadpole()) == 5.0
    tau = complex(model.axio_dilaton_solution(jnp.zeros(0)))
    assert abs(tau - (1 + 1j)) < 1e-14
    flipped = flux.RigidFluxModel(F=(1.0, 3.0), H=(2.0, 1.0))
    assert float(flipped.tadpole()) == -5.0
    assert complex(flipped.axio_dilaton_solution(jnp.zeros(0))).imag < 0


@pytest.mark.slow
def test_generic_susy_solver_agrees():
    # jaxvac's own SUSY solver (Newton on D_S W = 0 in log coordinates) finds the same τ
    import equinox as eqx
    import jax

    m0 = flux.RigidFluxModel()
    F = jnp.array([[3.0, 1.0], [2.0, -1.0], [5.0, 3.0]])
    H = jnp.array([[1.0, 2.0], [1.0, 3.0], [0.0, 1.0]])
    region = {"S": (0.1, 20.0), "S.im": (-8.0, 8.0)}

    @eqx.filter_jit
    def run(F, H, y0):
        return jax.vmap(
            lambda f, h, y: jaxvac.solve_susy_from(
                flux.with_fluxes(m0, f, h), y, region=region, global_steps=0
            )
        )(F, H, y0)

    res = run(F, H, jnp.tile(jnp.array([1.0, 0.3]), (3, 1)))
    assert np.all(np.asarray(res.result) == int(jaxvac.Result.successful))
    tau = 1j * (np.asarray(res.y[:, 0]) + 1j * np.asarray(res.y[:, 1]))
    np.testing.assert_allclose(tau, flux.rigid_vacua(F, H)["tau"], atol=1e-10)


def test_flux_targets_are_registered():
    from jaxvac.reproduce._framework import load_targets

    targets = load_targets()
    assert {"flux-rigid", "flux-pfv", "flux-pfv-4-214"} <= set(targets)
    assert targets["flux-rigid"].default and targets["flux-pfv"].default


@pytest.mark.slow
def test_flux_rigid_target_default_run(tmp_path):
    """The default flux-rigid report: Σσ₁ for every L* ≤ 60, and through the scan engine
    the same 8 vacua as the direct path for L* = 3; nothing is a mismatch."""
    from jaxvac.reproduce._flux import flux_rigid

    report = flux_rigid(tmp_path, full=False)
    counts = report.counts()
    assert counts["mismatch"] == 0 and counts["match"] == 4
    rows = {r.quantity: r for r in report.rows}
    scan_row = rows["vacua with 0 < N_flux ≤ 3 through the scan engine"]
    assert scan_row.jaxvac == scan_row.reference == 1 + 3 + 4
    assert report.data["counts_per_L"] == [flux.sigma1(n) for n in range(1, 61)]
