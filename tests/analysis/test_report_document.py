"""The document builder both reports share: literal text stays literal in either format."""

from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure

from ttxsim.analysis.document import Document, code, em, output_format, strong
from ttxsim.sim import atomic

HOSTILE = "# not a heading | <script>x</script> *not em* [link](http://example.org) `tick`"


def _figure() -> Figure:
    fig = Figure(figsize=(2, 1.5))
    fig.add_subplot().plot([0, 1], [0, 1])
    return fig


def _doc() -> Document:
    doc = Document("Title <&>")
    doc.heading("Section").paragraph(["plain ", strong("bold"), " ", em("it"), " ", code("a|b")])
    doc.paragraph(HOSTILE).bullets([HOSTILE, "- dash first"]).facts([("Key", HOSTILE)])
    doc.table(["name", "value"], [[HOSTILE, "1.5"], ["multi\nline", "2"]], numeric=[1])
    doc.code_block("ttxsim run 'a b.yaml'").figure("fig", "A figure", _figure())
    return doc


def test_html_escapes_text_and_embeds_the_figure():
    page = _doc().to_html()
    assert "<title>Title &lt;&amp;&gt;</title>" in page
    assert "<p>plain <b>bold</b> <i>it</i> <code>a|b</code></p>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<td class=n>1.5</td>' in page and "<td>multi<br>line</td>" in page
    assert page.count('<img src="data:image/png;base64,') == 1
    assert "<pre><code>ttxsim run &#x27;a b.yaml&#x27;</code></pre>" in page


def test_markdown_keeps_hostile_text_from_changing_the_structure(tmp_path):
    text = _doc().to_markdown(tmp_path / "r.md")
    lines = text.splitlines()
    assert lines[0] == "# Title \\<&>" and "## Section" in lines
    assert "plain **bold** *it* `a|b`" in lines
    assert not any(line.startswith("# not") for line in lines)  # escaped: \# not a heading
    paragraph = next(line for line in lines if "not a heading" in line)
    assert paragraph.startswith("\\#") and "\\*not em\\*" in paragraph and "]\\(http" in paragraph
    rows = [line for line in lines if line.startswith("| ") and "not a heading" in line]
    assert all(line.count(" | ") == 1 for line in rows)  # the `|` in the text is escaped, not a column
    assert "| multi<br>line | 2 |" in lines and "|---|---:|" in lines
    assert "- \\- dash first" in lines
    assert re.search(r"^!\[A figure\]\(r_figures/fig\.png\)$", text, re.M)
    assert (tmp_path / "r_figures" / "fig.png").stat().st_size > 500


def test_write_chooses_the_format_by_suffix(tmp_path):
    doc = Document("T").paragraph("x")
    assert doc.write(tmp_path / "a.htm").read_text().startswith("<!DOCTYPE html>")
    assert doc.write(tmp_path / "a.markdown").read_text().startswith("# T")
    with pytest.raises(ValueError, match=r"a\.docx: the report is written as HTML or Markdown"):
        doc.write(tmp_path / "a.docx")
    assert output_format("X.HTML") == "html"


@pytest.mark.parametrize("name", ["r.html", "r.md"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, name):
    out = tmp_path / name
    out.write_text("old")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken)
    doc = Document("T").paragraph("new").figure("fig", "A figure", _figure())
    with pytest.raises(OSError, match="disk full"):
        doc.write(out)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [name]  # no temporary file, no figure


def test_table_rows_must_match_the_header():
    with pytest.raises(ValueError, match="2 cells, the header 3"):
        Document("T").table(["a", "b", "c"], [["1", "2"]])
