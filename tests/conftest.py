import os

import torch

# one torch thread per pytest-xdist worker: the workers already fill the cores
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)
