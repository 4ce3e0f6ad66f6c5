#!/usr/bin/env python3
"""Exports a torchvision classifier's state_dict to safetensors for semrob.

Tensor names are exactly the torchvision state_dict keys (for example `layer1.0.conv1.weight`),
so semrob's full-size architectures load the file by name and check every shape. Every tensor is
written as float32; BatchNorm's integer `num_batches_tracked` counters are converted to float32
as well (semrob does not use them at inference, but the key set stays complete).

Weights:
  --weights DEFAULT      torchvision's default pretrained weights (downloads; needs internet)
  --weights NAME         a named weights enum value, e.g. IMAGENET1K_V2
  --weights FILE.pth     a state_dict saved with torch.save
  --weights random       random initialisation with --seed (no download; the default)

Optionally writes a seeded sample input (float32 N x 3 x H x W in [0, 1]) and PyTorch's logits
for it, so the export can be checked against `semrob classify --input` later:
  --sample-input x.npy --sample-logits logits.npy [--batch 2] [--size 224]
The logits are computed in eval mode with ImageNet mean/std normalisation applied to the [0, 1]
input (pass --no-normalize to feed the input as is).

Pinned versions: Tools/fixtures/requirements.txt (torch, torchvision, safetensors, numpy).
The PyPI torchvision wheels may fail to import with a CPU-only torch ("operator torchvision::nms
does not exist"); the model definitions are pure Python, so this script tolerates the failed
operator registrations while importing.

Examples:
  python3 Tools/export_torchvision.py --arch resnet50 --output resnet50.safetensors
  python3 Tools/export_torchvision.py --arch vgg11_bn --weights DEFAULT --output vgg.safetensors
  python3 Tools/export_torchvision.py --arch alexnet --seed 3 --output a.safetensors \\
      --sample-input x.npy --sample-logits logits.npy --batch 2 --size 224
"""
import argparse
import json
import pathlib
import sys

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save_file


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from torchvision_import import torchvision  # noqa: E402

models = torchvision.models

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def build_model(arch: str, weights: str, seed: int, num_classes: int | None):
    """The model in eval mode and a description of where its weights came from."""
    if arch not in models.list_models(module=models):
        known = ", ".join(sorted(models.list_models(module=models)))
        sys.exit(f"export_torchvision: unknown architecture '{arch}'. Known: {known}")
    extra = {}
    if arch == "inception_v3":
        # semrob's inception_v3 has no auxiliary head at inference and no input transform.
        extra = {"aux_logits": False, "transform_input": False, "init_weights": True}
    if num_classes is not None:
        extra["num_classes"] = num_classes
    if weights == "random":
        torch.manual_seed(seed)
        model = models.get_model(arch, weights=None, **extra)
        source = f"random initialisation, torch.manual_seed({seed})"
    elif weights.endswith(".pth") or weights.endswith(".pt"):
        model = models.get_model(arch, weights=None, **extra)
        state = torch.load(weights, map_location="cpu", weights_only=True)
        model.load_state_dict(state, strict=True)
        source = f"state_dict file {pathlib.Path(weights).name}"
    else:
        if arch == "inception_v3":
            extra.pop("aux_logits")
            extra.pop("init_weights")
        model = models.get_model(arch, weights=weights, **extra)
        if arch == "inception_v3":
            model.aux_logits = False
            model.AuxLogits = None
        source = f"torchvision weights {arch}:{weights}"
    model.eval()
    return model, source


def export(model, output: pathlib.Path, metadata: dict) -> dict:
    """Writes every state_dict tensor as contiguous float32; returns the tensors written."""
    tensors = {
        name: value.detach().to(torch.float32).contiguous().clone()
        for name, value in model.state_dict().items()
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + ".tmp")
    save_file(tensors, str(temporary), metadata=metadata)
    temporary.replace(output)
    return tensors


def verify(output: pathlib.Path, tensors: dict) -> None:
    """Reads the file back and compares every tensor bit for bit."""
    with safe_open(str(output), framework="pt") as reader:
        names = set(reader.keys())
        if names != set(tensors):
            sys.exit(f"export_torchvision: {output} has different tensor names than the model")
        for name in names:
            if not torch.equal(reader.get_tensor(name), tensors[name]):
                sys.exit(f"export_torchvision: {output}: tensor {name} differs after reading back")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", required=True, help="torchvision model name, e.g. resnet50")
    parser.add_argument("--weights", default="random",
                        help="random (default), DEFAULT, a weights name, or a .pth state_dict")
    parser.add_argument("--seed", type=int, default=0, help="seed for random weights and inputs")
    parser.add_argument("--num-classes", type=int, default=None,
                        help="classifier outputs (random weights only; default 1000)")
    parser.add_argument("--output", required=True, type=pathlib.Path,
                        help="the .safetensors file to write")
    parser.add_argument("--sample-input", type=pathlib.Path, help="write a seeded input .npy")
    parser.add_argument("--sample-logits", type=pathlib.Path, help="write PyTorch's logits .npy")
    parser.add_argument("--batch", type=int, default=2, help="sample batch size")
    parser.add_argument("--size", type=int, default=224, help="sample image side")
    parser.add_argument("--no-normalize", action="store_true",
                        help="feed the sample input without ImageNet mean/std normalisation")
    args = parser.parse_args()
    if args.num_classes is not None and args.weights != "random":
        sys.exit("export_torchvision: --num-classes only applies to --weights random")
    if (args.sample_input is None) != (args.sample_logits is None):
        sys.exit("export_torchvision: give both --sample-input and --sample-logits, or neither")

    model, source = build_model(args.arch, args.weights, args.seed, args.num_classes)
    metadata = {
        "producer": "semrob Tools/export_torchvision.py",
        "architecture": args.arch,
        "weights": source,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "normalization": json.dumps({"mean": IMAGENET_MEAN, "std": IMAGENET_STD}),
    }
    tensors = export(model, args.output, metadata)
    verify(args.output, tensors)
    parameters = sum(t.numel() for t in tensors.values())
    print(f"wrote {args.output}: {len(tensors)} tensors, {parameters:,} values ({source})")

    if args.sample_input is not None:
        generator = np.random.default_rng(args.seed)
        x = generator.random((args.batch, 3, args.size, args.size), dtype=np.float32)
        with torch.no_grad():
            batch = torch.from_numpy(x)
            if not args.no_normalize:
                mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
                std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
                batch = (batch - mean) / std
            logits = model(batch).numpy().astype(np.float32)
        np.save(args.sample_input, x)
        np.save(args.sample_logits, logits)
        print(f"wrote {args.sample_input} {list(x.shape)} and {args.sample_logits} "
              f"{list(logits.shape)}")


if __name__ == "__main__":
    main()
