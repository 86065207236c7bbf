"""ISO 3166-1 alpha-3 countries and ISO 4217 currencies, from pycountry, with localised names."""

from __future__ import annotations

import difflib
import gettext
from functools import cache

import pycountry
from babel import Locale


@cache
def _codes() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.countries}


def is_country(code: str) -> bool:
    return code in _codes()


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


@cache
def country_name(code: str, lang: str = "en") -> str:
    """The country's common name in `lang` ('Turquie', 'تركيا'); the code itself for a code we do
    not know. pycountry's own translations first (of the common name, then the name); where its
    catalogue for `lang` has none (Arabic predates 'Türkiye') or only the inverted official form
    ('Congo, República Democrática del'), the Unicode CLDR's name for the territory, which Babel
    ships."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    common = getattr(country, "common_name", None)
    if lang == "en":
        return common or country.name
    translation = _translation(lang)
    for name in (common, country.name):
        if name and (translated := translation.gettext(name)) != name and not _inverted(translated):
            return translated
    territory = Locale.parse(lang).territories.get(country.alpha_2)
    return territory or translation.gettext(country.name)


def _inverted(name: str) -> bool:
    """'Tanzanie, République unie de': a name written for sorting, not for reading."""
    return "," in name or "\u060c" in name  # the Latin or the Arabic comma


@cache
def alpha_2(code: str) -> str:
    """The two-letter code IATI and others use; the code itself for a code we do not know."""
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country is not None else code


def suggest_countries(text: str) -> list[str]:
    """Guesses for a wrong code: a country name ('Sudan'), an alpha-2 ('SD') or a near code
    ('SUD')."""
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
