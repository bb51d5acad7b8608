"""Fingerprint of the extension's sources, written next to the build it produced.

``build.sh`` writes it into ``annbook/labextension/sources.json``; a test recomputes it
from the sources (no Node needed) and fails when the committed build is older than them.
Line endings are normalised so that a checkout with CRLF gives the same fingerprint.
"""

import argparse
import hashlib
import json
from pathlib import Path

__all__ = ["EXTENSION", "BUILD", "source_files", "fingerprint", "write"]

EXTENSION = Path(__file__).resolve().parent
BUILD = EXTENSION.parent / "annbook" / "labextension"
_TOP_LEVEL = ("package.json", "package-lock.json", "tsconfig.json", "install.json", "build.sh")
_FOLDERS = ("src", "style")


def source_files():
    """Paths (relative to ``extension/``, sorted) of everything the build reads."""
    files = [EXTENSION / name for name in _TOP_LEVEL]
    for folder in _FOLDERS:
        files += [p for p in (EXTENSION / folder).rglob("*") if p.is_file()]
    return sorted(p.relative_to(EXTENSION).as_posix() for p in files)


def fingerprint():
    """SHA-256 over the names and contents of the source files."""
    digest = hashlib.sha256()
    for name in source_files():
        content = (EXTENSION / name).read_bytes().replace(b"\r\n", b"\n")
        digest.update(name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def write():
    """Record the fingerprint of the current sources in the build folder."""
    record = {"sha256": fingerprint(), "files": source_files()}
    (BUILD / "sources.json").write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write sources.json into the build")
    if parser.parse_args().write:
        write()
    else:
        print(fingerprint())
