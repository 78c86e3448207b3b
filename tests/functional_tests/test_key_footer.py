"""The key bar: keys greyed out when they do nothing, changed in place, rebuilt when the keys
themselves change."""

from __future__ import annotations

from tests.functional_tests.conftest import make_app, walked
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.textual_compat import FooterKey


def states(app: TutorApp) -> dict[str, bool]:
    """Each shown key's action and whether it is greyed out."""
    return {key.action: key.has_class("-disabled") for key in app.screen.query(FooterKey)}


async def test_keys_are_greyed_out_and_back_in_place() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert states(app)["move('previous')"] is True  # nothing to go back to at the very start
        assert states(app)["move('next')"] is False
        await pilot.press("right")
        await pilot.pause()
        assert states(app)["move('previous')"] is False
        await pilot.press("end")
        await pilot.pause()
        assert states(app)["move('next')"] is True  # the iteration is done
        assert states(app)["move('next_iteration')"] is False
        # The same key widgets all along: only their state changed, no rebuild.
        assert list(app.screen.query(FooterKey)) == keys
        assert all(a is b for a, b in zip(app.screen.query(FooterKey), keys))


async def test_the_key_bar_is_rebuilt_when_its_keys_change() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        await pilot.pause()
        before = {key.description for key in app.screen.query(FooterKey)}
        await pilot.press("l")  # another language: other labels
        for _ in range(5):
            await pilot.pause()
        after = {key.description for key in app.screen.query(FooterKey)}
        assert "Next" in before and "Next" not in after
        assert states(app)["move('previous')"] is True


async def test_only_whole_keys_most_needed_first_at_any_width() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await walked(app, pilot)
        seen: dict[int, list[str]] = {}
        for width in (60, 80, 200, 70):
            await pilot.resize_terminal(width, 24)
            for _ in range(3):
                await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            labels = [key.description for key in app.screen.query(FooterKey)]
            assert all(label in footer for label in labels), (width, labels, footer)
            assert len(footer.rstrip()) <= width
            seen[width] = labels
        # The most needed first; a wider footer adds keys, never drops them.
        assert seen[60][:4] == ["Next", "Back", "Phase", "Next sample"]
        assert seen[60] == seen[200][: len(seen[60])] and len(seen[200]) > len(seen[80])
        assert "Restart" in seen[200] and seen[70] == seen[200][: len(seen[70])]
