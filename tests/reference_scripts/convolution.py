"""Differential script: Convolution, Pooling and Transpose (extensions.convolution).

Filters (odd and even sizes, sub-sampling, zero and border padding, banks on 2D and 3D
populations, keep_last_dimension, a delay), poolings (max, min, mean, partial blocks), a
transposed projection and a convolution between spiking populations reading ``pre.mask``.
The reference's quirks are avoided (see docs/ARCHITECTURE.md): no non-zero constant padding,
max/min convolutions on positive products, pooling max of non-negative values.

Run as ``python convolution.py <module> <results.json>`` in an empty directory.
"""

import importlib
import sys

import numpy as np

from _refcommon import ann, rec, finish

conv = importlib.import_module(sys.argv[1] + ".extensions.convolution")
ann.setup(dt=1.0)
rng = np.random.default_rng(11)
INPUT = ann.Neuron(parameters="r = 0.0")
OUTPUT = ann.Neuron(equations="r = sum(exc)")

image = ann.Population((9, 8), INPUT, name="image")
cube = ann.Population((6, 6, 3), INPUT, name="cube")
x_image = rng.uniform(-1.0, 1.0, size=(9, 8))
x_cube = rng.uniform(0.0, 1.0, size=(6, 6, 3))

targets = {}


def convolution(name, pre, geometry, weights, method="connect_filter", operation="sum",
                **kwargs):
    post = ann.Population(geometry, OUTPUT, name=name)
    proj = conv.Convolution(pre, post, "exc", operation=operation)
    getattr(proj, method)(weights, **kwargs)
    targets[name] = post


convolution("c3", image, (9, 8), rng.normal(size=(3, 3)))
convolution("c4x2", image, (9, 8), rng.normal(size=(4, 2)), padding="border")
convolution("c_stride", image, (3, 4), rng.normal(size=(3, 3)))
convolution("c_border_stride", image, (3, 2), rng.normal(size=(5, 3)), padding="border")
convolution("c_delay", image, (9, 8), rng.normal(size=(3, 3)), delays=2.0)
convolution("c_max", cube, (6, 6, 3), rng.uniform(0.1, 1.0, size=(3, 3)), operation="max",
            keep_last_dimension=True)
convolution("c_mean", image, (9, 8), rng.normal(size=(3, 3)), operation="mean")
convolution("c_whole_last", cube, (6, 6), rng.normal(size=(3, 3, 3)))
convolution("bank2d", image, (9, 8, 4), rng.normal(size=(4, 3, 3)), method="connect_filters")
convolution("bank3d", cube, (3, 3, 2), rng.normal(size=(2, 3, 3, 3)), method="connect_filters",
            padding="border")
convolution("c_subsampled", image, (3, 1), rng.normal(size=(3, 3)),
            subsampling=[[0, 0], [4, 4], [8, 7]])

positive = ann.Population((7, 6), INPUT, name="positive")
x_positive = rng.uniform(0.0, 1.0, size=(7, 6))
for name, operation, extent, geometry in (("p_max", "max", (2, 2), (4, 3)),
                                          ("p_min", "min", (1, 3), (7, 2)),
                                          ("p_mean", "mean", (2, 3), (3, 2)),
                                          ("p_rows", "max", (1, 6), (7,))):
    post = ann.Population(geometry, OUTPUT, name=name)
    conv.Pooling(positive, post, "exc", operation=operation).connect_pooling(extent=extent)
    targets[name] = post
implicit = ann.Population((3, 3, 3), OUTPUT, name="p_implicit")
conv.Pooling(cube, implicit, "exc", operation="mean").connect_pooling()
targets["p_implicit"] = implicit

# a transposed projection: the sums flow back from b to a
a = ann.Population(5, ann.Neuron(parameters="base = 0.0", equations="r = base + 0.0 * sum(fb)"),
                   name="a")
b = ann.Population(4, OUTPUT, name="b")
forward = ann.Projection(a, b, "exc")
forward.connect_from_matrix(rng.normal(size=(4, 5)))
conv.Transpose(forward, "fb").connect()

# spiking populations: the mask of the pre neurons, convolved into g_exc
IAF = ann.Neuron(parameters="vt = 1.0 : population\nmask_tau = 20.0 : population\nI = 0.0",
                 equations="dv/dt = I + g_exc : init = 0.0\ndmask/dt = -mask / mask_tau",
                 spike="v > vt", reset="v = 0.0\nmask += 1.0 / mask_tau")
spiking_in = ann.Population((5, 5), IAF, name="spiking_in")
spiking_out = ann.Population((5, 5, 2), IAF, name="spiking_out")
conv.Convolution(spiking_in, spiking_out, "exc", psp="pre.mask * w").connect_filters(
    rng.uniform(0.0, 0.5, size=(2, 3, 3)))
spikes = ann.Monitor(spiking_out, "spike")

ann.compile(compiler_flags="-O0")
image.r, cube.r, positive.r = x_image, x_cube, x_positive
a.base = rng.uniform(0.0, 1.0, size=5)
spiking_in.I = rng.uniform(0.05, 0.3, size=(5, 5))
ann.simulate(3)
image.r = -x_image               # the delayed convolution still sees the first image
ann.simulate(1)
for name, post in targets.items():
    rec(f"conv.{name}", lambda post=post: np.asarray(post.r))
rec("transpose.sum", lambda: np.asarray(a.sum("fb")))
rec("transpose.b", lambda: np.asarray(b.r))
ann.simulate(60)
rec("spiking.v", lambda: np.asarray(spiking_out.v))
rec("spiking.counts", lambda: {str(k): len(v) for k, v in spikes.get("spike").items()})
finish()
