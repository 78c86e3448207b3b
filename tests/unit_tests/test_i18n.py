"""Every message exists in every language with the same placeholders; the locale decides."""

from __future__ import annotations

import string

import pytest

from engine.scenario_errors import EXPECTED, FILE_PROBLEMS, FRAMES, ScenarioError
from tui.i18n import CATALOGUES, describe_error, detect_language, set_language, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_exist() -> None:
    assert set(CATALOGUES) == {"en", "zh"}


def test_every_key_in_every_language() -> None:
    en, zh = CATALOGUES["en"], CATALOGUES["zh"]
    assert sorted(set(en) - set(zh)) == [], "missing in Chinese"
    assert sorted(set(zh) - set(en)) == [], "missing in English"


@pytest.mark.parametrize("key", sorted(CATALOGUES["en"]))
def test_placeholders_match(key: str) -> None:
    assert placeholders(CATALOGUES["zh"][key]) == placeholders(CATALOGUES["en"][key]), key


def test_every_engine_error_code_is_in_the_catalogues() -> None:
    for catalogue in CATALOGUES.values():
        for code in EXPECTED:
            assert f"error.expected.{code}" in catalogue
        for code in FILE_PROBLEMS:
            assert f"error.file.{code}" in catalogue
        for code in FRAMES:
            assert f"error.frame.{code}" in catalogue


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"}, "zh"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN"}, "zh"),
        ({"LC_ALL": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_language_follows_the_locale(environ: dict[str, str], language: str) -> None:
    assert detect_language(environ) == language


def test_scenario_errors_in_chinese() -> None:
    error = ScenarioError("learning_rate", "positive_number", -1.0).in_file("x.toml")
    assert str(error) == "x.toml: key 'learning_rate': expected a finite number above 0, got -1.0"
    set_language("zh")
    try:
        text = describe_error(error)
        assert "learning_rate" in text and "x.toml" in text and "-1.0" in text
        assert "expected" not in text
        assert t("key.next") != "Next"
    finally:
        set_language("en")
