"""Type IIB flux vacua: periods from a prepotential, integer fluxes as array parameters, the
signed D3 tadpole, complete enumeration in a box, SL(2,ℤ)/monodromy identification,
physicality columns and perturbatively flat vacua (``docs/flux.md``)."""

from ._batch import (
    FluxSolver,
    flux_vacua,
    lcs_starts,
    monodromy_generators,
    reduce_vacua,
    sample_fluxes,
)
from ._dedup import (
    canonical_representative,
    distinct_vacua,
    in_closed_domain,
    to_fundamental_domain,
)
from ._enumerate import (
    FluxBox,
    enumerate_fluxes,
    rigid_box,
    rigid_enumeration,
    rigid_vacua,
    sigma1,
)
from ._models import (
    AbstractFluxModel,
    PrepotentialModel,
    RigidFluxModel,
    prepotential_model,
    with_fluxes,
)
from ._pfv import (
    pfv_vacuum,
    pfv_conditions,
    pfv_fluxes,
    racetrack_leading,
    racetrack_terms,
)
from ._solve import (
    FluxVacuum,
    moduli_to_y,
    physicality,
    refine_high_precision,
    solve_flux_vacuum,
    susy_fterms,
    term_scale,
    y_to_moduli,
)
from ._dedup import act, act_on_fluxes
from ._periods import (
    flux_superpotential,
    kahler_volume,
    lcs_prepotential,
    monodromy_matrix,
    period_vector,
    symplectic_form,
    tadpole,
    transform_fluxes,
)

__all__ = [
    "FluxVacuum", "act", "act_on_fluxes", "moduli_to_y", "pfv_conditions", "pfv_fluxes",
    "pfv_vacuum", "FluxSolver", "flux_vacua", "lcs_starts", "monodromy_generators",
    "reduce_vacua", "sample_fluxes",
    "physicality", "racetrack_leading", "racetrack_terms", "refine_high_precision",
    "solve_flux_vacuum", "susy_fterms", "term_scale", "y_to_moduli",
    "AbstractFluxModel", "FluxBox", "PrepotentialModel", "RigidFluxModel",
    "canonical_representative", "distinct_vacua", "enumerate_fluxes", "flux_superpotential",
    "in_closed_domain", "kahler_volume", "lcs_prepotential", "monodromy_matrix",
    "period_vector", "prepotential_model", "rigid_box", "rigid_enumeration", "rigid_vacua",
    "sigma1",
    "symplectic_form", "tadpole", "to_fundamental_domain", "transform_fluxes", "with_fluxes",
]
