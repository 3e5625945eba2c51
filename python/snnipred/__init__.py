"""snnipred: predict the cost of secure neural network inference (SNNI) in microseconds.

    import snnipred
    predictor = snnipred.load_predictor()            # the bundled default
    result = predictor.predict("zoo:resnet50")       # or a torch.nn.Module, ONNX, JSON dict
    print(result)                                    # totals per party and method
    result.totals["analytical"].client_ms

The C++ library does the work (_snnipred); this layer turns Python models into networks
and results into dataclasses. Errors are snnipred.Error subclasses carrying the C++ message.
"""

from ._snnipred import ConfigError, Error, InvalidInput, Network, NetworkError, Unsupported, zoo_names
from ._models import describe, export_onnx, to_network
from ._predictor import Predictor, load_predictor
from ._results import EngineConfig, MethodTotals, Prediction, Step

__all__ = [
    "ConfigError", "EngineConfig", "Error", "InvalidInput", "MethodTotals", "Network", "NetworkError",
    "Prediction", "Predictor", "Step", "Unsupported", "describe", "export_onnx", "load_predictor",
    "to_network", "zoo_names",
]
