"""Predictions as Python values. Built lazily from the C++ report, so a NAS loop that
reads only the totals pays for nothing else."""

import copy
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Optional


@dataclass(frozen=True)
class MethodTotals:
    """One method's whole-network prediction."""
    method: str
    client_ms: float
    server_ms: float
    t_pred_us: float      # time the prediction itself took (lowering + model), microseconds
    whole_network: bool   # the LSTM: totals only, no per-step split


@dataclass(frozen=True)
class EngineConfig:
    """The engine configuration a prediction is for (HE set, flooding, OT extension, truncation, threads, link,
    batch norms folded or not) and the machine its trained methods predict for."""
    backend: str
    truncation: str
    link: str
    threads: int
    he: Optional[str] = None        # snnipred backend only
    he_n: Optional[int] = None
    flooding: Optional[bool] = None
    ot: Optional[str] = None        # snnipred backend only: iknp or ferret
    conv_packing: Optional[str] = None  # snnipred backend only: cheetah or dense
    machine: str = ""               # snnipred backend: the machine the bundle's methods' times are for
    note: str = ""                  # where the predicted times and the asked options part ways
    batchnorm: str = ""             # folded into the conv or fc before them, or each its own HE step
    relus: str = ""                 # applied after the max pool they fed, or where the network has them

    @classmethod
    def from_json(cls, doc):
        return cls(backend=doc["backend"], truncation=doc["truncation"], link=doc["link"], threads=doc["threads"],
                   he=doc.get("he"), he_n=doc.get("he_n"), flooding=doc.get("flooding"), ot=doc.get("ot"), conv_packing=doc.get("conv_packing"),
                   machine=doc.get("machine", ""), note=doc.get("note", ""),
                   batchnorm=doc.get("batchnorm", ""), relus=doc.get("relus", ""))


@dataclass(frozen=True)
class Step:
    """One protocol step: what it is, each per-step method's times, and (snnipred backend)
    each party's exact bytes and rounds from the protocol plan."""
    layer: str
    kind: str
    role: str
    raw: dict
    predictions: dict                # method -> (client_ms, server_ms)
    client: Optional[dict] = None    # {"bytes_sent", "bytes_received", "rounds"}
    server: Optional[dict] = None

    @classmethod
    def from_json(cls, doc):
        predictions = {name: (p["client_ms"], p["server_ms"]) for name, p in doc["predictions"].items()}
        return cls(layer=doc["layer"], kind=doc["kind"], role=doc["role"], raw=doc["raw"], predictions=predictions,
                   client=doc.get("client"), server=doc.get("server"))


class Prediction:
    """A network's predicted SNNI cost: totals per method and party, per-step records,
    communication, and the engine configuration it is for."""

    def __init__(self, report):
        self._report = report

    @property
    def model(self):
        return self._report.model

    @cached_property
    def totals(self):
        """method name -> MethodTotals."""
        return {row[0]: MethodTotals(*row) for row in self._report.totals()}

    @cached_property
    def engine(self):
        return EngineConfig.from_json(json.loads(self._report.engine_json()))

    @cached_property
    def _document(self):
        return json.loads(self._report.to_json())

    def to_dict(self):
        """`snnipred predict --json`'s document (a copy: the lazy fields share the original)."""
        return copy.deepcopy(self._document)

    @cached_property
    def steps(self):
        """Per-step records (list of Step), in execution order."""
        return [Step.from_json(step) for step in self._document["steps"]]

    @cached_property
    def communication(self):
        """Per party, setup and online bytes and rounds of the whole protocol (snnipred
        backend; None for a backend without a protocol plan)."""
        return self._document.get("communication")

    @cached_property
    def arrays(self):
        """Per-step values as numpy arrays: '<method>.client_ms', '<method>.server_ms' and,
        with a protocol plan, 'client.bytes_sent', ..., 'server.rounds'."""
        import numpy
        columns = {}
        for method, totals in self.totals.items():
            if not totals.whole_network:
                columns[f"{method}.client_ms"] = [s.predictions[method][0] for s in self.steps]
                columns[f"{method}.server_ms"] = [s.predictions[method][1] for s in self.steps]
        for party in ("client", "server"):
            if self.steps and getattr(self.steps[0], party) is not None:
                for field in ("bytes_sent", "bytes_received", "rounds"):
                    columns[f"{party}.{field}"] = [getattr(s, party)[field] for s in self.steps]
        return {name: numpy.asarray(values) for name, values in columns.items()}

    def __str__(self):
        lines = [f"{self.model}: {self._report.engine_description()}"]
        for t in self.totals.values():
            scope = "  (whole network)" if t.whole_network else ""
            lines.append(f"  {t.method:<12} client {t.client_ms / 1000:9.2f} s   server {t.server_ms / 1000:9.2f} s"
                         f"   t_pred {t.t_pred_us:10.1f} us{scope}")
        return "\n".join(lines)

    def __repr__(self):
        totals = ", ".join(f"{t.method}: client {t.client_ms:.1f} ms, server {t.server_ms:.1f} ms"
                           for t in self.totals.values())
        return f"<snnipred.Prediction {self.model} ({totals})>"
