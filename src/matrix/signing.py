"""The project key that signs every generated matrix, so a returned workbook's hidden record (plan,
office, period, sheets and locked-cell fingerprints) cannot be edited or forged without it showing.

The key is 32 random bytes in `.matrix-key` beside the plan (or at `$MATRIX_KEY_FILE`), readable by
its owner only, created by `matrix init` or the first `matrix generate`. It never goes into a
workbook: an office holds the signature, never the key, so it cannot sign an edit of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from matrix.errors import MatrixError
from matrix.files import PRIVATE, Inputs, create_new, describe

KEY_FILE = ".matrix-key"
KEY_ENV = "MATRIX_KEY_FILE"
KEY_BYTES = 32
ALGORITHM = "hmac-sha256"


@dataclass(frozen=True)
class ProjectKey:
    """Where a project's key is, and the key when it was found there."""

    path: Path
    secret: bytes | None = field(default=None, repr=False)
    created: datetime | None = None
    """When the key file was written (its modification time, which copying only moves later): a
    matrix generated since must carry a signature."""


def key_path(plan_file: str | Path) -> Path:
    """`$MATRIX_KEY_FILE`, else `.matrix-key` in the folder holding the plan, so every command given
    the same plan finds the same key wherever it runs."""
    return Path(os.environ.get(KEY_ENV) or Path(plan_file).parent / KEY_FILE)


def protected_inputs(plan_file: str | Path, returns: Iterable[str | Path] = ()) -> Inputs:
    """What no output of the project's commands may overwrite: the plan, its key and `returns`."""
    inputs = Inputs(plan=plan_file, returns=[Path(r) for r in returns])
    return inputs.add(key_path(plan_file), "the project key", "which signs every matrix of the project")


def find_key(plan_file: str | Path) -> ProjectKey:
    """The project's key, or a ProjectKey without a secret when there is none yet. Raises
    MatrixError for a key file that cannot be used, rather than treating it as absent."""
    return _read_key(key_path(plan_file))


def ensure_key(key: ProjectKey) -> tuple[ProjectKey, bool]:
    """`key`, created at its path when missing; True when it was created just now."""
    if key.secret is not None:
        return key, False
    try:
        # never replaced: a key another process wrote a moment ago is the key
        created = create_new(key.path, secrets.token_bytes(KEY_BYTES), mode=PRIVATE)
    except OSError as exc:
        raise MatrixError(f"cannot create the project key {key.path}: {describe(exc)}; set {KEY_ENV} to a "
                          "file path in a folder you can write to") from None
    return _read_key(key.path), created


def _read_key(path: Path) -> ProjectKey:
    try:
        secret = path.read_bytes()
        # whole seconds, as matrices record when they were generated: the first matrices, written
        # the second the key was made, must count as made after it
        created = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
    except FileNotFoundError:
        return ProjectKey(path)
    except OSError as exc:
        raise MatrixError(f"cannot read the project key {path}: {exc.strerror or exc}") from None
    if len(secret) != KEY_BYTES:
        raise MatrixError(f"the project key {path} is damaged ({len(secret)} bytes, not {KEY_BYTES}); restore it "
                          "from the project's backup")
    return ProjectKey(path, secret, created)


def created_notice(path: Path) -> str:
    """What to tell the coordinator the moment a key is made: losing it, or sending it out, undoes it."""
    return (f"created the project key {path}: it signs every matrix generated for this plan, and validate "
            "and collect check returns with it; back it up with the plan and the store, never send it to offices")


def sign(secret: bytes, content: bytes) -> str:
    """The signature row's value: the algorithm, then the HMAC of `content` under the key."""
    return f"{ALGORITHM}:{hmac.new(secret, content, hashlib.sha256).hexdigest()}"


def signature_matches(secret: bytes, content: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, content).encode(), signature.encode())
