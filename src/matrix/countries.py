"""ISO 3166-1 alpha-3 countries and ISO 4217 currencies, from pycountry, with localised names."""

from __future__ import annotations

import difflib
import gettext
from functools import cache

import pycountry


@cache
def _codes() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.countries}


def is_country(code: str) -> bool:
    return code in _codes()


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str, lang: str = "en") -> str:
    """The country's common name in `lang`; the code itself for a code we do not know."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return name if lang == "en" else _translation(lang).gettext(country.name)


@cache
def alpha_2(code: str) -> str:
    """The two-letter code IATI and others use; the code itself for a code we do not know."""
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country is not None else code


def suggest_countries(text: str) -> list[str]:
    """Guesses for a wrong code: a country name ('Sudan'), an alpha-2 ('SD') or a near code ('SUD')."""
    text = str(text).strip()
    try:
        match = pycountry.countries.lookup(text)
        return [match.alpha_3]
    except LookupError:
        pass
    return difflib.get_close_matches(text.upper(), list(_codes()), n=2, cutoff=0.6)


def is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None


def suggest_currencies(text: str) -> list[str]:
    codes = [c.alpha_3 for c in pycountry.currencies]
    return difflib.get_close_matches(str(text).upper(), codes, n=1, cutoff=0.6)
