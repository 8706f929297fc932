"""Files uploaded with an event documentation entry (photo of a pinboard, minutes).

Accepted are PDF, PNG and JPEG, recognised by their content, never by name. Images are
decoded and encoded anew, which drops whatever else the file carried (EXIF with the place
a photo was taken, trailing data). Files live on disk under the instance folder, named at
random; the database row keeps the name people gave them.
"""

from __future__ import annotations

import io
import secrets
import warnings
from enum import StrEnum
from pathlib import Path

from flask import current_app

from dialog.reports.rules import JPEG, PDF, PNG, FileType, detect_file_type

ALLOWED_TYPES = (PDF, PNG, JPEG)
DEFAULT_MAX_BYTES = 10 * 1000**2
MAX_PIXELS = 60_000_000  # a phone photo has 12–50 megapixels; more is a decompression bomb


class UploadProblem(StrEnum):
    WRONG_TYPE = "wrong_type"
    TOO_LARGE = "too_large"
    BROKEN_IMAGE = "broken_image"


class UploadError(ValueError):
    def __init__(self, problem: UploadProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def max_bytes() -> int:
    return int(current_app.config.get("DOCUMENTATION_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def upload_dir() -> Path:
    configured = current_app.config.get("DOCUMENTATION_UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "documentation"


def prepare(data: bytes) -> tuple[FileType, bytes]:
    """The file's type and the bytes to store; raises UploadError when it is not accepted."""
    if len(data) > max_bytes():
        raise UploadError(UploadProblem.TOO_LARGE)
    kind = detect_file_type(data)
    if kind not in ALLOWED_TYPES:
        raise UploadError(UploadProblem.WRONG_TYPE)
    if kind is PDF:
        return kind, data
    return kind, _reencode(data, kind)


def _reencode(data: bytes, kind: FileType) -> bytes:
    try:
        from PIL import Image
    except ImportError:  # Pillow is optional: the type check above still applies
        return data
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise UploadError(UploadProblem.TOO_LARGE)
                image.load()
                out = io.BytesIO()
                if kind is JPEG:
                    image.convert("RGB").save(out, format="JPEG", quality=90)
                else:
                    mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA", "P") else "RGBA"
                    image.convert(mode).save(out, format="PNG", optimize=True)
    except UploadError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise UploadError(UploadProblem.BROKEN_IMAGE) from error
    return out.getvalue()


def store(data: bytes, kind: FileType) -> str:
    """Write `data` under a new random name; returns that name."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind.extension}"
    partial = directory / f".{name}.part"
    partial.write_bytes(data)
    partial.replace(directory / name)
    return name


def path_of(stored_name: str) -> Path:
    # Names are ours (token_hex + extension): no path can be smuggled in, but check anyway.
    if "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise ValueError(stored_name)
    return upload_dir() / stored_name


def remove(stored_name: str | None) -> None:
    if stored_name:
        path_of(stored_name).unlink(missing_ok=True)
