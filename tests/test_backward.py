"""The hand-written CPU backward pass of GRU and plain RNN layers equals autograd's."""

import numpy as np
import pytest
import torch
from torch import nn

from sklearn_seq.rnn import _backward
from sklearn_seq.rnn._module import SequenceNet

CELLS = {
    "gru": (nn.GRU, {}),
    "rnn_tanh": (nn.RNN, {}),
    "rnn_relu": (nn.RNN, {"nonlinearity": "relu"}),
}


def _layers(cell, num_layers):
    module, kw = CELLS[cell]
    dropout = 0.5 if num_layers > 1 else 0.0
    return module(5, 7, num_layers, batch_first=True, dropout=dropout, **kw)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("x_needs_grad", [True, False])
@pytest.mark.parametrize("num_layers", [1, 3])
def test_layer_gradients_equal_autograd(cell, x_needs_grad, num_layers):
    torch.manual_seed(0)
    rnn = _layers(cell, num_layers).double().eval()  # eval: no dropout, the same function
    x = torch.randn(4, 13, 5, dtype=torch.float64, requires_grad=x_needs_grad)
    h0 = torch.randn(num_layers, 4, 7, dtype=torch.float64, requires_grad=True)
    w_out, w_last = torch.randn(4, 13, 7, dtype=torch.float64), torch.randn(4, 7).double()
    inputs = [h0, *rnn.parameters()] + ([x] if x_needs_grad else [])
    results = []
    for forward in (rnn, _backward.layer_forward):
        out, hn = forward(rnn, x, h0) if forward is _backward.layer_forward else forward(x, h0)
        loss = (out * w_out).sum() + (hn[0] * w_last).sum()
        results.append([out, hn, *torch.autograd.grad(loss, inputs)])
    assert results[1][0].grad_fn.name().startswith(("_GRULayer", "_RNNLayer"))
    for ours, reference in zip(results[1], results[0], strict=True):
        np.testing.assert_allclose(ours.detach(), reference.detach(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cell", ["gru", "rnn"])
@pytest.mark.parametrize("pooling", ["last", "mean"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_network_gradients_on_a_ragged_batch_equal_autograd(
    cell, pooling, bidirectional, monkeypatch
):
    """Through the whole network: the batch is cut into stretches of still
    running sequences, each stretch starts from the state the last one ended with."""
    torch.manual_seed(0)
    net = SequenceNet(
        cell=cell,
        input_size=3,
        hidden_size=6,
        num_layers=2,
        bidirectional=bidirectional,
        dropout=0.0,
        pooling=pooling,
        n_outputs=2,
    ).double()
    lengths = torch.tensor([70, 64, 41, 40, 17, 3, 1, 0])
    x = torch.randn(len(lengths), 70, 3, dtype=torch.float64)

    def gradients():
        net.zero_grad()
        net(x, lengths).square().sum().backward()
        return [p.grad.clone() for p in net.parameters()]

    ours = gradients()
    monkeypatch.setattr(_backward, "MAX_WORK", 0)  # autograd through torch's own layers
    reference = gradients()
    for a, b in zip(ours, reference, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("cell", CELLS)
def test_dropout_between_stacked_layers_in_training(cell):
    rnn = _layers(cell, 2)
    x = torch.randn(4, 13, 5)

    def output(seed):
        torch.manual_seed(seed)
        out, _ = _backward.layer_forward(rnn, x, None)
        assert _hand_written(out)
        return out.detach()

    dropped = output(0)
    np.testing.assert_array_equal(dropped, output(0))
    assert not torch.allclose(dropped, output(1))
    with torch.no_grad():
        no_dropout = rnn.eval()(x)[0]
    assert not torch.allclose(dropped, no_dropout)


def _hand_written(out):
    return out.grad_fn.name() in ("_GRULayerBackward", "_RNNLayerBackward")


def test_torch_layers_run_where_they_are_faster_or_no_gradient_is_needed():
    x = torch.randn(3, 5, 4)
    gru = nn.GRU(4, 2, batch_first=True)
    assert _hand_written(_backward.layer_forward(gru, x, None)[0])
    # LSTM (oneDNN's fused kernel), more rows x hidden size than MAX_WORK: torch's own
    assert not _hand_written(_backward.layer_forward(nn.LSTM(4, 2, batch_first=True), x, None)[0])
    wide = torch.randn(_backward.MAX_WORK // 2 + 1, 5, 4)
    assert not _hand_written(_backward.layer_forward(gru, wide, None)[0])
    with torch.no_grad():
        out, hn = _backward.layer_forward(gru, x, None)
    np.testing.assert_array_equal(out, gru(x)[0].detach())
