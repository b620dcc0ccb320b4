"""The dashboard's charts in a real Chromium at phone width: they fit, nothing is cut off, the text stays readable."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from playwright.async_api import Page

from bot.dashboard.charts import attendance_chart, participation_chart, svg, trend_chart
from rituals.catalog import Catalog
from rituals.model import QuestionCounts, RoundCounts
from rituals.reports import BorrelAttendance, Turnout, by_week, pulse_trends
from tests.bot.chromium import launched, needs_chromium

pytestmark = needs_chromium
PHONE = {"width": 360, "height": 740}


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with launched() as browser:
        page = await browser.new_page(viewport=PHONE)
        page.set_default_timeout(10_000)
        yield page


def charts(locale: str) -> str:
    catalog = Catalog()
    rounds = [
        RoundCounts(occurrence_id=n, local_date=date(2026, 9, 4 + 7 * n) if n < 4 else date(2026, 10, n - 2),
                    prompted=7, responded=6 if n != 2 else 3,
                    questions=(QuestionCounts(question_id="switch_off", counts=(0, 1, 2, 2, 1)),), comments=())
        for n in range(8)
    ]
    [trend] = pulse_trends(1, rounds, 5).questions
    weeks = by_week([
        Turnout(kind="standup", occurrence_id=n, ritual_id=1, local_date=date.fromordinal(date(2026, 1, 5).toordinal()
                                                                                          + 7 * n),
                prompted=8, answered=(3 * n) % 9)
        for n in range(26)
    ])
    borrels = [
        BorrelAttendance(occurrence_id=n, ritual_id=1, local_date=date(2026, 11, 2 + n),
                         starts_at=datetime(2026, 11, 2 + n, 15, tzinfo=UTC), cancelled=n == 3, closed=True,
                         joined=n, maybe=1, declined=0, invited=6, joined_names=())
        for n in range(6)
    ]
    drawn = [
        svg(trend_chart(trend, 5, catalog, locale), "trend"),
        svg(trend_chart(trend, 5, catalog, locale, by_month=True), "months"),
        svg(participation_chart(weeks, "standup", catalog, locale), "weeks"),
        svg(attendance_chart(borrels, catalog, locale), "borrels"),
    ]
    return "".join(f"<figure style='margin:0 0 16px'>{chart}</figure>" for chart in drawn)


@pytest.mark.parametrize("locale", ["en", "nl"])
async def test_charts_fit_a_phone_with_nothing_cut_off_and_text_of_at_least_11px(page: Page, locale: str) -> None:
    await page.set_content(f"<!doctype html><html lang='{locale}'><body style='margin:8px'>{charts(locale)}"
                           "</body></html>")
    boxes = await page.evaluate("""() => [...document.querySelectorAll('svg')].map(svg => {
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll('text')].map(t => {
            const r = t.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, height: r.height, text: t.textContent};
        });
        return {left: frame.left, right: frame.right, bottom: frame.bottom, texts};
    })""")
    assert len(boxes) == 4
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for box in boxes:
        assert box["right"] - box["left"] == pytest.approx(PHONE["width"] - 16, abs=1)
        for text in box["texts"]:
            assert text["left"] >= box["left"] - 0.5 and text["right"] <= box["right"] + 0.5, text
            assert text["height"] >= 11, text
        labels = [t for t in box["texts"] if t["top"] > box["bottom"] - 60 and t["text"] and "○" not in t["text"]]
        rows: dict[int, list[dict[str, float]]] = {}
        for label in labels:
            rows.setdefault(round(label["top"]), []).append(label)
        for row in rows.values():
            ordered = sorted(row, key=lambda t: t["left"])
            assert all(a["right"] <= b["left"] for a, b in itertools.pairwise(ordered)), ordered
    if shot := os.environ.get("RITME_SCREENSHOT"):  # a picture for a person to look at
        await page.screenshot(path=shot.replace(".png", f"-charts-{locale}.png"), full_page=True)
