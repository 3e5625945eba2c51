"""Bad inputs raise snnipred's exceptions with the C++ message, never anything else."""

import pytest
import torch

import snnipred


def test_unknown_zoo_name_lists_the_valid_ones():
    with pytest.raises(snnipred.InvalidInput, match="resnet50"):
        snnipred.to_network("zoo:resnet5000")


def test_malformed_onnx_bytes():
    with pytest.raises(snnipred.InvalidInput, match="ONNX bytes"):
        snnipred.to_network(b"\x08\x07garbage")


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "missing.onnx"
    with pytest.raises(snnipred.InvalidInput, match="missing.onnx"):
        snnipred.to_network(missing)


def test_malformed_json_dict_names_the_field():
    with pytest.raises(snnipred.InvalidInput, match="network dict"):
        snnipred.to_network({"name": "x", "layers": [{"type": "conv"}]})


def test_unsupported_op_is_unsupported():
    module = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Sigmoid())
    with pytest.raises(snnipred.Unsupported, match="Sigmoid"):
        snnipred.to_network(module, (3, 8, 8))


def test_torch_module_needs_an_input_shape():
    with pytest.raises(snnipred.InvalidInput, match="input_shape"):
        snnipred.to_network(torch.nn.Linear(4, 2))
    with pytest.raises(snnipred.InvalidInput, match="input_shape"):
        snnipred.to_network(torch.nn.Linear(4, 2), (0, 4))


def test_not_a_model():
    with pytest.raises(snnipred.InvalidInput, match="cannot predict a int"):
        snnipred.to_network(42)


def test_bad_options_name_the_argument(predictor):
    with pytest.raises(snnipred.InvalidInput, match="lstmm"):
        predictor.predict("zoo:lenet5", method="lstmm")
    with pytest.raises(snnipred.InvalidInput, match="he: "):
        predictor.predict("zoo:lenet5", he="paillier")
    with pytest.raises(snnipred.InvalidInput, match="ot: "):
        predictor.predict("zoo:lenet5", ot="kos")
    with pytest.raises(snnipred.InvalidInput, match="truncation"):
        predictor.predict("zoo:lenet5", truncation="sometimes")
    with pytest.raises(snnipred.InvalidInput, match="MARS"):
        predictor.predict("zoo:lenet5", setting="MARS")
    with pytest.raises(snnipred.ConfigError, match="bandwidth"):
        predictor.predict("zoo:lenet5", bandwidth_mbit=-5)
    with pytest.raises(snnipred.InvalidInput, match="timing_runs"):
        predictor.predict("zoo:lenet5", timing_runs=0)


def test_every_error_is_a_snnipred_error():
    for error in (snnipred.InvalidInput, snnipred.Unsupported, snnipred.ConfigError, snnipred.NetworkError):
        assert issubclass(error, snnipred.Error)


def test_bad_bundle_paths(tmp_path):
    with pytest.raises(snnipred.InvalidInput, match="nope.bundle"):
        snnipred.load_predictor(tmp_path / "nope.bundle")
    corrupt = tmp_path / "corrupt.bundle"
    corrupt.write_bytes(b"SNNIPRED-BUNDLE 1\nmanifest 99999 0000000000000000\n{}")
    with pytest.raises(snnipred.InvalidInput, match="corrupt.bundle"):
        snnipred.load_predictor(corrupt)


def test_predict_many_names_the_failing_candidate(predictor):
    bad = {"name": "broken", "input": [3, 8, 8], "layers": [{"name": "c", "type": "conv", "out_channels": 4,
                                                               "kernel": 99}]}
    with pytest.raises(snnipred.InvalidInput, match="candidate 1: .*network dict"):
        predictor.predict_many(["zoo:lenet5", bad])
    # Builds as a network, but the engine clips to [0, 6] only: the C++ batch fails on it.
    clip = {"format": "snnipred-network", "version": 1, "name": "clip", "input": {"name": "input", "shape": [3, 8, 8]},
            "layers": [{"name": "c", "type": "conv", "inputs": ["input"], "kernel": [3, 3], "out_channels": 4,
                        "pads": [1, 1, 1, 1], "stride": [1, 1], "groups": 1, "bias": True},
                       {"name": "r", "type": "relu6", "inputs": ["c"], "clip_min": -1.0, "clip_max": 3.0}]}
    with pytest.raises(snnipred.Unsupported, match=r"candidate 2 \(clip\): layer 'r'.*\[0, 6\]"):
        predictor.predict_many(["zoo:lenet5", "zoo:minionn", clip, "zoo:lenet5"], threads=2)
