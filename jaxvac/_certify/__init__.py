"""Certified vacua: interval (Arb ball) proofs of existence, uniqueness, inertia, the sign
of V and supersymmetry of critical points, and complete lists in small regions
(docs/certify.md)."""

from ._point import Certificate, certify
from ._region import RegionCertificate, certify_region, krawczyk_box

__all__ = ["Certificate", "RegionCertificate", "certify", "certify_region", "krawczyk_box"]
