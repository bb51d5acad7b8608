"""ANN-to-SNN conversion, as the reference's ``ANNarchy.extensions.ann_to_snn_conversion``:
``ANNtoSNNConverter`` turns a trained feed-forward network (Keras file or PyTorch model)
into a spiking network and classifies samples with it."""

from ...errors import ConversionError, UnsupportedLayer
from .converter import ANNtoSNNConverter
from .models import CPN, IB, PSO, IaF, IaF_Acc, IaF_ReadOut, IaF_TTKS

__all__ = ["ANNtoSNNConverter", "ConversionError", "UnsupportedLayer", "CPN", "IB", "PSO",
           "IaF", "IaF_ReadOut", "IaF_TTKS", "IaF_Acc"]
