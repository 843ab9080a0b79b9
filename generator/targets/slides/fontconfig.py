"""Font lookup through libfontconfig itself, as ``fc-match`` does it, without a process per
question: a render process asked fontconfig a dozen times (styles, fallbacks, character sets),
which as ``fc-match``/``fc-query`` runs cost it about 80 ms."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache

_MATCH_PATTERN = 0  # FcMatchPattern
_RESULT_MATCH = 0  # FcResultMatch


class Fontconfig:
    def __init__(self, library: ctypes.CDLL) -> None:
        lib = self._lib = library
        p = ctypes.c_void_p
        lib.FcInitLoadConfigAndFonts.restype = p
        lib.FcNameParse.restype = p
        lib.FcNameParse.argtypes = [ctypes.c_char_p]
        lib.FcConfigSubstitute.argtypes = [p, p, ctypes.c_int]
        lib.FcDefaultSubstitute.argtypes = [p]
        lib.FcFontMatch.restype = p
        lib.FcFontMatch.argtypes = [p, p, ctypes.POINTER(ctypes.c_int)]
        lib.FcPatternGetString.argtypes = [p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
        lib.FcPatternGetCharSet.argtypes = [p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(p)]
        lib.FcCharSetHasChar.argtypes = [p, ctypes.c_uint32]
        lib.FcPatternDestroy.argtypes = [p]
        self._config = lib.FcInitLoadConfigAndFonts()
        if not self._config:
            raise OSError("fontconfig has no configuration")
        self._charsets: dict[str, int] = {}
        self._keep: list[int] = []  # matched patterns own the character sets handed out

    def match(self, pattern: str) -> str | None:
        """The font file ``fc-match -f %{file} <pattern>`` prints, or None."""
        lib = self._lib
        query = lib.FcNameParse(pattern.encode("utf-8"))
        if not query:
            return None
        try:
            lib.FcConfigSubstitute(self._config, query, _MATCH_PATTERN)
            lib.FcDefaultSubstitute(query)
            result = ctypes.c_int()
            found = lib.FcFontMatch(self._config, query, ctypes.byref(result))
        finally:
            lib.FcPatternDestroy(query)
        if not found:
            return None
        file = ctypes.c_char_p()
        if lib.FcPatternGetString(found, b"file", 0, ctypes.byref(file)) != _RESULT_MATCH or not file.value:
            lib.FcPatternDestroy(found)
            return None
        path = file.value.decode("utf-8", "surrogateescape")
        charset = ctypes.c_void_p()
        if path not in self._charsets and lib.FcPatternGetCharSet(found, b"charset", 0, ctypes.byref(charset)) == _RESULT_MATCH:
            self._charsets[path] = charset.value
            self._keep.append(found)
        else:
            lib.FcPatternDestroy(found)
        return path

    def has_char(self, path: str, code: int) -> bool | None:
        """Whether the font file has the character; None when this file's set is not known."""
        charset = self._charsets.get(path)
        if charset is None:
            return None
        return bool(self._lib.FcCharSetHasChar(charset, code))


@lru_cache(maxsize=1)
def fontconfig() -> Fontconfig | None:
    """The library, or None where it cannot be loaded (the callers then run fc-match)."""
    for name in ("libfontconfig.so.1", ctypes.util.find_library("fontconfig")):
        if not name:
            continue
        try:
            return Fontconfig(ctypes.CDLL(name))
        except (OSError, AttributeError):
            continue
    return None
