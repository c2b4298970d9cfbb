"""PDF articles: the text layer read with pypdf; a scan without one, or a broken file, is a reported skip.

The PDFs are written by the test with fpdf2 (a test-only dependency), so what they hold is in plain sight.
"""

from __future__ import annotations

from fpdf import FPDF
from PIL import Image

from index import Indexer
from index.loaders import pdf_document
from index.reader import IndexReader
from tests.conftest import make_settings
from tests.helpers.invariants import check_index

PARAGRAPHS = [
    "The foreign ministry said on Tuesday that embassy staff would return to Washington next month after "
    "two days of talks in Istanbul, and that visas for twelve diplomats had already been issued.",
    "A further round of talks is planned for the spring in Geneva, where the delegations will discuss the "
    "banking restrictions that have hampered both missions for years, officials said.",
]


def press_release(title: str = "Embassy staff to return to Washington") -> bytes:
    """A one-page PDF with a real text layer: a headline and two paragraphs that wrap over several lines."""
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_author("Press Office")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, title)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for paragraph in PARAGRAPHS:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    return bytes(pdf.output())


def scanned_page() -> bytes:
    """A PDF that is only a picture of a page, as a scanner makes it: no text layer at all."""
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (400, 560), "white"), x=10, y=10, w=180)
    return bytes(pdf.output())


def test_text_layer_becomes_an_article_with_whole_paragraphs(tmp_path):
    doc = pdf_document("release.pdf", press_release())
    assert doc.hints == {"title": "Embassy staff to return to Washington", "author": "Press Office"}
    lines = doc.text.splitlines()
    # the wrapped lines are joined back: each paragraph is one line, as the cleaner expects
    assert PARAGRAPHS[0] in lines and PARAGRAPHS[1] in lines


def test_pdfs_in_a_folder_are_indexed_and_scans_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "release.pdf").write_bytes(press_release())
    (folder / "scan.pdf").write_bytes(scanned_page())
    (folder / "broken.pdf").write_bytes(press_release()[:400])
    settings = make_settings(tmp_path / "store")
    report = Indexer(settings).run([str(folder)])
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert report.added == 1
    assert reasons["scan.pdf"].startswith("no text layer in the PDF") and "OCR" in reasons["scan.pdf"]
    assert reasons["broken.pdf"].startswith("not a readable PDF")
    (source,) = IndexReader(settings).sources()
    assert source["title"] == "Embassy staff to return to Washington"
    check_index(settings)
    again = Indexer(settings).run([str(folder)])
    assert (again.added, again.unchanged) == (0, 1)
