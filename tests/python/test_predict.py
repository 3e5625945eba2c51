"""The Python path gives the CLI's predictions for the same model and options."""

import pytest

import snnipred
from conftest import run_cli, without_timing


@pytest.mark.parametrize("model,options,cli_flags", [
    ("zoo:lenet5", {}, []),
    ("zoo:squeezenet1_1@32", {"setting": "WAN"}, ["--setting", "WAN"]),
    ("zoo:resnet18@32", {"bandwidth_mbit": 100, "rtt_ms": 50}, ["--bandwidth", "100", "--rtt", "50"]),
    ("zoo:minionn", {"he": "secure", "truncation": "faithful", "method": "analytical,nn"},
     ["--he", "secure", "--truncation", "faithful", "--method", "analytical,nn"]),
    ("zoo:lenet5", {"ot": "ferret"}, ["--ot", "ferret"]),
])
def test_prediction_equals_the_cli(predictor, model, options, cli_flags):
    if "ot" in options:  # the CLI picks the bundle profiled with the OT extension asked
        predictor = snnipred.load_predictor(ot=options["ot"])
    ours = without_timing(predictor.predict(model, **options).to_dict())
    theirs = without_timing(run_cli("predict", model, *cli_flags))
    assert ours == theirs


def test_totals_steps_and_arrays_agree(predictor):
    result = predictor.predict("zoo:resnet18@32")
    assert set(result.totals) == set(predictor.methods)
    for name, totals in result.totals.items():
        assert totals.client_ms > 0 and totals.server_ms > 0 and totals.t_pred_us > 0
        if not totals.whole_network:
            assert sum(step.predictions[name][0] for step in result.steps) == pytest.approx(totals.client_ms)
            assert result.arrays[f"{name}.client_ms"].sum() == pytest.approx(totals.client_ms)
    online = result.communication["client"]["online"]["bytes_sent"]
    assert result.arrays["client.bytes_sent"].sum() <= online
    assert result.arrays["client.bytes_sent"].sum() > 0.5 * online  # the reveal and local layers are the rest


def test_engine_configuration_is_reported(predictor):
    engine = predictor.predict("zoo:lenet5", he="secure").engine
    assert engine.backend == "snnipred"
    assert engine.he == "secure" and engine.he_n == 8192 and engine.flooding is True
    assert engine.truncation == "approximate" and engine.threads == 1 and engine.link == "LAN"
    assert engine.ot == "iknp"
    assert "as profiled" in engine.note  # the HE set differs
    assert "the machine the bundle was profiled on" in engine.machine
    assert "as profiled" not in predictor.predict("zoo:lenet5").engine.note
    assert "OT ferret" in predictor.predict("zoo:lenet5", ot="ferret").engine.note
    assert "responses NOT flooded" in str(predictor.predict("zoo:lenet5"))


def test_the_ferret_bundle_is_loaded_for_ferret():
    ferret = snnipred.load_predictor(ot="ferret")
    assert ferret.path.endswith("snnipred-ferret.bundle.gz")
    assert snnipred.load_predictor().path.endswith("snnipred-default.bundle.gz")
    engine = ferret.predict("zoo:lenet5", ot="ferret").engine
    assert engine.ot == "ferret" and "as profiled" not in engine.note
    assert "as profiled" in ferret.predict("zoo:lenet5").engine.note  # IKNP asked of the Ferret bundle


def test_folded_batch_norms_send_fewer_bytes_and_say_so(predictor):
    separate = predictor.predict("zoo:resnet18@32", method="analytical")
    folded = predictor.predict("zoo:resnet18@32", method="analytical", fold_batchnorm=True)
    assert separate.engine.batchnorm == "batch norms each their own HE step (not folded)"
    assert folded.engine.batchnorm == "20 of 20 batch norms folded into the conv or fc before them"
    for party in ("client", "server"):
        assert folded.communication[party]["online"]["bytes_sent"] < separate.communication[party]["online"]["bytes_sent"]
    assert not any(step.kind == "bn" for step in folded.steps)
    assert any(step.kind == "bn" for step in separate.steps)
    [many] = predictor.predict_many(["zoo:resnet18@32"], method="analytical", fold_batchnorm=True)
    assert many.communication == folded.communication


def test_relus_after_pools_send_fewer_bytes_and_say_so(predictor):
    written = predictor.predict("zoo:squeezenet1_1@32", method="analytical", ot="ferret")
    moved = predictor.predict("zoo:squeezenet1_1@32", method="analytical", ot="ferret", relu_after_pool=True)
    assert written.engine.relus == "ReLUs where the network has them"
    assert moved.engine.relus == "5 ReLU layers applied after the max pool they fed"
    relu_bytes = lambda p: sum(s.client["bytes_sent"] + s.server["bytes_sent"] for s in p.steps if s.kind == "relu")
    assert relu_bytes(moved) < relu_bytes(written)
    [many] = predictor.predict_many(["zoo:squeezenet1_1@32"], method="analytical", ot="ferret", relu_after_pool=True)
    assert many.communication == moved.communication


def test_norms_folded_forward_leave_no_batchnorm_step_and_say_so(predictor):
    kept = predictor.predict("zoo:densenet121@32", method="analytical", ot="ferret", fold_batchnorm=True)
    forward = predictor.predict("zoo:densenet121@32", method="analytical", ot="ferret", fold_batchnorm=True,
                                fold_preactivation=True)
    assert forward.engine.batchnorm == ("59 of 121 batch norms folded into the conv or fc before them, "
                                        "62 through their ReLU into the conv or fc after it")
    assert sum(s.kind == "bn" for s in kept.steps) == 62
    assert not any(s.kind == "bn" for s in forward.steps)
    sent = lambda p: p.communication["client"]["online"]["bytes_sent"]
    assert sent(forward) < sent(kept)
    [many] = predictor.predict_many(["zoo:densenet121@32"], method="analytical", ot="ferret", fold_batchnorm=True,
                                    fold_preactivation=True)
    assert many.communication == forward.communication


def test_dense_conv_packing_sends_fewer_bytes_and_says_so(predictor):
    cheetah = predictor.predict("zoo:resnet18@32", method="analytical")
    dense = predictor.predict("zoo:resnet18@32", method="analytical", conv_packing="dense")
    assert cheetah.engine.conv_packing == "cheetah" and dense.engine.conv_packing == "dense"
    assert dense.communication["server"]["online"]["bytes_sent"] < cheetah.communication["server"]["online"]["bytes_sent"]
    with pytest.raises(snnipred.InvalidInput, match="conv_packing: unknown conv packing"):
        predictor.predict("zoo:resnet18@32", conv_packing="sparse")


def test_another_link_changes_time_not_bytes(predictor):
    lan = predictor.predict("zoo:lenet5", method="analytical")
    slow = predictor.predict("zoo:lenet5", method="analytical", bandwidth_mbit=50, rtt_ms=100)
    assert slow.totals["analytical"].client_ms > lan.totals["analytical"].client_ms
    assert slow.communication == lan.communication
    assert slow.engine.link.startswith("50 Mbit/s, 50 ms one way (from WAN")  # the preset nearest 100 ms
    named = predictor.predict("zoo:lenet5", method="analytical", setting="LAN", bandwidth_mbit=50, rtt_ms=100)
    assert named.engine.link.startswith("50 Mbit/s, 50 ms one way (from LAN")


def test_predict_many_equals_predict(predictor):
    models = ["zoo:lenet5", "zoo:minionn", "zoo:squeezenet1_1@32", "zoo:resnet18@32"]
    for threads in (1, 2):
        batch = predictor.predict_many(models, threads=threads)
        assert [p.model for p in batch] == [snnipred.to_network(m).name for m in models]
        for model, prediction in zip(models, batch):
            assert without_timing(prediction.to_dict()) == without_timing(predictor.predict(model).to_dict())


def test_module_level_describe_counts_what_the_cli_counts():
    assert snnipred.describe("zoo:resnet18@32") == run_cli("describe", "zoo:resnet18@32")


def test_physical_method_equals_the_cli(predictor, tmp_path):
    reference = snnipred._build_info.SOURCE_DIR + "/predictors/reference-machine.json"
    options = ["--method", "physical", "--machine", reference, "--he", "secure", "--ot", "ferret"]
    ours = predictor.predict("zoo:minionn", method="physical", machine=reference, he="secure", ot="ferret")
    assert without_timing(ours.to_dict()) == without_timing(run_cli("predict", "zoo:minionn", *options))
    assert set(ours.totals) == {"physical"}
    assert ours.totals["physical"].client_ms > 0
    assert ours.to_dict()["totals"]["physical"]["server_cpu_ms"] > 0
    with pytest.raises(snnipred.InvalidInput, match="machine: machine profile .*missing.json: cannot open"):
        predictor.predict("zoo:lenet5", method="physical", machine=tmp_path / "missing.json")
