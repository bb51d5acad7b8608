"""Writes the Keras files that tests/test_ann_to_snn.py reads (run by hand; needs Keras 3).

    KERAS_BACKEND=torch python tests/data/make_keras_fixtures.py

They were written by Keras 3.13.0 (torch backend, CPU): a functional convolutional network
saved as .keras and as legacy .h5, a Sequential dense network as .keras, and in
``keras_expected.npz`` the weights Keras reports, a few inputs and Keras' outputs for them.
"""

import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(6, 6, 2))
x = keras.layers.Conv2D(3, (3, 3), padding="same", use_bias=False, activation="relu")(inputs)
x = keras.layers.Conv2D(2, (2, 2), strides=(2, 2), padding="valid", use_bias=False,
                        activation="relu")(x)
x = keras.layers.MaxPooling2D((2, 2))(x)
x = keras.layers.Dropout(0.1)(x)
x = keras.layers.Flatten()(x)
x = keras.layers.Dense(5, use_bias=False, activation="relu")(x)
outputs = keras.layers.Dense(3, use_bias=False, activation="softmax")(x)
functional = keras.Model(inputs, outputs)
functional.save(os.path.join(HERE, "keras_functional.keras"))
functional.save(os.path.join(HERE, "keras_functional.h5"))
sequential = keras.Sequential([keras.Input(shape=(4,)),
                               keras.layers.Dense(3, use_bias=False, activation="relu"),
                               keras.layers.Dense(2, use_bias=False)])
sequential.save(os.path.join(HERE, "keras_sequential.keras"))
samples = np.random.default_rng(0).uniform(size=(4, 6, 6, 2)).astype("float32")
arrays = {f"functional_{i}": w for i, w in enumerate(functional.get_weights())}
arrays.update({f"sequential_{i}": w for i, w in enumerate(sequential.get_weights())})
np.savez(os.path.join(HERE, "keras_expected.npz"), samples=samples,
         outputs=functional.predict(samples, verbose=0), **arrays)
