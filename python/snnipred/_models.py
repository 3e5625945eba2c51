"""Every kind of model a NAS loop holds, as the C++ library's Network."""

import io
import json
import os
import sys

from . import _snnipred


def _is_torch_module(model):
    # torch is imported only when the caller already has it: a torch module implies it.
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(model, torch.nn.Module)


def _input_tensor(torch, input_shape):
    if input_shape is None:
        raise _snnipred.InvalidInput("a torch.nn.Module needs input_shape, e.g. (3, 224, 224)")
    shape = tuple(int(d) for d in input_shape)
    if len(shape) == 3:
        shape = (1,) + shape
    if len(shape) != 4 or shape[0] != 1 or min(shape) <= 0:
        raise _snnipred.InvalidInput(f"input_shape must be (C, H, W) or (1, C, H, W) with positive sizes, not {input_shape}")
    return torch.zeros(shape)


def export_onnx(module, input_shape, destination):
    """Exports `module` in eval mode to ONNX (a path or a binary file object), as
    predict() does in memory: batch 1, opset 13, batch norms folded as torch folds them."""
    torch = __import__("torch")
    example = _input_tensor(torch, input_shape)
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            torch.onnx.export(module, example, destination, opset_version=13, do_constant_folding=True,
                              input_names=["input"], output_names=["output"])
    except Exception as error:  # torch raises many types; the caller gets one of ours
        raise _snnipred.Unsupported(f"torch.onnx.export of {type(module).__name__} failed: {error}") from error
    finally:
        module.train(was_training)


def to_network(model, input_shape=None, name=None):
    """A Network from a torch.nn.Module (with input_shape), an ONNX path or bytes, a JSON
    network dict (docs/network-format.md) or path, 'zoo:NAME[@SIZE]', or a Network. `name`
    names a network from a module (default: its class name) or from ONNX bytes ('onnx');
    the others carry their own (a file's stem, the dict's "name")."""
    if isinstance(model, _snnipred.Network):
        return model
    if _is_torch_module(model):
        buffer = io.BytesIO()
        export_onnx(model, input_shape, buffer)
        kind = type(model).__name__
        return _snnipred.network_from_onnx_bytes(buffer.getvalue(), f"torch module {kind}", name or kind)
    if isinstance(model, (bytes, bytearray, memoryview)):
        return _snnipred.network_from_onnx_bytes(bytes(model), "ONNX bytes", name or "onnx")
    if isinstance(model, dict):
        return _snnipred.network_from_json(json.dumps(model), "network dict")
    if isinstance(model, (str, os.PathLike)):
        spec = os.fspath(model)
        if not spec.startswith("zoo:") and not spec.endswith((".onnx", ".json")) and spec in _snnipred.zoo_names():
            spec = "zoo:" + spec
        return _snnipred.load_network(spec)
    raise _snnipred.InvalidInput(
        f"cannot predict a {type(model).__name__}: give a torch.nn.Module, an ONNX path or bytes, "
        "a JSON network dict, 'zoo:NAME' or a snnipred.Network")


def describe(model, input_shape=None):
    """Layers, MACs, ReLUs and parameters of a model: `snnipred describe --json`'s document."""
    return json.loads(to_network(model, input_shape).description_json())
