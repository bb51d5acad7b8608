"""``NetworkManager()``: the reference's registry of networks, for scripts that inspect it.

annbook keeps its networks in ``core.network``; this class only reads them (networks are
added by creating a ``Network`` and emptied by ``clear()``, never through the manager).
"""

from .network import all_networks, network_by_id

__all__ = ["NetworkManager"]


class NetworkManager:
    """The registered networks: id 0 is the global ("magic") network.

    Every method takes the network id, as in the reference.
    """

    def __len__(self):
        return len(all_networks())

    def __repr__(self):
        lines = [f"Number of registered networks = {len(self)}"]
        for net in all_networks():
            lines.append(f"Network {net.id}" + (" (MagicNetwork)" if net.id == 0 else ""))
            for kind in ("populations", "projections", "monitors"):
                names = [getattr(obj, "name", type(obj).__name__) for obj in getattr(net, kind)]
                lines.append(f"  {kind} = [{', '.join(names)}]")
            lines.append(f"  compiled = {net.compiled}")
        return "\n".join(lines)

    def get_populations(self, net_id):
        """The populations of a network."""
        return network_by_id(net_id).get_populations()

    def get_population(self, net_id, name):
        """The population called ``name``, or None."""
        return next((p for p in network_by_id(net_id).populations if p.name == name), None)

    def get_population_names(self, net_id):
        """The names of a network's populations."""
        return [p.name for p in network_by_id(net_id).populations]

    def number_populations(self, net_id):
        return len(network_by_id(net_id).populations)

    def get_projections(self, net_id, pre=None, post=None, target=None, suppress_error=False):
        """The projections of a network, optionally those with the given pre, post and target."""
        return network_by_id(net_id).get_projections(post, pre, target, suppress_error)

    def number_projections(self, net_id):
        return len(network_by_id(net_id).projections)

    def get_monitors(self, net_id):
        """The monitors of a network."""
        return network_by_id(net_id).get_monitors()

    def number_monitors(self, net_id):
        return len(network_by_id(net_id).monitors)

    def get_extensions(self, net_id):
        """The objects made of populations, projections and monitors (BOLD monitors)."""
        return list(network_by_id(net_id).extensions)

    def number_extensions(self, net_id):
        return len(network_by_id(net_id).extensions)

    def is_compiled(self, net_id):
        """Whether the network was compiled."""
        return network_by_id(net_id).compiled
