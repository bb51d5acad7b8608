"""Small models shared by several test modules."""

import annbook as ann

__all__ = ["stdp_synapse"]


def stdp_synapse():
    """A small additive STDP rule with event-driven traces (bounded weights)."""
    return ann.Synapse(parameters="tau_plus = 20.0 : projection\nw_max = 0.5 : projection",
                       equations="tau_plus * dx/dt = -x : event-driven\n"
                                 "tau_plus * dy/dt = -y : event-driven",
                       pre_spike="g_target += w\nx += 0.01\nw = clip(w - y, 0.0, w_max)",
                       post_spike="y += 0.012\nw = clip(w + x, 0.0, w_max)")
