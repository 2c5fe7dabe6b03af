"""Type IIB flux models: complex-structure moduli z^a and the axio-dilaton τ stabilised by
integer three-form fluxes (F, H), as ordinary :class:`jaxvac.SupergravityModel` subclasses.

jaxvac's moduli have positive *real* parts (saxions), so a flux model's moduli are

    U^a = −i z^a   (Re U^a = Im z^a > 0),        S = −i τ   (Re S = Im τ = 1/g_s > 0),

in the order (U1, ..., Uh, S). K and W are holomorphic in (U, S) because z = iU, τ = iS.
The fluxes F, H ∈ ℤ^{2h+2} are array parameters: one compiled program serves every flux
choice (``jax.vmap`` over models = over fluxes). Conventions: ``docs/flux.md``.
"""

from typing import ClassVar, TypeVar

import equinox as eqx
import jax
import jax.core
import jax.numpy as jnp
import numpy as np
from equinox import AbstractVar
from jax.typing import ArrayLike

from .._model import SupergravityModel
from . import _periods


def _flux_array(x):
    """Fluxes are stored as one float64 array (a single leaf: the scan engine samples it as
    one parameter of shape (2h+2,)); traced values pass through."""
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return x
    return np.asarray(x, np.float64)


def flux_field(default):
    """A flux parameter: default given as a tuple, stored as a float64 array."""
    return eqx.field(default=tuple(float(v) for v in default), converter=_flux_array)


class AbstractFluxModel(SupergravityModel):
    """K = −log(S + S̄) − log(−iΠ†ΣΠ), W = (F − τH)·ΣΠ with τ = iS, z = iU.

    Subclasses define :meth:`cs_periods` (Π as a function of the h complex-structure moduli
    z) and fields ``F``, ``H`` (length 2h + 2). ``moduli`` end with ``"S"``.
    """

    # (Real annotations, not strings: Equinox reads AbstractVar at class creation.)
    F: AbstractVar[ArrayLike]  # float64 (2h + 2,) fluxes (see flux_field)
    H: AbstractVar[ArrayLike]

    def __check_init__(self):
        want = (2 * (len(self.moduli) - 1) + 2,)
        for name in ("F", "H"):
            value = getattr(self, name, None)
            if value is None or isinstance(value, jax.core.Tracer):
                continue
            if np.shape(value) != want:
                raise ValueError(
                    f"{type(self).__name__}: parameter {name!r} must be a flux "
                    f"vector of length {want[0]} (got shape {np.shape(value)})."
                )

    def cs_periods(self, z):
        """Π(z) = (F_0, F_a, X^0, X^a), complex (2h + 2,)."""
        raise NotImplementedError

    @property
    def n_cs(self) -> int:
        return self.n_moduli - 1

    def split_moduli(self, m):
        """(z, τ) from the jaxvac moduli m = (U, S)."""
        return 1j * m[: self.n_cs], 1j * m[self.n_cs]

    def instanton_diagnostics(self, z) -> dict[str, jax.Array]:
        """How large the worldsheet-instanton corrections of the periods are at z (the
        physicality columns of :func:`jaxvac.flux.solve`): none for a model without
        any (:class:`PrepotentialModel` has them)."""
        return {}

    def kahler_logs(self):
        return {"S": 1.0}

    def kahler_remainder(self, m, mbar):
        z, _ = self.split_moduli(m)
        Pi = self.cs_periods(z)
        return -jnp.log(_periods.kahler_volume(Pi, jnp.conj(Pi)))

    def superpotential(self, m):
        z, tau = self.split_moduli(m)
        return _periods.flux_superpotential(self.F, self.H, tau, self.cs_periods(z))

    def superpotential_terms(self, m):
        """The 2h + 2 terms G_i (ΣΠ)_i whose sum is W (G = F − τH): their sizes set the
        rounding floor of W and of its derivatives."""
        z, tau = self.split_moduli(m)
        Pi = self.cs_periods(z)
        n = Pi.shape[0] // 2
        G = jnp.asarray(self.F, jnp.complex128) - tau * jnp.asarray(self.H, jnp.complex128)
        return jnp.concatenate([G[:n] * Pi[n:], -G[n:] * Pi[:n]])

    def tadpole(self):
        """N_flux = F·ΣH (signed)."""
        return _periods.tadpole(jnp.asarray(self.F), jnp.asarray(self.H))

    def axio_dilaton_solution(self, z):
        """τ solving D_τW = 0 at fixed z, exactly: W is linear in τ, W = A − τB, and
        D_τW = 0 ⇔ W(τ̄) = 0 ⇔ τ = conj(A/B), with A = F·ΣΠ and B = H·ΣΠ (both from the
        model's own W: A = W(τ=0), B = −∂_τW by autodiff)."""
        Pi = self.cs_periods(z)
        w = lambda tau: _periods.flux_superpotential(self.F, self.H, tau, Pi)
        A = w(0.0 + 0.0j)
        B = -jax.jacfwd(lambda t: jnp.asarray(w(t + 0.0j), jnp.complex128))(0.0)
        return jnp.conj(A / B)


class RigidFluxModel(AbstractFluxModel):
    """The rigid Calabi–Yau toy: no complex-structure moduli, Π = (F_0, X^0) = (1, i),
    K = −log(S + S̄) − log 2, W = (F − τH)·ΣΠ = i(f₁ − τh₁) − (f₂ − τh₂), N = f₁h₂ − f₂h₁.

    Denef–Douglas, hep-th/0404116 §3 (the T² / rigid-CY example of SUSY-vacuum counting).
    Its SUSY vacua are τ = conj[(i f₁ − f₂)/(i h₁ − h₂)] with Im τ = N/|H|² > 0 iff N > 0.
    """

    moduli: ClassVar[tuple[str, ...]] = ("S",)
    saxions: ClassVar[tuple[str, ...]] = ("S",)
    F: ArrayLike = flux_field((1.0, 0.0))
    H: ArrayLike = flux_field((0.0, 1.0))

    def cs_periods(self, z):
        return jnp.asarray([1.0 + 0.0j, 1.0j])


class PrepotentialModel(AbstractFluxModel):
    """A Calabi–Yau orientifold at large complex structure, from its prepotential

    F(z) = −(1/6)κ_abc z^a z^b z^c + ½a_ab z^a z^b + b_a z^a + ζ(3)χ/(2(2πi)³)
           − (2πi)^{−3} Σ_q n_q Li₃(e^{2πi q·z})

    (eq. (2.3) of arXiv:1912.10047). Fields: ``kappa`` (h,h,h) triple intersection numbers of
    the mirror X̃, ``a`` (h,h), ``b`` (h,) = c₂·J_a/24, ``chi`` = χ(X̃) (so the α′ constant
    is ξ = ζ(3)χ(X̃)/(2(2πi)³) = −ζ(3)χ(X)/(2(2πi)³)), optional GV invariants
    ``gv_charges`` (n_q, h) and ``gv_values`` (n_q,), and the fluxes ``F``, ``H`` (2h+2,).
    ``li_terms`` (static) is the number of terms kept in each Li₃ series.

    Subclasses name the moduli: ``moduli = ("U1", ..., "Uh", "S")`` (see
    :func:`prepotential_model` for a class built from data).
    """

    kappa: tuple = (((6.0,),),)
    a: tuple = ((0.0,),)
    b: tuple = (0.0,)
    chi: float = 0.0
    gv_charges: tuple = ()
    gv_values: tuple = ()
    F: ArrayLike = flux_field((0.0, 0.0, 0.0, 0.0))
    H: ArrayLike = flux_field((0.0, 0.0, 0.0, 0.0))
    li_terms: int = eqx.field(static=True, default=12)

    def __check_init__(self):
        h = len(self.moduli) - 1
        if h < 1 or self.moduli[-1] != "S":
            raise TypeError(
                f"{type(self).__name__}: moduli must be (U1, ..., Uh, 'S') with h >= 1 "
                f"(got {self.moduli})."
            )
        for name, shape in (
            ("kappa", (h, h, h)),
            ("a", (h, h)),
            ("b", (h,)),
            ("F", (2 * h + 2,)),
            ("H", (2 * h + 2,)),
        ):
            value = getattr(self, name)
            if isinstance(value, jax.core.Tracer):
                continue
            got = np.shape(np.asarray(value))
            if got != shape:
                raise ValueError(
                    f"{type(self).__name__}: {name} must have shape {shape} (got {got})."
                )

    def gv_arrays(self):
        """(charges (n_q, h), values (n_q,)) as float64 arrays (n_q may be 0)."""
        h = self.n_cs
        q = jnp.asarray(self.gv_charges, jnp.float64).reshape(-1, h)
        n = jnp.asarray(self.gv_values, jnp.float64).reshape(-1)
        return q, n

    def prepotential(self, z):
        q, n = self.gv_arrays()
        return _periods.lcs_prepotential(
            z,
            jnp.asarray(self.kappa, jnp.float64),
            jnp.asarray(self.a, jnp.float64),
            jnp.asarray(self.b, jnp.float64),
            self.chi,
            q,
            n,
            self.li_terms,
        )

    def polynomial_prepotential(self, z):
        """The prepotential without the instanton sum."""
        q, n = self.gv_arrays()
        return _periods.lcs_prepotential(
            z,
            jnp.asarray(self.kappa, jnp.float64),
            jnp.asarray(self.a, jnp.float64),
            jnp.asarray(self.b, jnp.float64),
            self.chi,
            q[:0],
            n[:0],
            self.li_terms,
        )

    def cs_periods(self, z):
        return _periods.period_vector(self.prepotential, z)

    def instanton_diagnostics(self, z) -> dict[str, jax.Array]:
        """``instanton_ratio`` |F − F_poly| / |F_poly| (F_poly: the prepotential without
        the instanton sum) and, with GV invariants, ``instanton_max_q`` max_q |e^{2πi q·z}|."""
        q, _ = self.gv_arrays()
        full = self.prepotential(z)
        poly = self.polynomial_prepotential(z)
        out = {"instanton_ratio": jnp.abs(full - poly) / jnp.abs(poly)}
        if q.shape[0]:
            out["instanton_max_q"] = jnp.max(jnp.abs(jnp.exp(2j * jnp.pi * (q @ z))))
        return out


def prepotential_model(h: int, name: str | None = None) -> type[PrepotentialModel]:
    """A :class:`PrepotentialModel` subclass with moduli (U1, ..., Uh, S)."""
    if not isinstance(h, int) or h < 1:
        raise ValueError(f"h must be an integer >= 1 (got {h!r}).")
    moduli = tuple(f"U{i}" for i in range(1, h + 1)) + ("S",)
    cls_name = name or f"PrepotentialModelH{h}"
    return type(
        cls_name,
        (PrepotentialModel,),
        {
            "__annotations__": {
                "moduli": ClassVar[tuple[str, ...]],
                "saxions": ClassVar[tuple[str, ...]],
            },
            "moduli": moduli,
            "saxions": moduli,
            "__module__": __name__,
        },
    )


_FluxModel = TypeVar("_FluxModel", bound=AbstractFluxModel)


def with_fluxes(model: _FluxModel, F, H) -> _FluxModel:
    """``model`` with fluxes F, H (float64 arrays; traced values allowed, e.g. under vmap)."""
    return eqx.tree_at(
        lambda m: (m.F, m.H), model, (jnp.asarray(F, jnp.float64), jnp.asarray(H, jnp.float64))
    )
