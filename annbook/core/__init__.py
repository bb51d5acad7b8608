"""Models and network state: neurons, populations, monitors, networks."""
