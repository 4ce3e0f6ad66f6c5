"""Imports torchvision even when its compiled operators do not match the installed torch.

torchvision's model definitions are pure Python, but `import torchvision` also registers
fake kernels for its compiled `nms`/`qnms` operators and fails with "operator torchvision::nms
does not exist" when the wheel's `_C.so` cannot load (for example a CPU-only torch wheel with
the default torchvision wheel from PyPI).  semrob's tools only need the model definitions, so
on that error this module declares the two operator schemas and imports again.  Detection
operators (NMS, RoI align) stay unavailable in that case; nothing in Tools/ uses them.

    from torchvision_import import torchvision   # with Tools/ on sys.path
"""
import sys

import torch

_library = None  # keeps the schema declarations alive


def _load():
    global _library
    try:
        import torchvision as module
        return module
    except RuntimeError as error:
        if "torchvision::nms" not in str(error):
            raise
    for name in [n for n in sys.modules if n == "torchvision" or n.startswith("torchvision.")]:
        del sys.modules[name]
    _library = torch.library.Library("torchvision", "DEF")
    _library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    import torchvision as module
    return module


torchvision = _load()
