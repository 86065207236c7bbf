"""A plan in several languages: any text may be given as {en: ..., fr: ...}, each office works in
its language, `generate --all` writes each office's matrix in it (named so when it is not the
plan's), `plan check` says which translations are missing, and the plan's version does not move
with translations."""

from __future__ import annotations

import pytest
import yaml

from checkout import DAR, SUDAN
from matrix.countries import country_name
from matrix.models.plan import Plan, in_language
from matrix.plan import check_plan_file, load_plan
from matrix.report.words import Words
from workbook_helpers import metadata, open_workbook


def untranslated(value: object) -> object:
    """Plan data with every text in several languages given in English only."""
    if isinstance(value, dict):
        if (
            value
            and set(value) <= {"en", "fr", "es", "ar"}
            and all(isinstance(v, str) for v in value.values())
        ):
            return value["en"]
        return {k: untranslated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [untranslated(v) for v in value]
    return value


def write(tmp_path, data: dict, name: str = "plan.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def dar_data() -> dict:
    return yaml.safe_load(DAR.read_text(encoding="utf-8"))


def test_translations_do_not_change_the_plans_version(tmp_path):
    """The Sudan example gives every text in Arabic too; its matrices in flight still match the
    plan as it was before, in English only and without office languages."""
    data = yaml.safe_load(SUDAN.read_text(encoding="utf-8"))
    plain = untranslated(data) | {
        "overview": data["overview"]
    }  # its headings were multilingual before
    plain.pop("office_languages", None)
    assert plain != data
    assert load_plan(SUDAN).content_hash() == load_plan(write(tmp_path, plain)).content_hash()


def test_a_text_in_several_languages_is_its_plan_language_text_everywhere_else(tmp_path, dar_data):
    plan = load_plan(write(tmp_path, dar_data))
    cap1 = next(a for _, a in plan.activities() if a.id == "CAP-1")
    assert (
        cap1.title
        == "Joint training of border, police and immigration officials on mixed movements"
    )
    assert in_language(cap1.indicators[0].name, "fr") == "Agents formés"
    assert (
        in_language(cap1.indicators[0].name, "es") == "Officials trained"
    )  # no Spanish: the plan's words
    assert plan.office_language("BDI") == "fr" and plan.office_language("KEN") == "en"


def test_a_plan_written_in_french_reads_its_plain_texts_as_french(tmp_path, dar_data):
    dar_data["language"] = "fr"
    dar_data["office_languages"] = {"KEN": "en"}
    dar_data["objectives"][0]["title"] = "Une législation conforme"
    plan = load_plan(write(tmp_path, dar_data))
    assert plan.objectives[0].title == "Une législation conforme"
    assert plan.title.startswith("Mouvements mixtes")  # the French text of {en: ..., fr: ...}
    assert in_language(plan.title, "en").startswith("Mixed movements")


def test_a_translated_text_needs_the_plans_own_language(tmp_path, dar_data):
    dar_data["objectives"][0]["title"] = {"fr": "Une législation conforme"}
    [issue] = [i for i in check_plan_file(write(tmp_path, dar_data)) if i.is_error]
    assert (
        issue.code == "invalid-value"
        and "give its text in the plan's language (en)" in issue.message
    )
    assert issue.line is not None


def test_plan_check_names_missing_translations_and_unusable_languages(tmp_path, dar_data):
    dar_data["objectives"][0]["activities"][0]["title"] = "Review national legislation"
    dar_data["office_languages"] = {"BDI": "fr", "SOM": "fr", "KEN": "pt"}
    issues = {i.code: i for i in check_plan_file(write(tmp_path, dar_data))}
    assert issues["translation-missing"].message.startswith(
        "1 of the plan's 30 texts has no French translation"
    )
    assert "activity LEG-1: title" in issues["translation-missing"].message
    assert "'SOM' is not an office of the plan" in issues["office-language-not-in-plan"].message
    assert "cannot write a workbook in 'pt'" in issues["language-not-available"].message


def test_every_example_translates_what_its_offices_read():
    for plan_file in (DAR, SUDAN):
        assert [i.code for i in check_plan_file(plan_file)] == []


def test_generate_all_writes_each_office_in_its_language(run, tmp_path):
    result = run("generate", DAR, "--period", "2026-Q3", "--all", "-o", "out")
    assert result.exit_code == 0, result.stderr
    burundi = open_workbook(tmp_path / "out" / "BDI_2026-Q3_dar-es-salaam-follow-up_fr.xlsx")
    assert metadata(burundi).identity.lang == "fr"
    matrix = burundi["Matrice"]
    texts = {
        cell.value for row in matrix.iter_rows() for cell in row if isinstance(cell.value, str)
    }
    review = (
        "Réviser la législation nationale sur les réfugiés et l'immigration avec un appui technique"
    )
    assert {"Agents formés", "personnes", review} <= texts
    assert (
        metadata(
            open_workbook(tmp_path / "out" / "KEN_2026-Q3_dar-es-salaam-follow-up.xlsx")
        ).identity.lang
        == "en"
    )


def test_an_untranslated_text_falls_back_to_the_plans_language(run, tmp_path, dar_data):
    dar_data["objectives"][1]["activities"][0]["indicators"][0]["name"] = "Officials trained"
    plan_file = write(tmp_path, dar_data)
    result = run("generate", plan_file, "--period", "2026-Q3", "--country", "BDI", "-o", "out")
    assert result.exit_code == 0, result.stderr
    matrix = open_workbook(tmp_path / "out" / "BDI_2026-Q3_dar-es-salaam-follow-up_fr.xlsx")[
        "Matrice"
    ]
    texts = {
        cell.value for row in matrix.iter_rows() for cell in row if isinstance(cell.value, str)
    }
    assert "Officials trained" in texts and "Agents formés" not in texts


def test_lang_overrides_every_offices_language_and_names_the_files(run, tmp_path):
    result = run(
        "generate",
        DAR,
        "--period",
        "2026-Q3",
        "--country",
        "BDI",
        "--country",
        "KEN",
        "--lang",
        "es",
        "-o",
        "out",
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "BDI_2026-Q3_dar-es-salaam-follow-up_es.xlsx",
        "KEN_2026-Q3_dar-es-salaam-follow-up_es.xlsx",
    ]


def test_a_french_matrix_reads_back_and_validates(run, tmp_path):
    assert (
        run("generate", DAR, "--period", "2026-Q3", "--country", "BDI", "-o", "out").exit_code == 0
    )
    result = run("validate", tmp_path / "out", "--plan", DAR)
    assert result.exit_code == 1
    codes = {line.split("  ")[3] for line in result.stdout.splitlines()[:-1]}
    assert codes == {
        "status-missing"
    }  # read in French: blank statuses, every translated cell as planned


@pytest.mark.parametrize(
    ("lang", "name"), [("en", "Türkiye"), ("fr", "Turquie"), ("es", "Turquía"), ("ar", "تركيا")]
)
def test_country_names_in_every_language(lang, name):
    assert country_name("TUR", lang) == name


def test_the_arabic_report_names_every_country_in_arabic(tmp_path, dar_data):
    dar_data["countries"] = [*dar_data["countries"], "TUR"]
    words = Words(Plan.model_validate(dar_data), "ar")
    names = [words.office(code) for code in [*dar_data["countries"], "SDN", "COD"]]
    assert "تركيا" in names
    assert all(not any("a" <= ch.lower() <= "z" for ch in name) for name in names), names
