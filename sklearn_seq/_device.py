"""Device resolution shared by the estimators and the GloVe trainer."""

import torch


def resolve_device(device):
    """Turn a ``device`` parameter ("auto", "cpu", "cuda", "cuda:N") into a
    torch device, with a clear error when the GPU asked for is not there."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device={device!r} is not a device; use 'auto', 'cpu', 'cuda' or 'cuda:N'."
        ) from None
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
    return dev
