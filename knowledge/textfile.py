"""Read users' text files: UTF-8 (with or without BOM) and UTF-16 with a BOM.

Excel's "Unicode text" export is UTF-16 with a BOM, and Chinese Windows tools often save GBK.
UTF-16 is unambiguous with its BOM, so it is read; GBK/GB18030 is not guessed (almost any
byte string decodes as GB18030, so a guess would load garbage silently): the error names the
line of the first bad byte and says how to fix the file.
"""

from __future__ import annotations

import codecs
from pathlib import Path


class TextFileError(ValueError):
    """A file that is not readable text; `line` is 1-based (the line of the first bad byte)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def decode_text(data: bytes) -> str:
    """Decode file bytes; raise `TextFileError` naming the line of the first undecodable byte."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        hint = ""
        if encoding == "utf-8":
            try:
                body.decode("gb18030")
                hint = " (it looks like GBK/GB18030)"
            except UnicodeDecodeError:
                pass
        raise TextFileError(
            line,
            f"not UTF-8 text{hint}: byte 0x{body[exc.start]:02x} cannot be decoded; "
            "save the file as UTF-8 (e.g. Excel: CSV UTF-8) / 文件不是 UTF-8 编码，请另存为 UTF-8",
        ) from None


def read_text(path: Path) -> str:
    """The text of `path` (see `decode_text`)."""
    return decode_text(path.read_bytes())
