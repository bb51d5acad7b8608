"""BOLD monitoring: population activity turned into a simulated fMRI signal.

``BoldMonitor(populations, bold_model, mapping, ...)`` feeds the mean of a population
variable into a hemodynamic model (``BoldModel``; the balloon model variants
``balloon_RN``, ``balloon_RL``, ``balloon_CN``, ``balloon_CL``, ``balloon_maith2021``,
``balloon_two_inputs``) simulated with the network, and records its output::

    from annbook.extensions.bold import BoldMonitor, balloon_RN
    m = BoldMonitor(populations=[pop1, pop2], bold_model=balloon_RN,
                    mapping={"I_CBF": "r"}, normalize_input=2000)
    compile(); m.start(); simulate(20000.0)
    bold = m.get("BOLD")          # (steps, 1)
"""

from .model import BoldModel
from .monitor import BoldMonitor, BoldMonitorFromSlices
from .predefined import (balloon_CL, balloon_CN, balloon_maith2021, balloon_RL, balloon_RN,
                         balloon_two_inputs)
from .projections import AccProjection, NormProjection

__all__ = ["BoldMonitor", "BoldMonitorFromSlices", "BoldModel", "balloon_maith2021",
           "balloon_CN", "balloon_CL", "balloon_RN", "balloon_RL", "balloon_two_inputs",
           "NormProjection", "AccProjection"]
