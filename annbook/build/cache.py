"""The build cache: one compiled module per network structure, keyed by a hash.

The key covers everything that reaches the compiler: the structure's
description, annbook's own code generator sources, the Cython, numpy and
Python versions, the C compiler and its flags, what ``-march=native`` means on
this CPU (a cache shared by several machines never loads a binary built for
another CPU's instructions), and a schema version. Builds
are written under a temporary name and renamed atomically; a file lock keeps
two processes from building the same key at once (the second one waits and
then loads the first one's result).
"""

import contextlib
import fcntl
import hashlib
import importlib.machinery
import importlib.util
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time

from ..errors import CompilationError

__all__ = ["load_or_build", "load_cached", "binary_path", "install_binary", "build_count",
           "build_key", "clear_cache", "compiler_flags"]

logger = logging.getLogger(__name__)

SCHEMA = 1
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME_DIR = os.path.join(_PACKAGE, "runtime")
_loaded = {}
_environment = None
_native = None
_builds = 0


def _compiler():
    return os.environ.get("CC") or sysconfig.get_config_var("CC").split()[0] or "gcc"


def compiler_flags(portable=False, flags=None):
    """Optimisation flags: ``flags`` if given, else ``ANNBOOK_CFLAGS``, else annbook's own."""
    if flags:
        return list(flags)
    if os.environ.get("ANNBOOK_CFLAGS"):
        return os.environ["ANNBOOK_CFLAGS"].split()
    flags = ["-O3", "-fno-math-errno", "-fno-trapping-math"]
    if not portable and not os.environ.get("ANNBOOK_PORTABLE"):
        flags.append("-march=native")
    return flags


def _source_digest():
    """Hash of annbook's code generation sources: a change there is a new key."""
    digest = hashlib.sha256()
    for folder in ("parser", "codegen", "runtime", "build"):
        root = os.path.join(_PACKAGE, folder)
        for dirpath, _, files in sorted(os.walk(root)):
            for name in sorted(files):
                if name.endswith((".py", ".pyx", ".h")):
                    with open(os.path.join(dirpath, name), "rb") as handle:
                        digest.update(name.encode() + handle.read())
    return digest.hexdigest()


def _environment_key():
    """What the build depends on besides the structure (computed once per process)."""
    global _environment
    if _environment is None:
        from importlib.metadata import version
        import numpy
        cc = _compiler()
        path = shutil.which(cc)
        try:
            cc_version = subprocess.run([cc, "-dumpfullversion", "-dumpversion"],
                                        capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            cc_version = "missing"
        _environment = "|".join([
            f"schema={SCHEMA}", _source_digest(), f"cython={version('Cython')}",
            f"numpy={numpy.__version__}", f"python={sys.version}",
            f"abi={sysconfig.get_config_var('EXT_SUFFIX')}", f"cc={path}:{cc_version}"])
    return _environment


def _native_target():
    """What ``-march=native`` selects here: the compiler's list of target options it enables
    (computed once per process)."""
    global _native
    if _native is None:
        try:
            _native = subprocess.run([_compiler(), "-march=native", "-Q", "--help=target"],
                                     capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            _native = "unknown"
    return _native


def build_key(structure, portable=False, flags=None):
    """Hash of a structure description (a string) and of the build environment."""
    used = compiler_flags(portable, flags)
    parts = [structure, _environment_key(), " ".join(used)]
    if "-march=native" in used:
        parts.append(_native_target())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _module_name(key):
    return f"annbook_net_{key}"


def binary_path(key, directory):
    """Where the compiled module of ``key`` lives in a cache folder."""
    return os.path.join(directory, _module_name(key) + sysconfig.get_config_var("EXT_SUFFIX"))


def build_count():
    """How many modules this process has built (workers that only load report 0)."""
    return _builds


def _import(path, name):
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@contextlib.contextmanager
def _locked(path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_or_build(key, directory, make_source, portable=False, clean=False, flags=None,
                  openmp=False):
    """The module for ``key``: from memory, from the cache folder, or built now.

    ``make_source()`` returns the Cython source; it is only called on a miss; ``openmp``
    builds it with OpenMP (a threaded module; the key must say so). Returns (module,
    built) where ``built`` tells whether a build happened.
    """
    name = _module_name(key)
    if key in _loaded and not clean:
        return _loaded[key], False
    os.makedirs(directory, exist_ok=True)
    target = binary_path(key, directory)
    built = False
    with _locked(os.path.join(directory, name + ".lock")):
        if clean or not os.path.exists(target):
            _build(name, directory, target, make_source(), portable, flags, openmp)
            built = True
    if clean and name in sys.modules:
        del sys.modules[name]
    module = _import(target, name)
    _loaded[key] = module
    return module, built


def load_cached(key, directories):
    """The module for ``key`` from memory or from the first folder that holds it.

    Never builds: a network unpickled in another process (a parallel worker)
    uses the binary its structure was compiled to.
    """
    if key in _loaded:
        return _loaded[key]
    for directory in directories:
        target = binary_path(key, directory)
        if os.path.exists(target):
            module = _import(target, _module_name(key))
            _loaded[key] = module
            return module
    raise CompilationError(
        f"the compiled module of this network ({_module_name(key)}) is in none of the folders "
        f"{list(directories)}: compile the network in this process, or pass the binary along "
        "(parallel_run does so for joblib backends that may not share files)")


def install_binary(key, data, directory):
    """Write a module's bytes (from ``binary_path`` on another machine) into a cache folder."""
    target = binary_path(key, directory)
    if os.path.exists(target):
        return target
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=_module_name(key) + ".", dir=directory)
    with os.fdopen(handle, "wb") as output:
        output.write(data)
    os.chmod(temporary, 0o755)
    os.replace(temporary, target)
    return target


def _first_error(text, pattern):
    """The first line of a compiler's output that matches ``pattern`` (else the first line)."""
    for line in text.splitlines():
        if re.search(pattern, line):
            return line.strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def _build(name, directory, target, source, portable, flags=None, openmp=False):
    global _builds
    cc = _compiler()
    if shutil.which(cc) is None:
        raise CompilationError(f"no C compiler found ('{cc}'): install gcc (for example "
                               "'apt-get install gcc' or 'conda install gcc') or set CC")
    _builds += 1
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix=name + ".", dir=directory)
    pyx = os.path.join(workdir, name + ".pyx")
    with open(pyx, "w") as handle:
        handle.write(source)
    try:
        c_file = _cythonize(pyx)
        cythonized = time.perf_counter()
        _compile_c(c_file, os.path.join(workdir, os.path.basename(target)), portable, flags,
                   openmp)
    except CompilationError as error:
        kept = os.path.join(directory, name + ".failed" + os.path.splitext(error.source)[1])
        os.replace(error.source, kept)
        shutil.rmtree(workdir, ignore_errors=True)
        first = error.first_error.replace(error.source, kept) if error.first_error else None
        raise CompilationError(error.message, kept, first) from None
    os.replace(os.path.join(workdir, os.path.basename(target)), target)
    os.replace(pyx, os.path.join(directory, name + ".pyx"))
    shutil.rmtree(workdir, ignore_errors=True)
    logger.info("built %s: cython %.2f s, C compiler %.2f s", name,
                cythonized - started, time.perf_counter() - cythonized)


def _cythonize(pyx):
    from Cython.Compiler import Main, Errors
    options = Main.CompilationOptions(Main.default_options)
    options.include_path = [RUNTIME_DIR]
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured), contextlib.redirect_stdout(captured):
            result = Main.compile(pyx, options)
        failed = result.num_errors > 0
    except Errors.CompileError as error:
        failed, captured = True, io.StringIO(str(error))
    if failed:
        raise CompilationError("Cython could not translate the generated code (a bug in annbook: "
                               "please report it with the generated file)",
                               source=pyx, first_error=_first_error(captured.getvalue(),
                                                                    r"\.pyx:\d+:\d+:"))
    return pyx[:-4] + ".c"


def _compile_c(c_file, output, portable=False, flags=None, openmp=False):
    import numpy
    cc = _compiler()
    random_lib = os.path.join(os.path.dirname(numpy.__file__), "random", "lib")
    command = [cc, "-shared", "-fPIC", *compiler_flags(portable, flags),
               *(["-fopenmp"] if openmp else []),
               "-I", sysconfig.get_paths()["include"], "-I", numpy.get_include(),
               "-I", RUNTIME_DIR, c_file, "-o", output,
               "-L", random_lib, "-lnpyrandom", "-lm"]
    process = subprocess.run(command, capture_output=True, text=True)
    if process.returncode != 0:
        message = "the C compiler failed on the generated code"
        if openmp and re.search(r"omp|openmp", process.stderr, re.IGNORECASE):
            message = (f"the C compiler ('{cc}') cannot build OpenMP code, which "
                       "setup(num_threads=N) with N > 1 needs: use gcc (set CC) or install "
                       "its OpenMP runtime (libgomp, libomp), or run on one thread")
        raise CompilationError(message, source=c_file,
                               first_error=_first_error(process.stderr, r"error"))


def clear_cache(directory=None):
    """Delete every compiled network in the cache folder (default: the configured one)."""
    from ..config import cache_directory
    folder = directory or cache_directory()
    if os.path.isdir(folder):
        for entry in os.listdir(folder):
            if entry.startswith("annbook_net_"):
                path = os.path.join(folder, entry)
                shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    _loaded.clear()
