"""Device resolution and numpy-to-torch hand-over, shared by the estimators
and the embedding transformers."""

import warnings

import numpy as np
import torch


def tensor_view(a):
    """``torch.from_numpy`` for arrays that torch only reads.

    Read-only inputs (joblib memmaps them in parallel searches) would make
    torch warn that writing to the tensor is undefined; nothing here writes.
    Only those pass through ``catch_warnings``, which swaps the process-wide
    filters (not thread-safe).
    """
    a = np.ascontiguousarray(a)
    if a.flags.writeable:
        return torch.from_numpy(a)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(a)


def may_use_gpu(device):
    """Whether a ``device`` parameter can train on a GPU here (scikit-learn's
    ``non_deterministic`` tag): never raises, tags are read anywhere."""
    try:
        return torch.cuda.is_available() and resolve_device(device, index=False).type == "cuda"
    except (ValueError, RuntimeError, TypeError):
        return False


def resolve_device(device, index=True):
    """Turn a ``device`` parameter ("auto", "cpu", "cuda", "cuda:N") into a
    torch device, with a clear error when the GPU asked for is not there.

    "cuda" means the current GPU when it is read: with ``index=True`` (for
    ``device_``) it is resolved to that GPU's index, so that a later change of
    the current GPU leaves a fitted model's data and network on one device."""
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device={device!r} is not a device; use 'auto', 'cpu', 'cuda' or 'cuda:N'."
        ) from None
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(
            f"device={device!r} is not supported; use 'auto', 'cpu', 'cuda' or 'cuda:N'."
        )
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"device={device!r} was requested but no CUDA GPU is available to torch. "
                "Use device='cpu' or device='auto'."
            )
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise RuntimeError(
                f"device={device!r} was requested but only {torch.cuda.device_count()} "
                "GPU(s) are visible. Pick an existing index or device='auto'."
            )
        if index and dev.index is None:
            dev = torch.device("cuda", torch.cuda.current_device())
    return dev
