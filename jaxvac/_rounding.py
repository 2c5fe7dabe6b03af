"""Running error analysis of a JAX function (placeholder: relative error of the value).

TODO(helper): replace with a jaxpr interpreter that propagates first-order rounding
error bounds through every primitive (see docs/numerics.md).
"""

import jax
import jax.numpy as jnp

from ._config import EPS


def value_and_error(fun):
    def wrapped(*args):
        value = fun(*args)
        return value, jax.tree.map(lambda v: EPS * jnp.abs(v), value)

    return wrapped
