"""Many networks at once: ``parallel_run`` on joblib (loky workers, or any backend).

Workers never compile: they load the binary of the structure from the cache
(or receive it, on a cluster), copy the network with their own seed, run the
user's method and send its result back as soon as it is done.
"""

from ..errors import NetworkRunError
from .sweep import parallel_run

__all__ = ["parallel_run", "NetworkRunError"]
