"""Every kind of model predicts as the same network does in its other forms."""

import io
import json

import pytest
import torch
import torchvision

import snnipred
from conftest import run_cli, without_timing


class SmallCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1))
        self.classifier = torch.nn.Linear(16, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def test_torch_module_equals_its_onnx_export(predictor, tmp_path):
    module = SmallCnn()
    path = tmp_path / "small.onnx"
    snnipred.export_onnx(module, (3, 32, 32), str(path))
    # The network's name is in the handshake, so in the setup bytes: all three are "small".
    from_module = predictor.predict(snnipred.to_network(module, (3, 32, 32), name="small")).to_dict()
    from_file = predictor.predict(str(path)).to_dict()
    from_bytes = predictor.predict(snnipred.to_network(path.read_bytes(), name="small")).to_dict()
    assert without_timing(from_module) == without_timing(from_file) == without_timing(from_bytes)
    assert module.training, "predict() restores the module's training mode"


def test_torchvision_resnet18_matches_the_cli_on_its_export(predictor, tmp_path):
    module = torchvision.models.resnet18(weights=None)
    path = tmp_path / "resnet18.onnx"
    snnipred.export_onnx(module, (1, 3, 224, 224), str(path))
    network = snnipred.to_network(module, (3, 224, 224), name="resnet18")
    assert without_timing(predictor.predict(network).to_dict()) == without_timing(run_cli("predict", str(path)))
    assert snnipred.describe(module, (3, 224, 224))["totals"]["relus"] == run_cli("describe", str(path))["totals"]["relus"]


def test_json_dict_equals_json_file_and_network(predictor, tmp_path):
    network = snnipred.to_network("zoo:minionn")
    document = json.loads(network.to_json())
    path = tmp_path / "minionn.json"
    path.write_text(network.to_json())
    results = [predictor.predict(m).to_dict() for m in (document, str(path), network, "minionn")]
    results = [without_timing(r) for r in results]
    assert all(r == results[0] for r in results)


def test_describe_reports_layers_macs_relus_parameters():
    description = snnipred.describe(SmallCnn(), (3, 32, 32))
    totals = description["totals"]
    # conv1 (BN folded) 3*8*9 + 8, conv2 8*16*9 + 16, fc 16*10 + 10
    assert totals["params"] == 3 * 8 * 9 + 8 + 8 * 16 * 9 + 16 + 16 * 10 + 10
    assert totals["relus"] == 8 * 32 * 32 + 16 * 16 * 16
    assert totals["macs"] == 3 * 8 * 9 * 32 * 32 + 8 * 16 * 9 * 16 * 16 + 16 * 10
    assert [layer["type"] for layer in description["layers"]].count("conv") == 2
