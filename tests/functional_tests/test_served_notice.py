"""A served tutor shows its server's notices (the session closes soon) itself, over a whole
screen, in the learner's language; at 80x24, driven by Pilot."""

from __future__ import annotations

import pytest

from tests.functional_tests.conftest import make_app
from tests.functional_tests.test_sandbox import notices
from tests.screen_text import screen_text
from tui.i18n import CATALOGUES, set_language
from tui.served import Notice


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_notice_is_shown_over_the_lesson(lang: str) -> None:
    set_language(lang)
    try:
        app = make_app()
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            app.show_notice(Notice("idle", 60.0))
            await pilot.pause()
            expected = CATALOGUES[lang]["serve.idle_warning"].format(duration="1m00s")
            assert "".join(expected.split()) in "".join(notices(app).split())
            text = screen_text(app)
            header = CATALOGUES[lang]["header.step"].format(step=0, total=22)
            assert header.replace(" ", "") in text.replace(" ", "")  # the lesson is still there
    finally:
        set_language("en")
