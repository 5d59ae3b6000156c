"""The one decision of "en" or "zh" (the narrative and amount style) from a Django language code."""
from __future__ import annotations

from django.utils.translation import get_language


def lang_of(language_code: str | None) -> str:
    """'en' for any English code, 'zh' for everything else (Chinese is the default edition)."""
    return "en" if (language_code or "").startswith("en") else "zh"


def active_lang() -> str:
    """'en' or 'zh' for the language of the current request or override."""
    return lang_of(get_language())
