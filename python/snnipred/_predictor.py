"""Predictor bundles and the calls a NAS loop makes."""

import os

from . import _build_info, _snnipred
from ._models import to_network
from ._results import Prediction


def _predictor_dirs():
    return [os.path.join(_build_info.SOURCE_DIR, "predictors")]


def _machine(machine):
    return None if machine is None else os.fspath(machine)


def _methods(method):
    if isinstance(method, str):
        return [part.strip() for part in method.split(",")]
    return list(method)


class Predictor:
    """A loaded predictor bundle. predict / predict_many release the GIL while C++ works."""

    def __init__(self, bundle, path):
        self._bundle = bundle
        self.path = path

    @property
    def backend(self):
        return self._bundle.backend

    @property
    def settings(self):
        return self._bundle.settings

    @property
    def methods(self):
        return self._bundle.methods

    def predict(self, model, input_shape=None, method="all", setting=None, bandwidth_mbit=None, rtt_ms=None,
                he="cheetah", truncation="", timing_runs=1, ot="iknp", machine=None, fold_batchnorm=False,
                conv_packing="cheetah", relu_after_pool=False, fold_preactivation=False):
        """Predicts one model (torch.nn.Module with input_shape, ONNX path or bytes, JSON
        network dict, 'zoo:NAME' or Network) for `setting` (a link the bundle was trained
        on; None: 'LAN', or with rtt_ms the preset nearest that RTT) or, with bandwidth_mbit /
        rtt_ms, another link moved from it. `method` is 'all', one name or a
        list ('analytical', 'nn', 'lstm', 'physical'); he / truncation / ot (OT extension,
        ferret: silent OT and the lean nonlinear protocols, or iknp) choose the engine options
        the bytes and rounds are for, as does conv_packing ('cheetah': one response per
        filter, or 'dense': several filters per response); fold_batchnorm predicts the network with each batch norm
        that follows a conv or fc folded into it (`snnipred run --fold-batchnorm`), fold_preactivation with each
        batch norm that feeds a ReLU folded through it into the conv or fc after it (`--fold-preactivation`),
        relu_after_pool with each ReLU
        that only feeds a max pool applied after the pool (`--relu-after-pool`). Every method predicts for one machine: `machine` (a
        profile's path), else this machine's calibration (`snnipred calibrate`), else the
        reference machine's; 'physical' costs the plan with it, the bundle's methods move to
        it from the machine they were profiled on (the report's engine says which). t_pred
        is the best of `timing_runs` runs."""
        network = to_network(model, input_shape)
        return Prediction(self._bundle.predict(network, _methods(method), setting, bandwidth_mbit, rtt_ms, he,
                                               ot, truncation, conv_packing, fold_batchnorm, fold_preactivation, relu_after_pool, timing_runs, _machine(machine), _predictor_dirs()))

    def predict_many(self, models, input_shape=None, method="all", setting=None, bandwidth_mbit=None, rtt_ms=None,
                     he="cheetah", truncation="", threads=0, ot="iknp", machine=None, fold_batchnorm=False,
                     conv_packing="cheetah", relu_after_pool=False, fold_preactivation=False):
        """predict() of every model, on `threads` C++ threads (0: one per core) without the
        GIL. Models are converted to networks first (torch export needs the GIL). Raises
        the first failing candidate's error, naming its index."""
        networks = []
        for index, model in enumerate(models):
            try:
                networks.append(to_network(model, input_shape))
            except _snnipred.Error as error:
                raise type(error)(f"candidate {index}: {error}") from error
        reports = self._bundle.predict_many(networks, _methods(method), setting, bandwidth_mbit, rtt_ms, he,
                                            ot, truncation, conv_packing, fold_batchnorm, fold_preactivation, relu_after_pool, threads, _machine(machine), _predictor_dirs())
        return [Prediction(report) for report in reports]

    def __repr__(self):
        return f"<snnipred.Predictor {self.path} backend={self.backend} methods={self.methods} settings={self.settings}>"


def load_predictor(path=None, ot="iknp"):
    """The bundle at `path`, else the bundled predictor profiled with the OT extension `ot`
    ($SNNIPRED_PREDICTOR, else predictors/ of the source tree this package was built from;
    for 'ferret' the IKNP default where no Ferret bundle is there, whose predictions say so)."""
    if path is None:
        path = _snnipred.default_bundle_path(_predictor_dirs(), ot)
    path = os.fspath(path)
    return Predictor(_snnipred.load_bundle(path), path)
