#!/usr/bin/env python3
"""Measures PyTorch (CPU) and onnxruntime on the workloads of `semrob bench engine`.

This is the reference side of semrob's engine benchmark: the same architecture, batch, input
size, mode and thread count, timed the same way, so the README can quote
"semrob ÷ PyTorch" and "semrob ÷ onnxruntime" ratios measured in one session.

What one measurement is (per engine, per architecture × batch × mode):
  * a model with random weights (torch.manual_seed(--seed); torchvision `weights=None`),
  * a random input batch, float32 B×3×S×S uniform in [0, 1), seeded (--seed),
  * --warmup untimed runs (3), then timed runs: --repeats N (default 10), or `--repeats auto`
    (repeat until at least --min-time seconds (3) and --min-runs runs (5) have passed),
  * reported: the median seconds per batch, images/s = batch ÷ median, and every sample,
  * with --rounds R (default 1), all engines of a combination are measured R times in turn
    (PyTorch, onnxruntime, semrob, PyTorch, ...) and each engine's samples are pooled
    (round_medians in the JSON): the host's speed drifts during a session (on this project's
    VM onnxruntime's resnet50 batch-16 median moved between 0.31 and 0.65 s with no other
    process running), and interleaving lets the drift touch every engine alike. Ratios for
    the README: --rounds 3 or more. semrob's ratios also come round by round (its round-r
    median against the other engine's, measured seconds apart), with their median and range:
    a slow spell usually touches both sides of one round, but can fall on one engine's
    pooled samples more than the other's.

Modes (PyTorch):
  forward         eval(), torch.inference_mode(), logits = model(x)
  input-gradient  eval(), parameters frozen, x.requires_grad; logits[i, target[i]] summed over
                  the batch and back-propagated: the gradient of one class score per image with
                  respect to the input only (targets: seeded random classes)
  train-step      train() (batch-norm batch statistics, dropout on); cross-entropy on seeded
                  random labels; backward; one SGD step (--lr 0.01, --momentum 0); zero_grad
                  (set_to_none) is part of the timed step
onnxruntime measures `forward` only: the eval model is exported to ONNX (opset 17, fixed batch
dimension) into a temporary directory and run with intra-op threads = --threads, inter-op
threads = 1, sequential execution and graph optimisation ORT_ENABLE_ALL. The TorchScript
exporter is used; models it cannot export (alexnet below 224 px, alexnet-mini: adaptive average
pooling to a size that does not divide its input) go through the dynamo exporter (onnxscript),
which may keep opset 18 (the JSON records exporter and opset). onnxruntime's logits are checked
once against PyTorch's (check_max_abs_diff, check_max_abs_logit in the JSON).

Each engine is measured in a fresh child process of this script (one per engine and
combination), so no engine's thread pool, allocator or caches linger into another's timing;
semrob runs as a process of its own as well.

Memory: every measured process (semrob's too) runs with glibc told to keep freed memory
(--malloc keep, the default: MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=4 GiB, unless already
set). With stock glibc (--malloc default) each PyTorch pass maps its large activation buffers
afresh and pays their page faults: on the 2-core VM of this project resnet50 at batch 16 then
takes about 0.9-1.1 s instead of about 0.5 s. onnxruntime keeps its own arena either way. The
JSON records the setting as malloc.

Threads: --threads T (default 2) sets torch.set_num_threads(T) and
torch.set_num_interop_threads(1) before any other torch work and onnxruntime's intra-op
threads to T, and is passed on to semrob as --threads T.

Architectures (--arch, comma-separated): the torchvision names semrob defines — alexnet,
vgg11_bn, vgg16, resnet18, resnet50, inception_v3 (aux_logits=False, transform_input=False) —
or any other torchvision classifier. semrob's mini architectures (alexnet-mini, vgg-mini,
resnet-mini, inception-mini) have no built-in PyTorch definition here; they are skipped with a
message unless --torch-module supplies one:
  --torch-module FILE.py:NAME   or   --torch-module package.module:NAME
NAME is a table or a builder. A table is a dict {arch name: builder} or a list of tuples whose
first two items are (arch name, builder), such as CASES in Tools/fixtures/engine.py. A bare
builder serves every --arch. A builder returns an nn.Module and is called with what it asks
for: a parameter named arch/name/architecture gets the architecture name, one named
classes/num_classes gets the class count (--num-classes; default 10 for *-mini, else 1000), and
a single parameter of any other name gets the class count. The table wins over torchvision.
  python3 Tools/bench/compare_engines.py --torch-module Tools/fixtures/engine.py:CASES \\
      --arch resnet-mini,vgg-mini --batch 32 --mode forward,train-step
Default input sizes follow semrob: inception_v3 299, *-mini 64, everything else 224.

semrob: --semrob PATH runs `PATH bench engine --arch A --batch B --size S --mode M
--threads T --warmup W --repeats R --json` (the same warm-up and timed runs as the other
engines; --min-runs timed runs with --repeats auto) for every combination too, adds its
result and prints ratios: semrob
images/s ÷ engine images/s (above 1: semrob is faster) and, at batch 1, semrob latency ÷
engine latency (below 1: semrob is faster). If that command fails, one line says so and the
other engines' results stand. --semrob-args passes extra arguments to it.

Install (Python 3.11 was used; exact versions in Tools/bench/requirements.txt):
  python3 -m pip install -r Tools/bench/requirements.txt
  (into a virtual environment, or add --break-system-packages on a Debian/Ubuntu system Python)
The torch measured was the CPU-only build 2.13.0+cpu; the PyPI torchvision 0.28.0 wheel may
then fail to import ("operator torchvision::nms does not exist"). This script works around it
as Tools/torchvision_import.py does: classifiers never use those operators.

Examples:
  python3 Tools/bench/compare_engines.py --arch resnet50 --batch 16 --size 224 \\
      --mode forward --engines torch,onnxruntime --threads 2
  python3 Tools/bench/compare_engines.py --arch resnet18,resnet50 --batch 1,16 --json \\
      > engines.jsonl
  python3 Tools/bench/compare_engines.py --arch resnet50 --batch 1 --mode input-gradient \\
      --engines torch --repeats auto
  python3 Tools/bench/compare_engines.py --arch vgg16 --batch 8 --mode forward,train-step \\
      --semrob .build/release/semrob

Output: a table by default; with --json one JSON object per engine and combination per line,
with the keys of `semrob bench engine --json` (engine, arch, batch, size, mode, threads,
repeats, median_seconds, images_per_second, samples_seconds), engine "pytorch" or
"onnxruntime", plus engine_version, versions, machine, warmup, other_load, malloc and, with a
semrob result, semrob_ratio_images_per_second (and semrob_ratio_latency at batch 1; with
--rounds, semrob_round_ratios_images_per_second and their median
semrob_round_ratio_images_per_second, and at batch 1 semrob_round_ratio_latency);
onnxruntime adds exporter, opset, export_seconds and the logits check. semrob's own line is
passed through as it printed it, plus other_load and malloc. Progress and skips go to stderr.

other_load (the table's "other load") is the average share of all CPUs that other processes
kept busy while that engine was measured (Linux /proc/stat less this script's and its child's
CPU time). Above 10% a warning is printed: on a 2-core machine, PyTorch's OpenMP threads then
wait for each other at every operator and a forward pass can take 10-50 times longer, while
onnxruntime's thread pool degrades gracefully — such a ratio is meaningless.

Results are comparable only within one session on one machine: run every engine in the same
invocation (or back to back) on an otherwise idle machine and quote medians. Numbers from
different machines, sessions, thread counts or library versions must not be mixed.
"""
import argparse
import contextlib
import gc
import importlib
import importlib.util
import inspect
import json
import os
import pathlib
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import torch
from torch import nn

PROGRAM = "compare_engines"
ENGINE_ALIASES = {"torch": "pytorch", "pytorch": "pytorch", "onnxruntime": "onnxruntime",
                  "ort": "onnxruntime"}
MODES = ("forward", "input-gradient", "train-step")
SEMROB_MINIS = ("alexnet-mini", "vgg-mini", "resnet-mini", "inception-mini")


def note(message: str) -> None:
    print(f"{PROGRAM}: {message}", file=sys.stderr, flush=True)


def import_torchvision():
    """torchvision, even when its compiled operators do not match the installed torch (a
    CPU-only torch with the PyPI torchvision wheel): the two operator schemas its import
    registers fake kernels for are declared, and the import is retried. Only the (pure Python)
    model definitions are used here. Same approach as Tools/torchvision_import.py."""
    try:
        import torchvision as module
        return module, None
    except RuntimeError as error:
        if "torchvision::nms" not in str(error):
            raise
    for name in [n for n in sys.modules if n == "torchvision" or n.startswith("torchvision.")]:
        del sys.modules[name]
    library = torch.library.Library("torchvision", "DEF")
    library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    import torchvision as module
    return module, library


torchvision, _TORCHVISION_SCHEMAS = import_torchvision()  # the Library must stay alive
models = torchvision.models


# --- command line ------------------------------------------------------------------------------

def comma_list(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError("expected a comma-separated list")
    return items


def positive_int_list(text: str) -> list[int]:
    try:
        values = [int(item) for item in comma_list(text)]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text}") from error
    if any(value < 1 for value in values):
        raise argparse.ArgumentTypeError("every value must be at least 1")
    return values


def repeats_option(text: str):
    if text == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError("--repeats takes a count or 'auto'") from error
    if value < 1:
        raise argparse.ArgumentTypeError("--repeats must be at least 1")
    return value


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="compare_engines.py",
        description=__doc__.split("\n")[0],
        epilog="Details: the header of compare_engines.py.")
    parser.add_argument("--arch", type=comma_list, required=True,
                        help="architecture name(s), comma-separated: torchvision names, or "
                             "names a --torch-module table defines")
    parser.add_argument("--batch", type=positive_int_list, default=[1],
                        help="batch size(s), comma-separated (default 1)")
    parser.add_argument("--size", type=int, default=None,
                        help="input side S (default: 299 inception_v3, 64 *-mini, else 224)")
    parser.add_argument("--mode", type=comma_list, default=["forward"],
                        help="forward | input-gradient | train-step, comma-separated "
                             "(default forward)")
    parser.add_argument("--engines", type=comma_list, default=["torch", "onnxruntime"],
                        help="torch (= pytorch), onnxruntime (= ort); default torch,onnxruntime")
    parser.add_argument("--threads", type=int, default=2,
                        help="intra-op threads of every engine (default 2)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--repeats", type=repeats_option, default=10,
                        help="timed runs, or 'auto' (see --min-time, --min-runs); default 10")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every engine this many times in turn and pool the "
                             "samples (default 1)")
    parser.add_argument("--min-time", type=float, default=3.0,
                        help="--repeats auto: time at least this many seconds (default 3)")
    parser.add_argument("--min-runs", type=int, default=5,
                        help="--repeats auto: at least this many runs (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="weights and input seed (default 0)")
    parser.add_argument("--num-classes", type=int, default=None,
                        help="classifier outputs (default 10 for *-mini, else 1000)")
    parser.add_argument("--lr", type=float, default=0.01,
                        help="train-step SGD learning rate (default 0.01)")
    parser.add_argument("--momentum", type=float, default=0.0,
                        help="train-step SGD momentum (default 0)")
    parser.add_argument("--torch-module", metavar="MODULE:NAME", default=None,
                        help="FILE.py:NAME or package.module:NAME: a table or builder of "
                             "nn.Modules (see the header)")
    parser.add_argument("--malloc", choices=("keep", "default"), default="keep",
                        help="glibc malloc of every measured process: keep (default: no mmap "
                             "for large blocks, no trimming, so freed memory is reused) or "
                             "default (stock glibc)")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset (default 17)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip comparing onnxruntime's logits with PyTorch's")
    parser.add_argument("--semrob", metavar="PATH", default=None,
                        help="semrob binary: also run `PATH bench engine ... --json`")
    parser.add_argument("--semrob-args", default="",
                        help="extra arguments for `semrob bench engine` (one shell-quoted "
                             "string)")
    parser.add_argument("--semrob-timeout", type=float, default=3600.0,
                        help="seconds before a semrob run is abandoned (default 3600)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON lines (one object per engine and combination)")
    parser.add_argument("--worker", choices=("pytorch", "onnxruntime"), default=None,
                        help=argparse.SUPPRESS)  # internal: measure one engine in this process
    args = parser.parse_args(argv)

    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must be at least 0")
    if args.size is not None and args.size < 1:
        parser.error("--size must be at least 1")
    if args.num_classes is not None and args.num_classes < 1:
        parser.error("--num-classes must be at least 1")
    if args.min_runs < 1:
        parser.error("--min-runs must be at least 1")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    for mode in args.mode:
        if mode not in MODES:
            parser.error(f"unknown mode '{mode}' (choose from {', '.join(MODES)})")
    engines = []
    for engine in args.engines:
        canonical = ENGINE_ALIASES.get(engine.lower())
        if canonical is None:
            parser.error(f"unknown engine '{engine}' (torch, onnxruntime)")
        if canonical not in engines:
            engines.append(canonical)
    args.engines = engines
    if args.worker and (len(args.arch) != 1 or len(args.batch) != 1 or len(args.mode) != 1
                        or args.size is None):
        parser.error("--worker takes one --arch, --batch, --mode and an explicit --size")
    return args


# --- threads -----------------------------------------------------------------------------------

def configure_threads(threads: int) -> None:
    """Runs before any parallel torch work: set_num_interop_threads fails once it has begun."""
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError as error:
        note(f"warning: could not set inter-op threads to 1 ({error})")


# --- models ------------------------------------------------------------------------------------

def load_torch_module(spec: str):
    """The attribute FILE.py:NAME or package.module:NAME names."""
    location, separator, name = spec.rpartition(":")
    if not separator or not location or not name:
        sys.exit(f"{PROGRAM}: --torch-module takes FILE.py:NAME or module:NAME, not '{spec}'")
    if location.endswith(".py") or os.sep in location:
        path = pathlib.Path(location)
        if not path.is_file():
            sys.exit(f"{PROGRAM}: --torch-module: no file {path}")
        module_spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
        module = importlib.util.module_from_spec(module_spec)
        sys.path.insert(0, str(path.resolve().parent))
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(location)
    if not hasattr(module, name):
        sys.exit(f"{PROGRAM}: --torch-module: {location} has no attribute '{name}'")
    return getattr(module, name)


def as_table(value):
    """A dict {name: builder} from a dict, a list of (name, builder, ...) tuples, or None for a
    bare builder."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, (list, tuple)):
        table = {}
        for entry in value:
            if not (isinstance(entry, (list, tuple)) and len(entry) >= 2
                    and isinstance(entry[0], str) and callable(entry[1])):
                sys.exit(f"{PROGRAM}: --torch-module: a list table needs (name, builder, ...) "
                         f"entries, found {entry!r:.80}")
            table[entry[0]] = entry[1]
        return table
    if callable(value):
        return None
    sys.exit(f"{PROGRAM}: --torch-module names a {type(value).__name__}, not a table or builder")


def call_builder(builder, arch: str, classes: int) -> nn.Module:
    try:
        parameters = [p for p in inspect.signature(builder).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                      and p.default is p.empty]
    except (TypeError, ValueError):
        parameters = []
    arguments = []
    for parameter in parameters:
        if parameter.name in ("arch", "name", "architecture"):
            arguments.append(arch)
        elif parameter.name in ("classes", "num_classes") or len(parameters) == 1:
            arguments.append(classes)
        else:
            sys.exit(f"{PROGRAM}: cannot call the --torch-module builder for '{arch}': "
                     f"unknown parameter '{parameter.name}' (use arch and/or classes)")
    model = builder(*arguments)
    if not isinstance(model, nn.Module):
        sys.exit(f"{PROGRAM}: the --torch-module builder for '{arch}' returned "
                 f"{type(model).__name__}, not an nn.Module")
    return model


class ModelSource:
    """Where architecture names come from: the --torch-module table or builder, then
    torchvision."""

    def __init__(self, torch_module: str | None, num_classes: int | None):
        self.custom = load_torch_module(torch_module) if torch_module else None
        self.table = as_table(self.custom) if self.custom is not None else {}
        self.num_classes = num_classes
        self.torchvision_names = set(models.list_models(module=models))

    def origin(self, arch: str) -> str | None:
        if self.table is None or arch in self.table:  # a bare builder serves every name
            return "torch-module"
        if arch in self.torchvision_names:
            return "torchvision"
        return None

    def why_missing(self, arch: str) -> str:
        if arch in SEMROB_MINIS:
            return (f"'{arch}' is a semrob mini architecture; PyTorch has no definition of it "
                    f"unless --torch-module supplies one (e.g. "
                    f"--torch-module Tools/fixtures/engine.py:CASES)")
        return f"'{arch}' is neither a torchvision classifier nor defined by --torch-module"

    def classes(self, arch: str) -> int:
        if self.num_classes is not None:
            return self.num_classes
        return 10 if arch.endswith("-mini") else 1000

    def build(self, arch: str, seed: int) -> nn.Module:
        torch.manual_seed(seed)
        if self.origin(arch) == "torch-module":
            builder = self.custom if self.table is None else self.table[arch]
            return call_builder(builder, arch, self.classes(arch))
        extra = {"num_classes": self.classes(arch)}
        if arch == "inception_v3":
            # semrob's inception_v3: no auxiliary head, no input transform. PyTorch's default
            # initialisation: torchvision's (truncated normal, std 0.1) makes eval-mode logits
            # of about 1e12 with untrained batch norm, which blurs the onnxruntime check.
            extra.update(aux_logits=False, transform_input=False, init_weights=False)
        return models.get_model(arch, weights=None, **extra)


def default_size(arch: str) -> int:
    if arch == "inception_v3":
        return 299
    if arch.endswith("-mini"):
        return 64
    return 224


def logits_of(output):
    """The logits of a model output (tensor, tuple/namedtuple, or object with .logits)."""
    if isinstance(output, torch.Tensor):
        return output
    if hasattr(output, "logits"):
        return output.logits
    if isinstance(output, (tuple, list)):
        return output[0]
    raise TypeError(f"cannot find logits in a {type(output).__name__}")


# --- timing ------------------------------------------------------------------------------------

def time_runs(step, warmup: int, repeats, min_time: float, min_runs: int) -> list[float]:
    for _ in range(warmup):
        step()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    samples = []
    try:
        started = time.perf_counter()
        while True:
            begin = time.perf_counter()
            step()
            samples.append(time.perf_counter() - begin)
            if repeats == "auto":
                if len(samples) >= min_runs and time.perf_counter() - started >= min_time:
                    break
            elif len(samples) >= repeats:
                break
    finally:
        if was_enabled:
            gc.enable()
    return samples


# --- engines -----------------------------------------------------------------------------------

def seeded_inputs(batch: int, size: int, seed: int, classes: int):
    """x: float32 [batch, 3, size, size] uniform in [0, 1); labels: [batch] in [0, classes)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand((batch, 3, size, size), generator=generator, dtype=torch.float32)
    labels = torch.randint(0, classes, (batch,), generator=generator)
    return x, labels


def torch_step(model: nn.Module, x: torch.Tensor, labels: torch.Tensor, mode: str, args):
    """The function one timed PyTorch run calls."""
    if mode == "forward":
        model.eval()
        model.requires_grad_(False)

        def step():
            with torch.inference_mode():
                return logits_of(model(x))
        return step

    if mode == "input-gradient":
        model.eval()
        model.requires_grad_(False)  # the gradient with respect to the input only
        leaf = x.clone().requires_grad_(True)
        index = labels.view(-1, 1)

        def step():
            leaf.grad = None
            logits_of(model(leaf)).gather(1, index).sum().backward()
            return leaf.grad
        return step

    model.train()
    model.requires_grad_(True)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_function = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(logits_of(model(x)), labels)
        loss.backward()
        optimizer.step()
        return loss
    return step


@contextlib.contextmanager
def output_to(log):
    """Sends file descriptors 1 and 2 (Python's and C++'s output) to the file `log`: the
    exporters print graphs and warnings that must not reach the JSON lines on stdout."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for descriptor in saved:
            os.close(descriptor)


def export_onnx(model: nn.Module, x: torch.Tensor, path: pathlib.Path, opset: int) -> str:
    """Writes the eval model as ONNX with the batch dimension fixed to x's; returns the exporter
    used. The TorchScript exporter comes first; where it cannot export a model (e.g.
    adaptive_avg_pool2d to a size that does not divide the input), the dynamo exporter
    (onnxscript) is tried, which may keep opset 18 when it cannot convert down."""
    model.eval()
    model.requires_grad_(False)
    options = dict(input_names=["input"], output_names=["logits"])
    has_dynamo = "dynamo" in inspect.signature(torch.onnx.export).parameters
    attempts = [("torchscript", dict(dynamo=False, do_constant_folding=True) if has_dynamo
                 else dict(do_constant_folding=True))]
    if has_dynamo and importlib.util.find_spec("onnxscript") is not None:
        attempts.append(("dynamo", dict(dynamo=True, external_data=False)))
    errors = []
    with tempfile.TemporaryFile("w+") as log, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for exporter, extra in attempts:
            try:
                with output_to(log):
                    torch.onnx.export(model, (x,), str(path), opset_version=opset, **options,
                                      **extra)
                return exporter
            except Exception as error:  # noqa: BLE001 - try the next exporter
                errors.append(f"{exporter}: {str(error).strip().splitlines()[0][:160]}")
    raise RuntimeError("; ".join(errors))


def onnx_opset(path: pathlib.Path) -> int | None:
    import onnx
    model = onnx.load(str(path), load_external_data=False)
    return next((entry.version for entry in model.opset_import if entry.domain in ("", "ai.onnx")),
                None)


def ort_session(path: pathlib.Path, threads: int):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=options,
                                providers=["CPUExecutionProvider"])


# --- records -----------------------------------------------------------------------------------

def library_versions() -> dict:
    versions = {"python": platform.python_version(), "torch": torch.__version__,
                "torchvision": torchvision.__version__, "numpy": np.__version__}
    for name in ("onnxruntime", "onnx"):
        module = sys.modules.get(name)
        if module is not None:
            versions[name] = module.__version__
    return versions


def machine_description() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "system": platform.platform()}


def make_record(engine: str, engine_version: str, arch: str, batch: int, size: int, mode: str,
                args, samples: list[float], extra: dict | None = None) -> dict:
    median = statistics.median(samples)
    record = {
        "engine": engine, "arch": arch, "batch": batch, "size": size, "mode": mode,
        "threads": args.threads, "repeats": len(samples), "median_seconds": median,
        "images_per_second": batch / median, "samples_seconds": samples,
        "engine_version": engine_version, "warmup": args.warmup,
    }
    if extra:
        record.update(extra)
    return record


# --- background load --------------------------------------------------------------------------

def machine_busy_seconds() -> float | None:
    """CPU seconds all processes have been busy since boot (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


MALLOC_KEEP = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(4 << 30)}


def child_environment(args) -> dict:
    """The environment of every measured process (PyTorch, onnxruntime and semrob alike).
    With --malloc keep, glibc serves large blocks from the heap and never returns freed memory
    to the system, so a run reuses the pages of the previous one instead of mapping, faulting
    in and zeroing its activations afresh (on the 2-core VM this halves PyTorch's resnet50
    batch-16 time; onnxruntime has its own arena). Variables already set are kept."""
    environment = dict(os.environ)
    if args.malloc == "keep":
        for name, value in MALLOC_KEEP.items():
            environment.setdefault(name, value)
    return environment


def run_measured(command: list[str], **options):
    """subprocess.run, plus the average share of the machine's CPUs that other processes
    (neither this one nor the child) kept busy meanwhile: noise the numbers carry."""
    busy_before = machine_busy_seconds()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    completed = subprocess.run(command, **options)
    wall = time.perf_counter() - began
    busy_after = machine_busy_seconds()
    if busy_before is None or busy_after is None or wall <= 0:
        return completed, None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    itself = resource.getrusage(resource.RUSAGE_SELF)
    ours = (children.ru_utime - children_before.ru_utime + children.ru_stime
            - children_before.ru_stime + itself.ru_utime - self_before.ru_utime
            + itself.ru_stime - self_before.ru_stime)
    other = max(0.0, (busy_after - busy_before) - ours) / (wall * (os.cpu_count() or 1))
    return completed, round(min(other, 1.0), 3)


def warn_if_loaded(other_load: float | None, what: str) -> None:
    if other_load is not None and other_load > 0.1:
        note(f"warning: other processes kept {100 * other_load:.0f}% of the CPUs busy while "
             f"{what} was measured; its numbers are unreliable (PyTorch's OpenMP threads "
             f"suffer most)")


# --- semrob ------------------------------------------------------------------------------------

def run_semrob(args, arch: str, batch: int, size: int, mode: str) -> dict | None:
    """semrob's JSON result, or None after one line on standard error saying why not."""
    # The same warm-up and timed runs as the other engines (`bench engine` has no 'auto': it
    # then makes --min-runs timed runs).
    repeats = args.min_runs if args.repeats == "auto" else args.repeats
    command = [args.semrob, "bench", "engine", "--arch", arch, "--batch", str(batch),
               "--size", str(size), "--mode", mode, "--threads", str(args.threads),
               "--warmup", str(args.warmup), "--repeats", str(repeats), "--json"]
    command += shlex.split(args.semrob_args)
    label = f"{arch} batch {batch} {mode}"
    try:
        completed, other_load = run_measured(command, capture_output=True, text=True,
                                             timeout=args.semrob_timeout,
                                             stdin=subprocess.DEVNULL,
                                             env=child_environment(args))
    except FileNotFoundError:
        note(f"semrob: {args.semrob} not found; continuing without semrob ({label})")
        return None
    except PermissionError:
        note(f"semrob: {args.semrob} is not executable; continuing without semrob ({label})")
        return None
    except subprocess.TimeoutExpired:
        note(f"semrob: `bench engine` took over {args.semrob_timeout:.0f} s; continuing "
             f"without semrob ({label})")
        return None
    record = None
    for line in reversed(completed.stdout.splitlines()):
        if line.strip().startswith("{"):
            try:
                record = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
    if completed.returncode != 0 or not isinstance(record, dict) \
            or not isinstance(record.get("images_per_second"), (int, float)) \
            or not isinstance(record.get("median_seconds"), (int, float)):
        reason = next((line.strip() for line in completed.stderr.splitlines() if line.strip()),
                      "no JSON result with images_per_second and median_seconds")
        note(f"semrob: `bench engine` failed (exit {completed.returncode}: {reason[:200]}); "
             f"continuing without semrob ({label})")
        return None
    record.setdefault("engine", "semrob")
    record["other_load"] = other_load
    record["malloc"] = args.malloc
    warn_if_loaded(other_load, f"semrob on {label}")
    return record


def add_ratios(records: list[dict]) -> None:
    semrob = next((r for r in records if r.get("engine") == "semrob"), None)
    if semrob is None:
        return
    for record in records:
        if record is semrob:
            continue
        record["semrob_ratio_images_per_second"] = (
            semrob["images_per_second"] / record["images_per_second"])
        if record["batch"] == 1:
            record["semrob_ratio_latency"] = semrob["median_seconds"] / record["median_seconds"]
        ours, theirs = semrob.get("round_medians"), record.get("round_medians")
        if ours and theirs and len(ours) == len(theirs):
            # Round r of each engine ran seconds apart, so a slow spell of the host usually
            # touches both: the per-round ratios scatter less than the pooled medians' ratio.
            ratios = [t / o for o, t in zip(ours, theirs)]
            record["semrob_round_ratios_images_per_second"] = ratios
            record["semrob_round_ratio_images_per_second"] = statistics.median(ratios)
            if record["batch"] == 1:
                record["semrob_round_ratio_latency"] = statistics.median(
                    [o / t for o, t in zip(ours, theirs)])


# --- one combination ---------------------------------------------------------------------------

def measure_pytorch(model, x, labels, label: str, arch, batch, size, mode, args) -> dict | None:
    note(f"pytorch {torch.__version__}: {label} ...")
    try:
        step = torch_step(model, x, labels, mode, args)
        samples = time_runs(step, args.warmup, args.repeats, args.min_time, args.min_runs)
    except (RuntimeError, ValueError) as error:
        note(f"pytorch failed on {label}: {str(error).splitlines()[0]}")
        return None
    return make_record("pytorch", torch.__version__, arch, batch, size, mode, args, samples)


def measure_onnxruntime(model, x, label: str, arch, batch, size, mode, args) -> dict | None:
    import onnx  # noqa: F401 - the exporter's dependency; recorded in the versions
    import onnxruntime as ort
    with tempfile.TemporaryDirectory(prefix="compare-engines-") as directory:
        path = pathlib.Path(directory) / "model.onnx"
        note(f"onnxruntime {ort.__version__}: exporting {arch} (opset {args.opset}, batch "
             f"{batch}) ...")
        began = time.perf_counter()
        try:
            exporter = export_onnx(model, x, path, args.opset)
        except RuntimeError as error:
            note(f"onnxruntime: exporting {arch} failed ({error}); skipping")
            return None
        extra = {"export_seconds": time.perf_counter() - began, "exporter": exporter,
                 "opset": onnx_opset(path)}
        session = ort_session(path, args.threads)
    feed = {session.get_inputs()[0].name: x.numpy()}
    if not args.no_check:
        with torch.inference_mode():
            reference = logits_of(model(x)).numpy()
        produced = session.run(None, feed)[0]
        extra["check_max_abs_diff"] = float(np.max(np.abs(produced - reference)))
        extra["check_max_abs_logit"] = float(np.max(np.abs(reference)))
    del model
    gc.collect()
    note(f"onnxruntime {ort.__version__}: {label} ...")
    samples = time_runs(lambda: session.run(None, feed), args.warmup, args.repeats,
                        args.min_time, args.min_runs)
    return make_record("onnxruntime", ort.__version__, arch, batch, size, mode, args, samples,
                       extra)


def worker(args) -> int:
    """One engine on one combination, in this (fresh) process: its JSON record on stdout."""
    arch, batch, mode, size = args.arch[0], args.batch[0], args.mode[0], args.size
    source = ModelSource(args.torch_module, args.num_classes)
    model = source.build(arch, args.seed)
    x, _ = seeded_inputs(batch, size, args.seed, 1)
    with torch.inference_mode():  # the class count the model really has, for the labels
        classes = logits_of(model.eval()(x[:1])).shape[1]
    x, labels = seeded_inputs(batch, size, args.seed, classes)
    label = f"{arch} batch {batch} size {size} {mode}"
    if args.worker == "onnxruntime":
        record = measure_onnxruntime(model, x, label, arch, batch, size, mode, args)
    else:
        record = measure_pytorch(model, x, labels, label, arch, batch, size, mode, args)
    if record is None:
        return 3
    record["versions"] = library_versions()
    record["machine"] = machine_description()
    print(json.dumps(record), flush=True)
    return 0


def run_worker(args, engine: str, arch: str, batch: int, size: int, mode: str) -> dict | None:
    """Measures one engine in a child process, so no engine's threads, allocator or caches
    linger into another's measurement (semrob, too, runs as a process of its own)."""
    command = [sys.executable, str(pathlib.Path(__file__).resolve()), "--worker", engine,
               "--arch", arch, "--batch", str(batch), "--size", str(size), "--mode", mode,
               "--threads", str(args.threads), "--warmup", str(args.warmup),
               "--repeats", str(args.repeats), "--min-time", str(args.min_time),
               "--min-runs", str(args.min_runs), "--seed", str(args.seed),
               "--lr", str(args.lr), "--momentum", str(args.momentum),
               "--opset", str(args.opset)]
    if args.num_classes is not None:
        command += ["--num-classes", str(args.num_classes)]
    if args.torch_module:
        command += ["--torch-module", args.torch_module]
    if args.no_check:
        command.append("--no-check")
    completed, other_load = run_measured(command, stdout=subprocess.PIPE, text=True,
                                         stdin=subprocess.DEVNULL,
                                         env=child_environment(args))
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        if completed.returncode != 3:  # 3: the worker already said why
            note(f"{engine}: the measurement process failed (exit {completed.returncode}) on "
                 f"{arch} batch {batch} {mode}")
        return None
    record = json.loads(lines[-1])
    record["other_load"] = other_load
    record["malloc"] = args.malloc
    warn_if_loaded(other_load, f"{engine} on {arch} batch {batch} {mode}")
    return record


def merge_rounds(records: list[dict]) -> dict:
    """One record from an engine's rounds: samples pooled, median and images/s recomputed,
    each round's median kept as round_medians, other_load the worst round's."""
    merged = dict(records[0])
    if len(records) == 1:
        return merged
    if all(isinstance(r.get("samples_seconds"), list) and r["samples_seconds"] for r in records):
        samples = [sample for r in records for sample in r["samples_seconds"]]
    else:  # a result without samples: the median of the rounds' medians
        samples = [r["median_seconds"] for r in records]
    merged["samples_seconds"] = samples
    merged["repeats"] = len(samples)
    merged["median_seconds"] = statistics.median(samples)
    merged["images_per_second"] = merged["batch"] / merged["median_seconds"]
    merged["rounds"] = len(records)
    merged["round_medians"] = [r["median_seconds"] for r in records]
    loads = [r.get("other_load") for r in records if r.get("other_load") is not None]
    merged["other_load"] = max(loads) if loads else None
    return merged


def measure(source: ModelSource, args, arch: str, batch: int, mode: str) -> list[dict]:
    """Every engine on one combination, --rounds times in turn (A, B, semrob, A, B, ...), so a
    drift in the machine's speed during the session touches every engine alike."""
    size = args.size or default_size(arch)
    label = f"{arch} batch {batch} size {size} {mode}"
    engines = []
    if source.origin(arch) is None:
        note(f"skipping PyTorch and onnxruntime for {arch}: {source.why_missing(arch)}")
    else:
        for engine in args.engines:
            if engine == "onnxruntime" and mode != "forward":
                note(f"onnxruntime: measures forward only; skipping {label}")
                continue
            engines.append(engine)
    if args.semrob:
        engines.append("semrob")
    results = {engine: [] for engine in engines}
    for round_index in range(args.rounds):
        if args.rounds > 1:
            note(f"round {round_index + 1} of {args.rounds}: {label}")
        for engine in engines:
            if round_index > 0 and not results[engine]:
                continue  # failed in the first round: said so once
            if engine == "semrob":
                note(f"semrob: {label} ...")
                record = run_semrob(args, arch, batch, size, mode)
            else:
                record = run_worker(args, engine, arch, batch, size, mode)
            if record is not None:
                results[engine].append(record)
    records = [merge_rounds(rounds) for rounds in results.values() if rounds]
    add_ratios(records)
    return records


# --- output ------------------------------------------------------------------------------------

def print_table(records: list[dict]) -> None:
    header = ("engine", "version", "arch", "batch", "size", "mode", "threads", "runs",
              "median ms", "min ms", "max ms", "images/s", "other load")
    rows = []
    for r in records:
        samples = r.get("samples_seconds") or [r["median_seconds"]]
        rows.append((str(r["engine"]), str(r.get("engine_version", r.get("version", ""))),
                     str(r["arch"]), str(r["batch"]), str(r["size"]), str(r["mode"]),
                     str(r["threads"]), str(r.get("repeats", len(samples))),
                     f"{1000 * r['median_seconds']:.1f}", f"{1000 * min(samples):.1f}",
                     f"{1000 * max(samples):.1f}", f"{r['images_per_second']:.2f}",
                     "?" if r.get("other_load") is None else f"{100 * r['other_load']:.0f}%"))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    right = {3, 4, 6, 7, 8, 9, 10, 11, 12}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def print_ratios(groups: list[list[dict]]) -> None:
    lines = []
    for records in groups:
        semrob = next((r for r in records if r["engine"] == "semrob"), None)
        for r in records:
            if semrob is None or r is semrob:
                continue
            text = (f"  {r['arch']} batch {r['batch']} {r['mode']} vs {r['engine']}: images/s "
                    f"{semrob['images_per_second']:.2f} / {r['images_per_second']:.2f} = "
                    f"{r['semrob_ratio_images_per_second']:.2f}")
            if "semrob_ratio_latency" in r:
                text += (f"; latency {1000 * semrob['median_seconds']:.1f} ms / "
                         f"{1000 * r['median_seconds']:.1f} ms = {r['semrob_ratio_latency']:.2f}")
            if "semrob_round_ratio_images_per_second" in r:
                ratios = r["semrob_round_ratios_images_per_second"]
                text += (f"; round by round {r['semrob_round_ratio_images_per_second']:.2f} "
                         f"(median of {len(ratios)}, {min(ratios):.2f}–{max(ratios):.2f})")
                if "semrob_round_ratio_latency" in r:
                    text += f", latency {r['semrob_round_ratio_latency']:.2f}"
            lines.append(text)
    if lines:
        print()
        print("semrob ratios (images/s ratio above 1 and latency ratio below 1: semrob faster):")
        print("\n".join(lines))


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_threads(args.threads)
    if args.worker:
        return worker(args)
    source = ModelSource(args.torch_module, args.num_classes)
    groups = []
    for arch in args.arch:
        for mode in args.mode:
            for batch in args.batch:
                records = measure(source, args, arch, batch, mode)
                if args.json:
                    for record in records:
                        print(json.dumps(record), flush=True)
                groups.append(records)
    measured = [record for records in groups for record in records]
    if not measured:
        note("nothing was measured")
        return 1
    if not args.json:
        print_table(measured)
        print_ratios(groups)
        rounds = f" x {args.rounds} rounds" if args.rounds > 1 else ""
        print(f"\n{machine_description()['cpu']}; {args.threads} threads; median of "
              f"{args.repeats} timed runs{rounds} after {args.warmup} warm-up runs; each "
              f"engine in a process of its own; malloc {args.malloc}. Comparable only within "
              f"one session on one machine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
