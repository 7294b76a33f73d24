"""Text extraction from PDF, DOCX and HTML files (library/extract.py)."""

from __future__ import annotations

import io
import zipfile

import pytest
from weasyprint import HTML

from resettle.library.extract import ExtractionError, extract_text


def make_pdf(text: str) -> bytes:
    """A real PDF, rendered by WeasyPrint."""
    pdf: bytes = HTML(string=f"<html><body><p>{text}</p></body></html>").write_pdf()
    return pdf


def make_docx(paragraphs: list[str]) -> bytes:
    """A minimal DOCX: a zip whose word/document.xml holds the paragraphs."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<w:document xmlns:w='{ns}'><w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_pdf() -> None:
    text = extract_text("pdf", make_pdf("Remote interviewing guidance for resettlement"))
    assert "Remote interviewing guidance for resettlement" in text


def test_docx_paragraphs() -> None:
    text = extract_text("docx", make_docx(["Parrainage communautaire", "إعادة التوطين"]))
    assert text.splitlines() == ["Parrainage communautaire", "إعادة التوطين"]


def test_html_leaves_out_scripts_and_styles() -> None:
    page = (
        b"<html><head><title>T</title><style>p{color:red}</style></head><body>"
        b"<script>alert('x')</script><h1>Integration</h1><p>Housing &amp; jobs</p></body></html>"
    )
    text = extract_text("html", page)
    assert text.splitlines() == ["Integration", "Housing & jobs"]
    assert "alert" not in text and "color" not in text


@pytest.mark.parametrize(
    ("extension", "data"),
    [("pdf", b"not a pdf"), ("docx", b"not a zip"), ("docx", b"PK\x03\x04broken")],
)
def test_unreadable_files(extension: str, data: bytes) -> None:
    with pytest.raises(ExtractionError):
        extract_text(extension, data)


def test_docx_with_entities_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")
    with pytest.raises(ExtractionError):
        extract_text("docx", buffer.getvalue())
