"""The torch module behind every sequence estimator."""

import copy

import torch
from torch import nn

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def _reverse_valid(x, lengths):
    """Reverse the first ``lengths[b]`` steps of each row of ``x`` (B, L, D) in place
    order, leaving the padding where it is. Applying it twice is the identity."""
    L = x.shape[1]
    t = torch.arange(L, device=x.device)
    rev = lengths[:, None] - 1 - t[None, :]
    idx = torch.where(rev >= 0, rev, t[None, :])
    return x.gather(1, idx[:, :, None].expand(-1, -1, x.shape[2]))


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
        if vocab_size is not None:  # token ids: a frozen table or a trained embedding
            weight = (
                torch.zeros(vocab_size, input_size)
                if table is None
                else torch.as_tensor(table, dtype=torch.float32).clone()
            )
            if freeze_embedding:
                self.register_buffer("frozen_table", weight)
            else:
                self.embedding = nn.Embedding(vocab_size, input_size)
                if table is not None:
                    self.embedding.weight.data.copy_(weight)
        kw = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
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
        self.head = nn.Linear(hidden_size * (2 if bidirectional else 1), n_outputs)

    @property
    def lookup_table(self):
        if self.frozen_table is not None:
            return self.frozen_table
        return None if self.embedding is None else self.embedding.weight

    def float64_copy(self):
        """A float64 copy in eval mode for prediction on the CPU. The lookup
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
            if extra_vectors is not None:  # rows beyond the fitted vocabulary (e.g. FastText OOV)
                table = torch.cat([table, extra_vectors])
            x = nn.functional.embedding(x, table).to(self.head.weight.dtype)
        if self.bidirectional:
            h = x
            for i, (f, b) in enumerate(zip(self.fwd, self.bwd, strict=True)):
                if i:
                    h = self.dropout(h)
                out_f, _ = f(h)
                out_b, _ = b(_reverse_valid(h, lengths))
                h = torch.cat([out_f, _reverse_valid(out_b, lengths)], dim=2)
            out = h
        else:
            out, _ = self.rnn(x)
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
