"""Rate-coded populations fed with images: from a file (ImagePopulation) or a camera
(VideoPopulation). One neuron per pixel (per colour channel for RGB), values in [0, 1]."""

import os
import warnings

import numpy as np

from ..errors import NetworkError
from ..inputs.rates import InputArray

__all__ = ["ImagePopulation", "VideoPopulation"]

# weights of red, green and blue in a grey level (ITU-R 601-2, as Pillow's "L" mode)
_LUMA = np.array([0.299, 0.587, 0.114])


class ImagePopulation(InputArray):
    """One neuron per pixel; ``set_image`` puts an image file into ``r``.

    The geometry is (height, width) for grey-scale images, (height, width, 3) for RGB
    ones ((height, width, 1) is grey-scale too). Images of another size are resized.
    Files are read with Pillow, or matplotlib when Pillow is not installed.
    """

    def __init__(self, geometry, name=None, copied=False):
        super().__init__(_image_geometry(type(self).__name__, geometry), name=name)

    def set_image(self, image_name):
        """Set ``r`` to the pixels of the image file (png, jpg, ...), scaled to [0, 1]."""
        owner = f"{type(self).__name__} '{self.name}'"
        if not os.path.isfile(image_name):
            raise NetworkError(f"{owner}: the image file '{image_name}' does not exist; give "
                               "the path of an image file (png, jpg, ...)")
        height, width = self.geometry[:2]
        try:
            from PIL import Image
        except ImportError:
            self.r = _read_with_matplotlib(owner, image_name, height, width, self.dimension == 3)
            return
        try:
            with Image.open(image_name) as image:
                if image.size != (width, height):
                    _warn_resized(owner, image_name, image.size, (width, height))
                    image = image.resize((width, height))
                pixels = np.asarray(image.convert("RGB" if self.dimension == 3 else "L"))
        except OSError as error:
            raise NetworkError(f"{owner}: Pillow cannot read '{image_name}' ({error}); give "
                               "an image file (png, jpg, ...)") from None
        self.r = pixels / 255.0


class VideoPopulation(ImagePopulation):
    """One neuron per pixel of the frames of a camera, read with OpenCV (``cv2``).

    ``start_camera`` opens the camera, each ``grab_image`` puts one frame into ``r``
    (resized, grey-scale or RGB as for ImagePopulation), ``release`` closes it.
    ``opencv_version`` is kept for compatibility: the installed ``cv2`` module is used.
    """

    def __init__(self, geometry, opencv_version="4", name=None, copied=False):
        _opencv(type(self).__name__)
        super().__init__(geometry, name=name)
        self.opencv_version = opencv_version
        self._camera = None

    def start_camera(self, camera_port=0):
        """Open the camera of that index (on Linux, /dev/video<camera_port>)."""
        owner = f"VideoPopulation '{self.name}'"
        camera = _opencv(owner).VideoCapture(camera_port)
        if not camera.isOpened():
            camera.release()
            raise NetworkError(f"{owner}: cannot open the camera {camera_port}; check that it "
                               "is connected and not used by another program")
        self.release()
        self._camera = camera

    def grab_image(self):
        """Read one frame of the camera into ``r``."""
        owner = f"VideoPopulation '{self.name}'"
        if self._camera is None:
            raise NetworkError(f"{owner}: no camera is open; call start_camera() first")
        cv2 = _opencv(owner)
        found, frame = self._camera.read()
        if not found or frame is None:
            raise NetworkError(f"{owner}: the camera gave no frame; check that it is still "
                               "connected, or call start_camera() again")
        height, width = self.geometry[:2]
        frame = cv2.resize(frame, (width, height))
        colour = cv2.COLOR_BGR2RGB if self.dimension == 3 else cv2.COLOR_BGR2GRAY
        self.r = cv2.cvtColor(frame, colour) / 255.0

    def release(self):
        """Close the camera (nothing to do when none is open)."""
        if self._camera is not None:
            self._camera.release()
            self._camera = None


def _image_geometry(owner, geometry):
    shape = (geometry,) if np.ndim(geometry) == 0 else tuple(geometry)
    if len(shape) == 3 and shape[2] == 1:
        shape = shape[:2]
    if len(shape) not in (2, 3) or (len(shape) == 3 and shape[2] != 3):
        raise NetworkError(f"{owner}: the geometry {geometry} is not an image's; give (height, "
                           "width) for grey-scale images or (height, width, 3) for RGB ones")
    return shape


def _warn_resized(owner, image_name, size, wanted):
    warnings.warn(f"{owner}: the image '{image_name}' is {size[0]}x{size[1]} pixels; it is "
                  f"resized to {wanted[0]}x{wanted[1]}", stacklevel=3)


def _read_with_matplotlib(owner, image_name, height, width, colour):
    """Pixels in [0, 1] read by matplotlib, resized to the nearest pixels."""
    try:
        from matplotlib import image
    except ImportError:
        raise NetworkError(f"{owner}: reading images needs Pillow; install it with "
                           "'pip install Pillow'") from None
    pixels = np.asarray(image.imread(image_name))
    if pixels.dtype == np.uint8:
        pixels = pixels / 255.0
    if pixels.ndim == 2:
        pixels = pixels[..., None].repeat(3, axis=2)
    pixels = pixels[..., :3]                          # without the alpha channel
    if pixels.shape[:2] != (height, width):
        _warn_resized(owner, image_name, pixels.shape[1::-1], (width, height))
        rows = (np.arange(height) + 0.5) * pixels.shape[0] // height
        columns = (np.arange(width) + 0.5) * pixels.shape[1] // width
        pixels = pixels[rows.astype(int)][:, columns.astype(int)]
    return pixels if colour else pixels @ _LUMA


def _opencv(owner):
    """The cv2 module, or an error saying how to install it."""
    try:
        import cv2
    except ImportError:
        raise NetworkError(f"{owner}: VideoPopulation needs OpenCV for Python; install it with "
                           "'pip install opencv-python'") from None
    return cv2
