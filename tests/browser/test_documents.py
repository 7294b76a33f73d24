"""Documents of a meeting: an organiser uploads a participants-only paper and its Arabic
variant; a visitor of the meeting page does not see it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import World, log_in, make_context, screenshot

pytestmark = pytest.mark.browser


def test_organiser_uploads_variants_and_a_visitor_does_not_see_them(
    *,
    page: Page,
    browser: Browser,
    browser_world: World,
    live_server: Any,
    tmp_path: Path,
    settings: Any,
) -> None:
    from django.utils import timezone

    from resettle.documents.models import Document
    from resettle.meetings.models import Meeting

    settings.MEDIA_ROOT = tmp_path / "media"
    start = timezone.now() + datetime.timedelta(days=40)
    meeting = Meeting.objects.create(
        forum=browser_world.consultation,
        title="Annual consultations",
        kind="consultation",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=2),
        venue="Geneva",
    )
    english = tmp_path / "background.md"
    english.write_text("# Background (illustrative)\n", encoding="utf-8")
    arabic = tmp_path / "خلفية.md"
    arabic.write_text("# خلفية\n", encoding="utf-8")

    log_in(page, "ulrich")  # UNHCR staff organise every meeting
    page.goto(f"/meetings/{meeting.pk}/")
    section = page.get_by_test_id("meeting-documents")
    section.get_by_role("link", name="Upload a document").click()
    expect(page).to_have_url(re.compile(r"/documents/add/\?meeting=\d+$"))
    page.get_by_label("Title").fill("Background paper on processing")
    page.get_by_label("Kind").select_option("background_paper")
    page.get_by_label("Access").select_option("participants")
    page.get_by_label("File").set_input_files(str(english))
    page.get_by_role("button", name="Upload").click()

    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_test_id("access")).to_have_text("Participants of the meeting")
    upload = page.get_by_test_id("upload-form")
    upload.get_by_label("Language").fill("ar")
    upload.get_by_label("File").set_input_files(str(arabic))
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("versions-ar")).to_contain_text("خلفية.md")
    screenshot(page, "documents-detail")

    page.goto(f"/meetings/{meeting.pk}/")
    link = page.get_by_test_id("meeting-documents").get_by_test_id("variant-ar")
    expect(link).to_have_text("العربيّة")
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "خلفية.md"
    doc = Document.objects.get(title="Background paper on processing")
    assert [v.language for v in doc.variants()] == ["en", "ar"]

    # Nadia's NGO takes no part in the meeting: the paper is not shown, its link is a 404.
    visitor = make_context(browser, live_server.url)
    try:
        other = visitor.new_page()
        log_in(other, "nadia")
        other.goto(f"/meetings/{meeting.pk}/")
        expect(other.get_by_role("heading", level=1)).to_be_visible()
        expect(other.get_by_text("Background paper on processing")).to_have_count(0)
        response = other.goto(f"/documents/{doc.pk}/download/?lang=ar")
        assert response is not None and response.status == 404
    finally:
        visitor.close()
