"""The RKU landscape of stable de Sitter vacua, computed exactly by a Kac–Rice change of
variables instead of by rejection sampling.

Setting (seed 000, §2): W0, A, B drawn independently (even densities p_W, p_A, p_B),
N1, N2, ξ fixed (K_cs = 0); the vacua of a draw are the classically stable critical
points of the full potential of :class:`jaxvac.models.RKU` with V > 0.

Why this is exact and unbiased
------------------------------
1. *Homogeneity and two charts.* V(T; W0, A, B) is homogeneous of degree 2 in
   (W0, A, B). Split the draws by which of |A|, |B| is larger and scale it out:

   - chart Z (|A| ≤ |B|): ρ = B, c = A/B ∈ [-1, 1], w = W0/B;
   - chart S (|B| < |A|): ρ = A, c = B/A ∈ (-1, 1), w = W0/A.

   The vacua depend only on (c, w), Λ = ρ² Λ₁(c, w), and dW0 dA dB = ρ² dρ dc dw; the
   ρ-integral of the draw densities is closed-form (:class:`Draws`). Both charts are
   regular everywhere (including A → 0 or B → 0, the pure Kähler-uplift limits), and
   together they cover every draw once.
2. *Kac–Rice.* On τ = 0 (where ∂_τV ≡ 0 for real parameters) the expected number of
   critical points with property P is ∫ dc dw Σ_{t: V_t = 0} 1_P
   = ∫ dc dt Σ_{w: V_t(t; c, w) = 0} |V_tt / ∂_w V_t| 1_P (change of variables
   w ↦ t at fixed c). V_t is exactly quadratic in w (W is linear in W0), so both roots
   are found in closed form: nothing can be missed by a solver.
3. *The stable set* in the (t, c) plane is, at each t, a union of c-intervals bounded by
   zeros of smooth functions of c (discriminant, V, V_tt, V_ττ, |w| - 1) on each root.
   They are located by sign changes on a grid (linear in c, logarithmic in |c|, and
   dense around the leading-order window of (2.3)-(2.6)) and refined by bisection to
   machine precision; each interval is integrated by Gauss–Legendre, the t-integral by
   composite Gauss–Legendre. No random numbers: the result is the expectation itself,
   up to a quadrature error measured by refining the grids.
4. *The other line.* τ = N1N2/2 (aτ, bτ multiples of π) maps (A, B) → (-A, B), i.e.
   c → -c in both charts; for even distributions it carries the same expected number
   of vacua, so totals are twice the τ = 0 line. Off these two lines the paper states,
   and the brute-force scan checks, that there are no minima.

The brute-force scan of ``experiments/scan_rku.toml`` measures the same quantities by
drawing (W0, A, B) and searching; it must agree within its Poisson errors.
"""

from __future__ import annotations

import dataclasses
import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .._config import ensure_x64
from .._potential import kinetic_metric, scalar_potential
from ..models._rku import RKU

#: Chart indices: Z has B = 1, A = c; S has A = 1, B = c.
CHART_Z, CHART_S = 0, 1
#: Lines of real critical points: τ = 0 and τ = N1N2/2 (equal by the symmetry A → -A).
LINES = 2
#: Edge functions: discriminant, V, V_tt, V_ττ, |w| - 1.
N_EDGES = 5


# ---- one point (t, c, w) on τ = 0 --------------------------------------------------------


def _model(chart, c, w, N1, N2, xi):
    one = jnp.ones((), dtype=jnp.float64)
    A = jnp.where(chart == CHART_Z, c, 1.0) * one
    B = jnp.where(chart == CHART_Z, 1.0, c) * one
    return RKU(W0=w * one, A=A, B=B, N1=N1 * one, N2=N2 * one, xi=xi * one, K_cs=0.0 * one)


def _potential(y, chart, c, w, params):
    return scalar_potential(_model(chart, c, w, *params), y)


def _vt(t, chart, c, w, params):
    return jax.grad(lambda tt: _potential(jnp.stack([tt, 0.0 * tt]), chart, c, w, params))(t)


def _w_roots(t, chart, c, w0, params):
    """Both roots w of V_t(t; c, w) = 0 (exactly quadratic in w), expanded around w0."""
    f = lambda w: _vt(t, chart, c, w, params)
    f0 = f(w0)
    f1 = jax.grad(f)(w0)
    f2 = jax.grad(jax.grad(f))(w0)
    # Normalise before squaring: the coefficients can be ~1e-250 (deep in the tail).
    norm = jnp.abs(f0) + jnp.abs(f1) + jnp.abs(f2)
    norm = jnp.where(norm > 0, norm, 1.0)
    f0, f1, f2 = f0 / norm, f1 / norm, f2 / norm
    q2 = 0.5 * f2
    disc = f1**2 - 4.0 * q2 * f0
    sq = jnp.sqrt(jnp.maximum(disc, 0.0))
    q = -0.5 * (f1 + jnp.where(f1 >= 0, 1.0, -1.0) * sq)
    d1 = jnp.where(q2 != 0, q / jnp.where(q2 != 0, q2, 1.0), jnp.inf)
    d2 = jnp.where(q != 0, f0 / jnp.where(q != 0, q, 1.0), jnp.inf)
    roots = jnp.stack([w0 + jnp.minimum(d1, d2), w0 + jnp.maximum(d1, d2)])
    disc_rel = disc / (f1**2 + 4.0 * jnp.abs(q2 * f0) + 1e-300)
    return roots, disc_rel


class LinePoint(eqx.Module):
    """A critical point on τ = 0 at ρ = 1: everything the integrals need."""

    w: jax.Array  # W0/ρ
    V: jax.Array  # Λ₁ = V at ρ = 1
    v_tt: jax.Array
    v_tautau: jax.Array
    metric: jax.Array  # 2 K_TT̄: kinetic metric of t and of τ
    jacobian: jax.Array  # |V_tt / ∂_w V_t|
    disc: jax.Array  # relative discriminant of the quadratic in w


def _point(t, chart, c, w, disc, params) -> LinePoint:
    y = jnp.stack([t, 0.0 * t])
    V2 = lambda yy: _potential(yy, chart, c, w, params)
    H = jax.hessian(V2)(y)
    dvt_dw = jax.grad(lambda ww: _vt(t, chart, c, ww, params))(w)
    metric = kinetic_metric(_model(chart, c, w, *params), y)[0, 0]
    return LinePoint(
        w=w,
        V=V2(y),
        v_tt=H[0, 0],
        v_tautau=H[1, 1],
        metric=metric,
        jacobian=jnp.abs(H[0, 0] / dvt_dw),
        disc=disc,
    )


def _window_lo(x, beta, a, xi):
    """Ĉ edges and centre of the exact window of λ (2.2) (closed forms of
    :func:`jaxvac.reproduce._rku_formulas.window_c_exact`, valid for x ≳ 3/β)."""
    e = jnp.exp(-x)
    cy = 2.0 / 9.0 * e * x**2.5 * (beta - 1.0) * (beta * x + 2.0 * beta + 2.0) / beta**2
    D = beta**2 * x**2 - 1.5 * beta * x - 5.0
    cx = 2.0 / 9.0 * e * x**3.5 * (beta - 1.0) * (beta * x**2 + 2.0 * (beta + 1.0) * x + 2.0) / D
    return cy, cx, 0.5 * (cy + cx)


def _z_of(x, beta, C):
    """z = A/B at the y = 0 extremum of λ, eq. (2.3)."""
    e = jnp.exp(-x)
    inv_z = jnp.exp(beta * x) * (4.5 * C * x**-2.5 - e * (x + 2.0)) / (beta * (beta * x + 2.0))
    return 1.0 / inv_z


def leading_order_guess(x, beta, a, xi):
    """(z, r) at the centre of the exact window of λ (2.2): z = A/B, r = W0/A.

    Used only to centre grids and to expand the quadratic; any value would do.
    """
    _, _, C = _window_lo(x, beta, a, xi)
    r = -C * 32.0 * math.sqrt(2.0) / (3.0 * a**1.5 * xi)
    return _z_of(x, beta, C), r


def window_z_lo(x, beta, a, xi):
    """(z at Ĉ_y, z at Ĉ_x): the z-edges of the exact window of λ (2.2)."""
    cy, cx, _ = _window_lo(x, beta, a, xi)
    return _z_of(x, beta, cy), _z_of(x, beta, cx)


def _points_at(t, chart, c, params):
    """Both roots at (t, c) in ``chart``: a LinePoint batched over the root axis (2,)."""
    N1, N2, xi = params
    a = 2.0 * jnp.pi / N1
    beta = N1 / N2
    _, r = leading_order_guess(a * t, beta, a, xi)
    w0 = jnp.where(chart == CHART_Z, r * c, r)
    w0 = jnp.where(jnp.isfinite(w0), w0, 0.0)
    roots, disc = _w_roots(t, chart, c, w0, params)
    return jax.vmap(lambda w: _point(t, chart, c, w, disc, params))(roots)


def _edge_functions(p: LinePoint):
    """Smooth functions whose zeros bound the stable intervals, shape (2 roots, N_EDGES)."""
    return jnp.stack([p.disc, p.V, p.v_tt, p.v_tautau, jnp.abs(p.w) - 1.0], axis=-1)


def stable(p: LinePoint):
    """Real root, V > 0, both masses² > 0: a classically stable de Sitter vacuum."""
    return (p.disc > 0) & (p.V > 0) & (p.v_tt > 0) & (p.v_tautau > 0) & jnp.isfinite(p.jacobian)


#: Every evaluation goes through one compiled function of this many points (padded), so
#: the whole computation compiles once.
CHUNK = 4096


@eqx.filter_jit
def _eval_chunk(t, chart, c, params):
    p = jax.vmap(lambda tt, ch, cc: _points_at(tt, ch, cc, params))(t, chart, c)
    return p, jax.vmap(_edge_functions)(p), stable(p)


def evaluate(t, chart, c, N1, N2, xi):
    """Both roots at each (t, chart, c): (LinePoint with leading axes (n, 2), edge
    functions (n, 2, N_EDGES), stable (n, 2)) as numpy arrays."""
    ensure_x64()
    t = np.asarray(t, dtype=float).ravel()
    chart = np.broadcast_to(np.asarray(chart, dtype=np.int32), t.shape).ravel()
    c = np.asarray(c, dtype=float).ravel()
    n = len(t)
    params = (jnp.float64(N1), jnp.float64(N2), jnp.float64(xi))
    outs = []
    for i in range(0, n, CHUNK):
        m = min(CHUNK, n - i)
        tt, hh, cc = np.full(CHUNK, t[i]), np.full(CHUNK, chart[i]), np.full(CHUNK, c[i])
        tt[:m], hh[:m], cc[:m] = t[i : i + m], chart[i : i + m], c[i : i + m]
        res = _eval_chunk(jnp.asarray(tt), jnp.asarray(hh), jnp.asarray(cc), params)
        outs.append(jax.tree.map(lambda v: np.asarray(v)[:m], res))
    if not outs:
        raise ValueError("evaluate: no points.")
    return jax.tree.map(lambda *v: np.concatenate(v), *outs)


# ---- the stable set and its quadrature nodes ----------------------------------------------


@dataclasses.dataclass
class StableSet:
    """Quadrature nodes of the stable-dS set on the τ = 0 line (ρ = 1).

    Node weights are those of ∫ dt dc |V_tt/∂_wV_t| over the stable set (t in Planck
    units), per chart; each node carries its chart, c, the root w, Λ₁ = V(ρ = 1) and
    the masses² at ρ = 1.
    """

    N1: float
    N2: float
    xi: float
    t: np.ndarray
    chart: np.ndarray
    c: np.ndarray
    w: np.ndarray
    weight: np.ndarray
    Lambda1: np.ndarray
    m2_t: np.ndarray
    m2_tau: np.ndarray
    x_nodes: np.ndarray
    intervals: list  # per x node: list of (chart, c_lo, c_hi, root)
    nonfinite: int = 0  # grid points where an edge function was not finite (must be 0)

    @property
    def a(self):
        return 2.0 * math.pi / self.N1

    @property
    def beta(self):
        return self.N1 / self.N2

    @property
    def x(self):
        return self.a * self.t

    def parameters(self, rho):
        """(W0, A, B) of each node for scale ρ (array broadcastable to the nodes)."""
        rho = np.asarray(rho, dtype=float)
        z = self.chart == CHART_Z
        A = np.where(z, self.c * rho, rho)
        B = np.where(z, rho, self.c * rho)
        return self.w * rho, A, B


def _gauss_panels(edges, order):
    g, w = np.polynomial.legendre.leggauss(order)
    xs, ws = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        xs.append(0.5 * (hi - lo) * g + 0.5 * (hi + lo))
        ws.append(0.5 * (hi - lo) * w)
    return np.concatenate(xs), np.concatenate(ws)


def panel_edges(x_lo, x_hi, fine_until=60.0, fine=2.0, coarse=10.0):
    """Panel edges in x: width ``fine`` below ``fine_until``, ``coarse`` above."""
    edges = [x_lo]
    while edges[-1] < x_hi:
        edges.append(edges[-1] + (fine if edges[-1] < fine_until else coarse))
    edges[-1] = x_hi
    return np.asarray(edges, dtype=float)


def c_grid(zc, window=None, *, n_lin=101, log_decades=60, n_local=121, local_span=3.0, n_window=41):
    """The c-grid at one x (c = A/B in chart Z, B/A in chart S), all within [-1, 1]:
    linear on [-1, 1]; one point per decade of |c| down to 10^-log_decades; logarithmic
    around ±|z_c| e^{±local_span}; and, given the z-edges ``window`` of the λ window,
    ``n_window`` points across it (and across its reciprocal, for chart S) with a margin
    of twice its width — the window can be far narrower than the other spacings."""
    parts = [np.linspace(-1.0, 1.0, n_lin)]
    mags = np.logspace(-log_decades, 0.0, log_decades + 1)
    if np.isfinite(zc) and zc != 0:
        loc = abs(zc) * np.exp(np.linspace(-local_span, local_span, n_local))
        mags = np.concatenate([mags, loc[loc < 1.0]])
    parts += [mags, -mags]
    if window is not None and np.all(np.isfinite(window)) and window[0] != window[1]:
        for z1, z2 in (window, (1.0 / window[0], 1.0 / window[1])):
            width = abs(z2 - z1)
            lo, hi = min(z1, z2) - 2 * width, max(z1, z2) + 2 * width
            pts = np.linspace(lo, hi, n_window)
            parts.append(pts[np.abs(pts) <= 1.0])
    return np.unique(np.concatenate(parts))


BISECTIONS = 56


def stable_intervals(ts, N1, N2, xi, **grid):
    """The stable-dS c-intervals at each t of ``ts``: a list (per t) of
    ``(chart, c_lo, c_hi, root)``, and the number of grid points where an edge function
    was not finite (reported, never silently dropped). ``grid`` goes to :func:`c_grid`."""
    ensure_x64()
    ts = np.atleast_1d(np.asarray(ts, dtype=float))
    a = 2.0 * math.pi / N1
    beta = N1 / N2
    xs = jnp.asarray(a * ts)
    zcs = np.asarray(leading_order_guess(xs, beta, a, xi)[0])
    z_lo, z_hi = (np.asarray(v) for v in window_z_lo(xs, beta, a, xi))
    # 1. the grid: every (t, chart, c)
    gi, gh, gc = [], [], []
    for i, z in enumerate(zcs):
        g = c_grid(z, (z_lo[i], z_hi[i]) if a * ts[i] > 3.0 / beta else None, **grid)
        for h in (CHART_Z, CHART_S):
            gi.append(np.full(len(g), i))
            gh.append(np.full(len(g), h))
            gc.append(g)
    gi, gh, gc = map(np.concatenate, (gi, gh, gc))
    _, fv, _ = evaluate(ts[gi], gh, gc, N1, N2, xi)
    nonfinite = int(np.sum(~np.isfinite(fv).all(axis=(1, 2))))
    # 2. sign changes between consecutive grid points of one (t, chart), by bisection in c
    same_seg = (gi[1:] == gi[:-1]) & (gh[1:] == gh[:-1])
    finite = np.isfinite(fv[1:]) & np.isfinite(fv[:-1])
    change = (np.sign(fv[1:]) != np.sign(fv[:-1])) & same_seg[:, None, None] & finite
    j, k, e = np.nonzero(change)
    lo, hi = gc[j].copy(), gc[j + 1].copy()
    f_lo = fv[j, k, e]
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        _, fm, _ = evaluate(ts[gi[j]], gh[j], mid, N1, N2, xi)
        fm = fm[np.arange(len(mid)), k, e]
        same = np.sign(fm) == np.sign(f_lo)
        lo, hi, f_lo = np.where(same, mid, lo), np.where(same, hi, mid), np.where(same, fm, f_lo)
    cuts_c = 0.5 * (lo + hi)
    # 3. pieces between consecutive cuts (and grid ends), tested at their midpoints
    cut_owner = gi[j] * 2 + gh[j]
    order = np.argsort(cut_owner, kind="stable")
    bounds = np.searchsorted(cut_owner[order], np.arange(2 * len(ts) + 1))
    pieces = []
    for i in range(len(ts)):
        for h in (CHART_Z, CHART_S):
            o = 2 * i + h
            cuts = np.unique(
                np.concatenate([[-1.0, 1.0], cuts_c[order[bounds[o] : bounds[o + 1]]]])
            )
            pieces += [(i, h, ca, cb) for ca, cb in zip(cuts[:-1], cuts[1:]) if cb > ca]
    pieces = np.asarray(pieces, dtype=float)
    pi_i, pi_h = pieces[:, 0].astype(int), pieces[:, 1].astype(int)
    _, _, st_mid = evaluate(ts[pi_i], pi_h, 0.5 * (pieces[:, 2] + pieces[:, 3]), N1, N2, xi)
    intervals = [[] for _ in ts]
    for m, root in zip(*np.nonzero(st_mid)):
        intervals[pi_i[m]].append((int(pi_h[m]), pieces[m, 2], pieces[m, 3], int(root)))
    return intervals, nonfinite


def stable_set(
    N1=10.0,
    N2=9.0,
    xi=1e-3,
    *,
    x_lo=0.5,
    x_hi=240.0,
    x_order=8,
    r_order=12,
    fine_until=60.0,
    fine=2.0,
    coarse=10.0,
    **grid,
) -> StableSet:
    """Locate the stable-dS set on τ = 0 in both charts and return quadrature nodes.

    t runs over [x_lo, x_hi]/a (composite Gauss–Legendre, ``x_order`` nodes per panel);
    each stable c-interval gets ``r_order`` Gauss–Legendre nodes. ``grid`` goes to
    :func:`c_grid`.
    """
    a = 2.0 * math.pi / N1
    xs, wxs = _gauss_panels(panel_edges(x_lo, x_hi, fine_until, fine, coarse), x_order)
    ts = xs / a
    intervals, nonfinite = stable_intervals(ts, N1, N2, xi, **grid)
    g_c, w_c = np.polynomial.legendre.leggauss(r_order)
    nt, nh, nc, nw, nk = [], [], [], [], []
    for i, ivs in enumerate(intervals):
        for h, ca, cb, root in ivs:
            nt.append(np.full(r_order, ts[i]))
            nh.append(np.full(r_order, h))
            nc.append(0.5 * (cb - ca) * g_c + 0.5 * (cb + ca))
            nw.append(wxs[i] / a * 0.5 * (cb - ca) * w_c)
            nk.append(np.full(r_order, root))
    if not nt:
        raise RuntimeError("stable_set: no stable de Sitter vacua in the x range.")
    nt, nh, nc, nw, nk = map(np.concatenate, (nt, nh, nc, nw, nk))
    p, _, stn = evaluate(nt, nh, nc, N1, N2, xi)
    rows = np.arange(len(nt))
    pk = jax.tree.map(lambda v: v[rows, nk], p)
    ok = stn[rows, nk]
    return StableSet(
        N1=N1,
        N2=N2,
        xi=xi,
        t=nt,
        chart=nh,
        c=nc,
        w=pk.w,
        weight=np.where(ok, nw * pk.jacobian, 0.0),
        Lambda1=pk.V,
        m2_t=pk.v_tt / pk.metric,
        m2_tau=pk.v_tautau / pk.metric,
        x_nodes=xs,
        intervals=intervals,
        nonfinite=nonfinite,
    )


# ---- the draw distributions: the ρ-integral in closed form --------------------------------


def _cbrt(v):
    return np.sign(v) * np.abs(v) ** (1.0 / 3.0)


def _interval_for(coef, lo, hi):
    """The ρ-interval on which coef·ρ ∈ [lo, hi] (coef may be 0 or of either sign)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a_ = np.where(coef > 0, lo / coef, hi / coef)
        b_ = np.where(coef > 0, hi / coef, lo / coef)
    inside = (lo <= 0) & (hi >= 0)
    a_ = np.where(coef == 0, np.where(inside, -np.inf, np.inf), a_)
    b_ = np.where(coef == 0, np.where(inside, np.inf, -np.inf), b_)
    return a_, b_


def _power_integral(a_, b_, m_lo, m_hi, k):
    """∫ |ρ|^k dρ over [a_, b_] ∩ {m_lo ≤ |ρ| ≤ m_hi} (elementwise; k = 1 or 2)."""
    total = 0.0
    for sign in (-1.0, 1.0):
        # the half-line piece: |ρ| in [m_lo, m_hi] with this sign, i.e. an interval in |ρ|
        if sign > 0:
            lo_m, hi_m = np.maximum(a_, m_lo), np.minimum(b_, m_hi)
        else:
            lo_m, hi_m = np.maximum(-b_, m_lo), np.minimum(-a_, m_hi)
        hi_m = np.maximum(hi_m, lo_m)
        total = total + (hi_m ** (k + 1) - lo_m ** (k + 1)) / (k + 1)
    return total


@dataclasses.dataclass(frozen=True)
class Draws:
    """Independent draws of W0, A, B.

    A and B are uniform on the intervals ``A`` and ``B``. W0 is uniform on ``W0``
    (``kind="uniform"``), or, with ``kind="loguniform_W0"``, |W0| is log-uniform on
    [``w_lo``, ``w_hi``] with a random sign (density ∝ 1/|W0|: not smooth at zero).
    The paper's prescription — smooth distributions allowing zero — is the default,
    all three uniform on [-1, 1].
    """

    kind: str = "uniform"
    W0: tuple = (-1.0, 1.0)
    A: tuple = (-1.0, 1.0)
    B: tuple = (-1.0, 1.0)
    w_lo: float = 1e-300
    w_hi: float = 1.0

    def __post_init__(self):
        if self.kind not in ("uniform", "loguniform_W0"):
            raise ValueError(
                f"Draws: kind must be 'uniform' or 'loguniform_W0' (got {self.kind!r})."
            )
        for name in ("W0", "A", "B"):
            lo, hi = getattr(self, name)
            if not hi > lo:
                raise ValueError(f"Draws: {name} must be an interval (lo, hi) with hi > lo.")
        if not 0 < self.w_lo < self.w_hi:
            raise ValueError("Draws: need 0 < w_lo < w_hi.")

    def reflected_A(self) -> Draws:
        """The draws seen from the line τ = N1N2/2, where (A, B) → (-A, B)."""
        return dataclasses.replace(self, A=(-self.A[1], -self.A[0]))

    def _rho_setup(self, chart, c, w):
        """ρ-interval from the A, B (and uniform W0) boxes, |ρ| limits, density constant."""
        A_lo, A_hi = self.A
        B_lo, B_hi = self.B
        z = chart == CHART_Z
        # chart Z: B = ρ, A = cρ; chart S: A = ρ, B = cρ.
        coef_A = np.where(z, c, 1.0)
        coef_B = np.where(z, 1.0, c)
        a1, b1 = _interval_for(coef_A, A_lo, A_hi)
        a2, b2 = _interval_for(coef_B, B_lo, B_hi)
        a_, b_ = np.maximum(a1, a2), np.minimum(b1, b2)
        norm = 1.0 / ((A_hi - A_lo) * (B_hi - B_lo))
        if self.kind == "uniform":
            a3, b3 = _interval_for(w, *self.W0)
            a_, b_ = np.maximum(a_, a3), np.minimum(b_, b3)
            m_lo, m_hi = np.zeros_like(a_), np.full_like(a_, np.inf)
            norm = norm / (self.W0[1] - self.W0[0])
        else:
            aw = np.abs(w)
            m_lo, m_hi = self.w_lo / aw, self.w_hi / aw
            norm = norm / (2.0 * aw * math.log(self.w_hi / self.w_lo))
        return a_, b_, m_lo, m_hi, norm

    def rho_mass(self, chart, c, w, rho_upper=None):
        """∫ p_W(W0) p_A(A) p_B(B) ρ² dρ at fixed (chart, c, w), over |ρ| ≤ ρ_upper."""
        a_, b_, m_lo, m_hi, norm = self._rho_setup(chart, c, w)
        if rho_upper is not None:
            m_hi = np.minimum(m_hi, rho_upper)
        k = 2 if self.kind == "uniform" else 1
        return norm * _power_integral(a_, b_, m_lo, m_hi, k)

    def rho_moment(self, chart, c, w, extra):
        """∫ … ρ^{2+extra} dρ (extra even ≥ 0): used for ⟨Λ⟩ (extra = 2)."""
        a_, b_, m_lo, m_hi, norm = self._rho_setup(chart, c, w)
        k = (2 if self.kind == "uniform" else 1) + extra
        return norm * _power_integral(a_, b_, m_lo, m_hi, k)

    def sample_rho(self, rng, chart, c, w):
        """ρ from its conditional density at fixed (chart, c, w) (inverse CDF)."""
        a_, b_, m_lo, m_hi, _ = self._rho_setup(chart, c, w)
        k = 2 if self.kind == "uniform" else 1
        total = _power_integral(a_, b_, m_lo, m_hi, k)
        target = rng.uniform(size=np.shape(total)) * total
        lo, hi = np.maximum(a_, -m_hi), np.minimum(b_, m_hi)
        for _ in range(200):  # bisection on the CDF from lo
            mid = 0.5 * (lo + hi)
            below = _power_integral(a_, mid, m_lo, m_hi, k) < target
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        return 0.5 * (lo + hi)


def _lines(draws: Draws):
    """The two lines of real critical points as (draws seen from that line)."""
    return (draws, draws.reflected_A())


def expected_vacua(ss: StableSet, draws: Draws) -> float:
    """Expected number of stable dS vacua per draw (lines τ = 0 and τ = N1N2/2)."""
    return float(sum(np.sum(ss.weight * d.rho_mass(ss.chart, ss.c, ss.w)) for d in _lines(draws)))


def lambda_cdf(ss: StableSet, draws: Draws, log10_lambda) -> np.ndarray:
    """E[#{stable dS vacua with Λ ≤ 10^ℓ}] per draw, for each ℓ."""
    ell = np.atleast_1d(np.asarray(log10_lambda, dtype=float))
    log_l1 = np.log10(np.where(ss.Lambda1 > 0, ss.Lambda1, np.inf))
    out = np.empty(len(ell))
    for i, e in enumerate(ell):
        rho_up = 10.0 ** (0.5 * (e - log_l1))
        out[i] = sum(
            np.sum(ss.weight * d.rho_mass(ss.chart, ss.c, ss.w, rho_up)) for d in _lines(draws)
        )
    return out


def _log10_quantiles(cdf, total, qs, lo, hi):
    """log10 of the q-quantiles of an exact CDF given on log10 (bisection, 70 halvings)."""
    out = []
    for q in qs:
        a_, b_ = lo, hi
        for _ in range(70):
            m = 0.5 * (a_ + b_)
            if cdf(m) / total < q:
                a_ = m
            else:
                b_ = m
        out.append(0.5 * (a_ + b_))
    return out


def lambda_quantiles(ss: StableSet, draws: Draws, qs=(0.1, 0.5), lo=-330.0, hi=10.0):
    """log10 Λ_q of Λ over stable dS vacua (bisection on the exact CDF)."""
    total = expected_vacua(ss, draws)
    return _log10_quantiles(lambda m: lambda_cdf(ss, draws, m)[0], total, qs, lo, hi)


def w0_cdf(ss: StableSet, draws: Draws, log10_w0) -> float:
    """E[#{stable dS vacua with |W0| ≤ 10^ℓ}] per draw (W0 = wρ: |ρ| ≤ 10^ℓ/|w|)."""
    with np.errstate(divide="ignore"):
        rho_up = 10.0**log10_w0 / np.abs(ss.w)
    return float(
        sum(np.sum(ss.weight * d.rho_mass(ss.chart, ss.c, ss.w, rho_up)) for d in _lines(draws))
    )


def w0_quantiles(ss: StableSet, draws: Draws, qs=(0.05, 0.5, 0.95), lo=-330.0) -> list:
    """|W0|_q over stable dS vacua: the q-quantiles of |W0| of the draws that give one
    (bisection on the exact CDF :func:`w0_cdf`, in log10 |W0|)."""
    w_max = max(abs(v) for v in draws.W0) if draws.kind == "uniform" else draws.w_hi
    total = expected_vacua(ss, draws)
    hi = math.log10(w_max)
    return [10.0**m for m in _log10_quantiles(lambda m: w0_cdf(ss, draws, m), total, qs, lo, hi)]


def x_quantiles(ss: StableSet, draws: Draws, qs=(0.1, 0.5, 0.9)) -> list:
    """x = a·t at the q-quantiles of the stable dS vacua (weighted nodes: to the x grid)."""
    mass = ss.weight * sum(d.rho_mass(ss.chart, ss.c, ss.w) for d in _lines(draws))
    order = np.argsort(ss.x, kind="stable")
    cum = np.cumsum(mass[order]) / np.sum(mass)
    return [float(ss.x[order][min(np.searchsorted(cum, q), len(cum) - 1)]) for q in qs]


def lambda_mean(ss: StableSet, draws: Draws) -> float:
    """⟨Λ⟩ over stable dS vacua: Σ weight Λ₁ ∫ρ⁴ / Σ weight ∫ρ²."""
    num = sum(
        np.sum(ss.weight * ss.Lambda1 * d.rho_moment(ss.chart, ss.c, ss.w, 2))
        for d in _lines(draws)
    )
    return float(num / expected_vacua(ss, draws))


def density_histogram(ss: StableSet, draws: Draws, edges):
    """(P(Λ) per unit Λ, probability per bin) over stable dS vacua, on log10 bins."""
    F = lambda_cdf(ss, draws, edges)
    mass = np.diff(F) / expected_vacua(ss, draws)
    width = 10.0 ** edges[1:] - 10.0 ** edges[:-1]
    return mass / width, mass


def sample_vacua(ss: StableSet, draws: Draws, n: int, seed: int = 0) -> dict:
    """``n`` stable dS vacua from the exact distribution (node-level resampling).

    A line (τ = 0 or N1N2/2) and a node are picked with probability ∝ weight × ρ-mass
    (the discretised exact density), then ρ from its conditional density: each sample
    is a parameter point (W0, A, B) with a stable dS vacuum at T = t + iτ.
    """
    rng = np.random.default_rng(seed)
    lines = _lines(draws)
    p = np.concatenate([ss.weight * d.rho_mass(ss.chart, ss.c, ss.w) for d in lines])
    p = p / p.sum()
    pick = rng.choice(len(p), size=n, p=p)
    line, idx = pick // len(ss.t), pick % len(ss.t)
    rho = np.empty(n)
    for li, d in enumerate(lines):
        sel = line == li
        rho[sel] = d.sample_rho(rng, ss.chart[idx[sel]], ss.c[idx[sel]], ss.w[idx[sel]])
    W0, A, B = ss.parameters(1.0)
    W0, A, B = W0[idx] * rho, A[idx] * rho, B[idx] * rho
    return {
        "t": ss.t[idx],
        "tau": np.where(line == 1, 0.5 * ss.N1 * ss.N2, 0.0),
        "W0": W0,
        "A": np.where(line == 1, -A, A),
        "B": B,
        "Lambda": rho**2 * ss.Lambda1[idx],
        "m2_t": rho**2 * ss.m2_t[idx],
        "m2_tau": rho**2 * ss.m2_tau[idx],
    }


# ---- the exact stability window of the full model at one t ------------------------------


def window_at(t, N1, N2, xi, A=-1.0, **grid):
    """The exact stable-dS window of the full model at T = t (τ = 0), with A fixed.

    Returns a list of windows, each a dict with the edges and the middle as
    ``{"C_hat": ..., "W0": ..., "B": ..., "V": ..., "lam": ..., "m2_t": ..., "m2_tau": ...}``
    (``lo``/``mid``/``hi`` sorted by Ĉ), where λ = V / (-a³ A W0 / 2) (eq. (2.2)).
    """
    return windows_at([t], N1, N2, xi, A=A, **grid)[0]


def windows_at(ts, N1, N2, xi, A=-1.0, **grid):
    """:func:`window_at` at every t of ``ts`` (one batched grid and bisection: the cost of
    one t, not of len(ts))."""
    a = 2.0 * math.pi / N1
    ts = np.atleast_1d(np.asarray(ts, dtype=float))
    intervals, _ = stable_intervals(ts, N1, N2, xi, **grid)
    flat = [(i, h, ca, cb, root) for i, ivs in enumerate(intervals) for h, ca, cb, root in ivs]
    out = [[] for _ in ts]
    if not flat:
        return out
    cs = np.array([[ca, 0.5 * (ca + cb), cb] for _, _, ca, cb, _ in flat]).ravel()
    tt = np.repeat([ts[i] for i, *_ in flat], 3)
    hh = np.repeat([h for _, h, *_ in flat], 3)
    p_all, _, _ = evaluate(tt, hh, cs, N1, N2, xi)
    for k, (i, h, _ca, _cb, root) in enumerate(flat):
        p = jax.tree.map(lambda v: v[3 * k : 3 * k + 3, root], p_all)
        c3 = cs[3 * k : 3 * k + 3]
        # scale ρ so that A is the requested value: chart Z has A = cρ, chart S A = ρ
        rho = A / c3 if h == CHART_Z else np.full(3, A)
        W0 = p.w * rho
        B = rho if h == CHART_Z else c3 * rho
        V = p.V * rho**2
        C = -3.0 * a**1.5 * W0 * xi / (32.0 * math.sqrt(2.0) * A)
        lam = V / (-(a**3) * A * W0 / 2.0)
        rows = [
            dict(
                C_hat=C[j],
                W0=W0[j],
                B=B[j],
                V=V[j],
                lam=lam[j],
                m2_t=p.v_tt[j] / p.metric[j] * rho[j] ** 2,
                m2_tau=p.v_tautau[j] / p.metric[j] * rho[j] ** 2,
            )
            for j in range(3)
        ]
        lo, mid, hi = sorted(rows, key=lambda r: r["C_hat"])
        out[i].append({"chart": h, "root": root, "lo": lo, "mid": mid, "hi": hi})
    return out
