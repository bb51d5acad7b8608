"""A Jupyter server and a headless Chromium for the browser suite, with timeouts everywhere.

The server runs in isolated Jupyter folders (config, data, runtime, IPython) under a
temporary home, so a developer's settings and installed extensions never leak in. The
data folder holds a copy of the committed build of annbook's labextension, which
therefore is the one JupyterLab loads, whatever the environment has installed.
"""

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "INSTALL_HINT", "LABEXTENSION", "JupyterServer",
           "missing_requirements"]

ROOT = Path(__file__).resolve().parents[2]
LABEXTENSION = ROOT / "annbook" / "labextension"
CHROMIUM = os.environ.get("ANNBOOK_CHROMIUM", "/usr/bin/chromium")
# No sandbox (containers run as root), no GPU, and nothing that phones home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = "bash tests/browser/install.sh (apt-get install chromium; pip install '.[test,browser]')"

_APPS = {"lab": "jupyterlab", "notebook": "notebook"}
_EXPOSE_APP = {"lab": "--LabApp.expose_app_in_browser=True",
               "notebook": "--JupyterNotebookApp.expose_app_in_browser=True"}
# User settings of the test server: no news or update checks popping over the notebook.
_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def missing_requirements(app="lab"):
    """What the suite cannot run without, as short sentences (empty when all is there)."""
    missing = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"no Chromium at {CHROMIUM}")
    for module in ("playwright", _APPS[app]):
        if importlib.util.find_spec(module) is None:
            missing.append(f"the Python package '{module}' is not installed")
    if not (LABEXTENSION / "package.json").is_file():
        missing.append(f"no built labextension in {LABEXTENSION} (run extension/build.sh)")
    return missing


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_home(home):
    """Jupyter's folders for one server; returns the environment variables naming them."""
    folders = {name: home / name for name in ("config", "data", "runtime", "ipython")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for name, settings in _USER_SETTINGS.items():
        path = folders["config"] / "lab" / "user-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    package = json.loads((LABEXTENSION / "package.json").read_text())
    target = folders["data"] / "labextensions" / package["name"]
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(LABEXTENSION, target)
    return {"JUPYTER_CONFIG_DIR": str(folders["config"]),
            "JUPYTER_DATA_DIR": str(folders["data"]),
            "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
            "IPYTHONDIR": str(folders["ipython"])}


class JupyterServer:
    """JupyterLab (``app="lab"``) or Notebook 7 (``app="notebook"``) on a free local port.

    Parameters
    ----------
    app : {"lab", "notebook"}
    root : Path
        Folder served (the notebooks the tests open).
    home : Path
        Empty folder for Jupyter's config, data and runtime files.
    log : Path
        Where the server's output goes (kept as a test artifact).
    """

    def __init__(self, app, root, home, log):
        self.app, self.root, self.log_path = app, Path(root), Path(log)
        self.port = _free_port()
        self.token = os.urandom(12).hex()
        self.environment = dict(os.environ, **_prepare_home(Path(home)))
        self.environment["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path=""):
        """Address of ``path`` (e.g. ``lab/tree/x.ipynb``) with the token."""
        return f"{self.base_url}{path}?token={self.token}"

    def start(self, timeout=90.0):
        """Starts the server and waits until its REST API answers."""
        command = [sys.executable, "-m", _APPS[self.app], "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", "--ServerApp.allow_root=True",
                   _EXPOSE_APP[self.app]]
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        env=self.environment, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self.stop()
                raise RuntimeError(f"the {self.app} server exited with {code}:\n"
                                   f"{self.log_tail()}")
            if self._answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the {self.app} server did not answer within {timeout:.0f} s:\n"
                           f"{self.log_tail()}")

    def _request(self, path, method="GET", timeout=5.0):
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def _answers(self):
        try:
            self._request("api/status", timeout=2.0)
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def log_tail(self, lines=40):
        """The last lines the server wrote."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def kernels(self):
        """The server's kernels (``id``, ``name``, ``execution_state``, ...)."""
        return self._request("api/kernels") or []

    def shutdown_kernels(self):
        """Shuts every kernel of the server down (a test's kernel, a playing live control)."""
        try:
            for kernel in self.kernels():
                self._request(f"api/kernels/{kernel['id']}", method="DELETE", timeout=10.0)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
            pass

    def stop(self, timeout=20.0):
        """Shuts the kernels down, then the server; kills whatever is left."""
        if self.process is None:
            return
        children = _children(self.process.pid)
        if self.process.poll() is None:
            self.shutdown_kernels()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        _kill(children)
        self._log.close()
        self.process = None


def _children(pid):
    """The server's descendants (kernels live in their own sessions), if psutil is there."""
    try:
        import psutil
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _kill(processes):
    """Kills those of ``processes`` (psutil processes) still alive."""
    if not processes:
        return
    import psutil
    for process in processes:
        try:
            process.kill()
        except psutil.Error:           # already gone
            pass
