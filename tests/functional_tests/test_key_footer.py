"""The key bar: keys greyed out when they do nothing, changed in place, rebuilt when the keys
themselves change."""

from __future__ import annotations

from tests.functional_tests.conftest import make_app, walked
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
