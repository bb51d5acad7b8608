"""Projections whose synapses share their weights, as the reference's
``ANNarchy.extensions.convolution``: ``Convolution`` (a filter or a bank of filters),
``Pooling`` (max, min, mean over blocks), ``Copy`` (the synapses of another projection) and
``Transpose`` (those synapses backwards). They compile into the network's module like any
projection; a filter is stored once, not once per synapse.
"""

from ...errors import ConvolutionError
from .convolve import Convolution
from .copy_projection import Copy
from .pooling import Pooling
from .transpose import Transpose

__all__ = ["Convolution", "Pooling", "Copy", "Transpose", "ConvolutionError"]
