"""Text extraction from uploaded files: PDF (pypdf), DOCX (word/document.xml read with
the standard library) and HTML (html.parser, scripts and styles left out).

No Django here: the service turns an ExtractionError into a ValidationError that
names the form field.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree as ET  # parsed from a size-checked zip, DTDs refused

from pypdf import PdfReader
from pypdf.errors import PyPdfError

EXTENSIONS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
}
# A DOCX's document.xml larger than this is refused rather than read into memory.
MAX_XML_BYTES = 50 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ExtractionError(ValueError):
    """The file cannot be read as the type its name says."""


def _tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def extract_pdf(data: bytes) -> str:
    """The text of every page of a PDF."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("The PDF is encrypted.")
        return _tidy("\n".join(page.extract_text() or "" for page in reader.pages))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        if isinstance(exc, ExtractionError):
            raise
        raise ExtractionError("The file is not a readable PDF.") from exc


def extract_docx(data: bytes) -> str:
    """The paragraphs of a DOCX (its word/document.xml), one per line."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise ExtractionError("The document is too large to read.")
            xml = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ExtractionError("The file is not a readable DOCX document.") from exc
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        # Entities could expand without bound: Word never writes them.
        raise ExtractionError("The DOCX document holds a DTD, which is not accepted.")
    try:
        root = ET.fromstring(xml)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise ExtractionError("The file is not a readable DOCX document.") from exc
    paragraphs = []
    for para in root.iter(f"{_W}p"):
        parts = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return _tidy("\n".join(paragraphs))


class _TextParser(HTMLParser):
    """Collects the text of an HTML page, leaving out scripts, styles and templates."""

    SKIP = frozenset({"script", "style", "template", "noscript", "head"})
    BLOCK = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skipping:
            self.parts.append(data)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def extract_html(data: bytes) -> str:
    """The visible text of an HTML page (scripts, styles and the head left out)."""
    parser = _TextParser()
    parser.feed(_decode(data))
    parser.close()
    return _tidy("".join(parser.parts))


EXTRACTORS = {"pdf": extract_pdf, "docx": extract_docx, "html": extract_html, "htm": extract_html}


def extract_text(extension: str, data: bytes) -> str:
    """The text of a file of an accepted type (ExtractionError otherwise)."""
    extractor = EXTRACTORS.get(extension.lower())
    if extractor is None:
        raise ExtractionError(f"Files of type {extension!r} are not accepted.")
    return extractor(data)
