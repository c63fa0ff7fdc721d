"""The torch module behind every sequence estimator."""

import copy

import numpy as np
import torch
from torch import nn

from .._device import tensor_view
from ._backward import layer_forward

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def _reverse_valid(x, lengths):
    """Reverse the first ``lengths[b]`` steps of each row of ``x`` (B, L, D) in place
    order, leaving the padding where it is. Applying it twice is the identity."""
    L = x.shape[1]
    t = torch.arange(L, device=x.device)
    rev = lengths[:, None] - 1 - t[None, :]
    idx = torch.where(rev >= 0, rev, t[None, :])
    return x.gather(1, idx[:, :, None].expand(-1, -1, x.shape[2]))


MIN_CHUNK = 16  # shortest stretch of steps run as one call


def _run(rnn, x, lengths):
    """Run ``rnn`` over a padded batch whose valid steps come first in each row,
    returning outputs of shape (B, L, H) (padding positions hold garbage or
    zeros; callers mask them).

    On the CPU the time axis is cut where a quarter of the still-running
    sequences have ended, and each stretch runs only the sequences still running,
    starting from the hidden state the previous stretch ended with. That is
    exactly the full computation for every valid step, but a batch's long
    tail no longer drags the finished rows along (a recurrent step costs a
    fixed overhead plus a part proportional to the rows). On a GPU the fused
    kernel over the whole batch is used as is.
    """
    B, L = x.shape[0], x.shape[1]
    lens = lengths.numpy() if x.device.type == "cpu" else None
    if lens is None or B == 1 or not lens.any():
        return layer_forward(rnn, x, None)[0]
    order = None
    if np.any(lens[1:] > lens[:-1]):  # rows must run longest first
        order = np.argsort(-lens, kind="stable")
        x, lens = x[torch.from_numpy(order)], lens[order]
    chunks, state, t0 = [], None, 0
    n = int(np.count_nonzero(lens > 0))
    while t0 < L and n > 0:
        t1 = L if n == 1 else min(L, max(int(lens[3 * n // 4]), t0 + MIN_CHUNK))
        if state is not None:
            state = tuple(s[:, :n].contiguous() for s in state)
            state = state[0] if len(state) == 1 else state
        out, state = layer_forward(rnn, x[:n, t0:t1], state)
        state = state if isinstance(state, tuple) else (state,)
        chunks.append(nn.functional.pad(out, (0, 0, 0, 0, 0, B - n)))
        t0, n = t1, int(np.count_nonzero(lens > t1))
    if t0 < L:  # steps past every sequence's end
        chunks.append(chunks[0].new_zeros((B, L - t0, chunks[0].shape[2])))
    out = torch.cat(chunks, dim=1)
    if order is not None:
        out = out[torch.from_numpy(np.argsort(order))]
    return out


class SequenceNet(nn.Module):
    """Embedding (optional) -> recurrent layers -> masked pooling -> linear head.

    Inputs are padded batches read at each sequence's true length: the forward
    direction runs the fused kernel over the padded batch and is read at step
    ``length - 1``; the backward direction of a bidirectional layer runs over
    each sequence's valid part reversed, so it starts at the true end.
    Zero-length sequences pool to zeros, so their output is the head's bias.
    """

    def __init__(
        self,
        *,
        cell,
        input_size,
        hidden_size,
        num_layers,
        bidirectional,
        dropout,
        pooling,
        n_outputs,
        nonlinearity="tanh",
        vocab_size=None,
        freeze_embedding=False,
        table=None,
    ):
        super().__init__()
        # everything needed to rebuild the same structure (the weights live in the state dict)
        self.init_kwargs = {k: v for k, v in locals().items() if k not in ("self", "__class__")}
        self.init_kwargs["table"] = None
        self.pooling = pooling
        self.bidirectional = bidirectional
        self.register_buffer("frozen_table", None)
        self.embedding = None
        f32 = {"dtype": torch.float32}  # whatever torch's default dtype
        if vocab_size is not None:  # token ids: a frozen table or a trained embedding
            if table is None:
                weight = torch.zeros(vocab_size, input_size, **f32)
            else:  # a table may come in parts (SequenceArray._table_parts): one copy joins them
                parts = table if isinstance(table, list) else [table]
                weight = torch.cat([tensor_view(np.asarray(p, dtype=np.float32)) for p in parts])
            if freeze_embedding:
                self.register_buffer("frozen_table", weight)
            else:
                self.embedding = nn.Embedding(vocab_size, input_size, **f32)
                if table is not None:
                    self.embedding.weight.data.copy_(weight)
        kw = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        kw.update(f32)
        rnn = CELLS[cell]
        if bidirectional:
            sizes = [input_size] + [2 * hidden_size] * (num_layers - 1)
            self.fwd = nn.ModuleList(rnn(s, hidden_size, batch_first=True, **kw) for s in sizes)
            self.bwd = nn.ModuleList(rnn(s, hidden_size, batch_first=True, **kw) for s in sizes)
        else:
            self.rnn = rnn(
                input_size,
                hidden_size,
                num_layers,
                batch_first=True,
                dropout=dropout if num_layers > 1 else 0.0,
                **kw,
            )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size * (2 if bidirectional else 1), n_outputs, **f32)

    @property
    def lookup_table(self):
        if self.frozen_table is not None:
            return self.frozen_table
        return None if self.embedding is None else self.embedding.weight

    def float64_copy(self):
        """A float64 copy in eval mode for prediction, on the same device. The lookup
        table (often most of the weights) is shared in float32, not copied."""
        frozen, embedding = self.frozen_table, self.embedding
        self.frozen_table, self.embedding = None, None
        try:
            clone = copy.deepcopy(self).double().eval()
        finally:
            self.frozen_table, self.embedding = frozen, embedding
        clone.frozen_table, clone.embedding = frozen, embedding
        return clone

    def forward(self, x, lengths, extra_vectors=None):
        """x: (B, L) ids or (B, L, D) floats; lengths: (B,) on x's device."""
        table = self.lookup_table
        if table is not None:
            if extra_vectors is None:
                x = nn.functional.embedding(x, table)
            else:  # rows beyond the fitted vocabulary (e.g. FastText OOV), looked up apart:
                # appending them to the table would copy the whole table every batch
                n = table.shape[0]
                beyond = (x >= n).unsqueeze(-1)
                x = torch.where(
                    beyond,
                    nn.functional.embedding((x - n).clamp_(min=0), extra_vectors).to(table.dtype),
                    nn.functional.embedding(x.clamp(max=n - 1), table),
                )
            x = x.to(self.head.weight.dtype)
        if self.bidirectional:
            h = x
            for i, (f, b) in enumerate(zip(self.fwd, self.bwd, strict=True)):
                if i:
                    h = self.dropout(h)
                out_f = _run(f, h, lengths)
                out_b = _run(b, _reverse_valid(h, lengths), lengths)
                h = torch.cat([out_f, _reverse_valid(out_b, lengths)], dim=2)
            out = h
        else:
            out = _run(self.rnn, x, lengths)
        return self.head(self.dropout(self._pool(out, lengths)))

    def _pool(self, out, lengths):
        B, L, _ = out.shape
        nonempty = (lengths > 0)[:, None]
        if self.pooling == "last":
            rows = torch.arange(B, device=out.device)
            last = out[rows, (lengths - 1).clamp(min=0)]
            if self.bidirectional:  # backward direction ends at step 0
                H = out.shape[2] // 2
                last = torch.cat([last[:, :H], out[:, 0, H:]], dim=1)
            return last * nonempty
        mask = (torch.arange(L, device=out.device)[None, :] < lengths[:, None])[:, :, None]
        if self.pooling == "mean":
            total = (out * mask).sum(1)
            return total / lengths.clamp(min=1)[:, None].to(out.dtype)
        pooled = out.masked_fill(~mask, float("-inf")).amax(1)
        return torch.where(nonempty, pooled, torch.zeros_like(pooled))
