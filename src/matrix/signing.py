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
from matrix.i18n import t

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
    return inputs.add(key_path(plan_file), "input.project_key", "input.signs")


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
        raise MatrixError(
            "error.cannot_create_key", path=key.path, reason=describe(exc), variable=KEY_ENV
        ) from None
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
        raise MatrixError("error.cannot_read_key", path=path, reason=describe(exc)) from None
    if len(secret) != KEY_BYTES:
        raise MatrixError("error.key_damaged", path=path, size=len(secret), expected=KEY_BYTES)
    return ProjectKey(path, secret, created)


def created_notice(path: Path, lang: str = "en") -> str:
    """What to tell the coordinator the moment a key is made: losing it, or sending it out, undoes
    it."""
    return t(lang, "cli.key_created", path=path)


def sign(secret: bytes, content: bytes) -> str:
    """The signature row's value: the algorithm, then the HMAC of `content` under the key."""
    return f"{ALGORITHM}:{hmac.new(secret, content, hashlib.sha256).hexdigest()}"


def signature_matches(secret: bytes, content: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, content).encode(), signature.encode())
