"""A small document model for reports: write the content once, render it as Markdown or HTML.

Both after-action reports (a batch's, `analysis/report.py`, and an exercise session's AAR/IP,
`tui/aar.py`) say what they say as a list of blocks: headings, paragraphs, bullet lists,
fact tables, tables, code blocks and matplotlib figures. Only this module knows the two
output formats, so the reports cannot drift apart in how they escape text or embed figures.

Text is literal unless marked: a plain `str` is escaped for the target format (a player's
note reading `<b>` or `a | b` stays text), and emphasis is asked for with `strong`, `em`
and `code` spans. Nothing is parsed out of the text, so nothing in it can change the
document's structure.

HTML is self-contained (figures embedded as base64 PNG, one stylesheet, no external URL),
so it can be mailed or opened in a room without a network. Markdown writes each figure as a
PNG into `<stem>_figures/` beside the file and links it. Every file is written with
`ttxsim.sim.write_atomic` (a synced temporary file renamed over the target), so a report that
already exists is either the old one or the new one, never half of each.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ttxsim.sim import write_atomic

__all__ = ["CSS", "Document", "Inline", "Span", "code", "em", "output_format", "strong"]

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:0.9em;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;
vertical-align:top;text-align:left}td.n{text-align:right}th{background:#f0f0f0}figure{margin:2em 0}
img{max-width:100%}figcaption{color:#555}code{background:#f4f4f4}pre{background:#f4f4f4;padding:0.6em;
overflow-x:auto}p.note{color:#555;font-size:0.9em;border-left:3px solid #ccc;padding-left:0.6em}"""
"""The one stylesheet of every HTML report."""

_HTML_SUFFIXES = (".html", ".htm")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_DPI = 110


@dataclass(frozen=True)
class Span:
    """A run of text with one inline style; the text itself stays literal."""

    text: str
    style: Literal["strong", "em", "code"]


def strong(text: object) -> Span:
    """Bold text (a name the reader scans for)."""
    return Span(str(text), "strong")


def em(text: object) -> Span:
    """Italic text (a term being defined, a caption)."""
    return Span(str(text), "em")


def code(text: object) -> Span:
    """Monospaced text (a command, a file name, a hash)."""
    return Span(str(text), "code")


Inline = str | Span | Sequence[str | Span]
"""What a paragraph, list item or table cell holds: literal text, a styled span, or a sequence."""


def output_format(path: str | Path, what: str = "the report") -> Literal["html", "markdown"]:
    """The format a file name asks for, checked before any work is done.

    Raises:
        ValueError: If the suffix is neither `.html`/`.htm` nor `.md`/`.markdown`; the message
            names the file and the suffixes that work.
    """
    suffix = Path(path).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    raise ValueError(f"{path}: {what} is written as HTML or Markdown; name the file *.html or *.md")


def _spans(text: Inline) -> list[str | Span]:
    if isinstance(text, str | Span):
        return [text]
    return list(text)


_BLOCK_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")


def _md_text(text: str, where: Literal["block", "line", "cell"] = "block") -> str:
    """Literal text in Markdown: what would turn into markup is backslash-escaped.

    `block` keeps line breaks (a paragraph); `line` joins lines (a list item, a heading);
    `cell` also escapes `|` and writes line breaks as `<br>` (a table cell).
    """
    out = text.replace("\\", "\\\\")
    for char in "*`<":
        out = out.replace(char, "\\" + char)
    out = out.replace("](", "]\\(")  # "[text](url)" would become a link
    out = out.replace("\r", "")
    if where == "cell":
        out = out.replace("|", "\\|").replace("\n", "<br>")
    elif where == "line":
        out = " ".join(out.split("\n"))
    return out


def _md_inline(text: Inline, where: Literal["block", "line", "cell"] = "block") -> str:
    out = []
    for part in _spans(text):
        if isinstance(part, str):
            out.append(_md_text(part, where))
        elif part.style == "code":
            tick = "``" if "`" in part.text else "`"
            body = part.text.replace("|", "\\|") if where == "cell" else part.text
            out.append(f"{tick}{body}{tick}")
        elif part.text:
            mark = "**" if part.style == "strong" else "*"
            out.append(f"{mark}{_md_text(part.text, where)}{mark}")
    rendered = "".join(out)
    if where != "cell":  # a paragraph or item opening with "# " or "1." must not become a heading or list
        rendered = _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}", rendered, count=1)
    return rendered


_HTML_TAGS = {"strong": "b", "em": "i", "code": "code"}


def _html_inline(text: Inline) -> str:
    out = []
    for part in _spans(text):
        if isinstance(part, str):
            out.append(html.escape(part).replace("\n", "<br>"))  # a note's line breaks, as in Markdown
        else:
            tag = _HTML_TAGS[part.style]
            out.append(f"<{tag}>{html.escape(part.text)}</{tag}>")
    return "".join(out)


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


@dataclass
class Document:
    """A report as an ordered list of blocks; `write` renders it by the file's suffix.

    Args:
        title: The document's title (its level-1 heading and the HTML `<title>`).
    """

    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    """(kind, payload) in reading order; the renderers switch on the kind."""

    def heading(self, text: str, level: int = 2) -> Document:
        """A section heading; level 2 for sections, 3 and 4 below them (1 is the title)."""
        if not 2 <= level <= 4:
            raise ValueError(f"heading level {level}: use 2, 3 or 4 (1 is the document title)")
        self.blocks.append(("heading", (level, text)))
        return self

    def paragraph(self, text: Inline, *, note: bool = False) -> Document:
        """One paragraph; `note=True` sets it apart as a remark (handling note, caveat)."""
        self.blocks.append(("note" if note else "paragraph", text))
        return self

    def paragraphs(self, text: str) -> Document:
        """Free text from a file, split into paragraphs at blank lines (empty text adds nothing)."""
        for part in text.split("\n\n"):
            if part.strip():
                self.paragraph(" ".join(part.split()))
        return self

    def bullets(self, items: Sequence[Inline]) -> Document:
        """A bulleted list, one item per entry (nothing is added for an empty list)."""
        if items:
            self.blocks.append(("bullets", list(items)))
        return self

    def facts(self, rows: Sequence[tuple[str, Inline]]) -> Document:
        """A two-column table of named facts: the name as a row header, the value beside it."""
        self.blocks.append(("facts", list(rows)))
        return self

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Inline]], *,
              numeric: Sequence[int] = ()) -> Document:
        """A table with a header row; columns listed in `numeric` are right-aligned.

        Raises:
            ValueError: If a row has a different number of cells than the header.
        """
        for row in rows:
            if len(row) != len(header):
                raise ValueError(f"table row has {len(row)} cells, the header {len(header)}")
        self.blocks.append(("table", (list(header), [list(r) for r in rows], frozenset(numeric))))
        return self

    def code_block(self, text: str) -> Document:
        """Preformatted lines (commands to type), shown as they are."""
        self.blocks.append(("code", text))
        return self

    def figure(self, stem: str, caption: str, fig: Any) -> Document:
        """A matplotlib figure; `stem` names its PNG when the document is Markdown."""
        self.blocks.append(("figure", (stem, caption, fig)))
        return self

    def write(self, out_path: str | Path) -> Path:
        """Render by the suffix (`.html`/`.htm` or `.md`/`.markdown`) and write atomically.

        Returns:
            The path written.

        Raises:
            ValueError: If the suffix is not one of those (nothing is written).
        """
        out_path = Path(out_path)
        kind = output_format(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        text = self.to_html() if kind == "html" else self.to_markdown(out_path)
        write_atomic(out_path, text)
        return out_path

    def to_html(self) -> str:
        """The document as one self-contained HTML page (figures inlined as base64 PNG)."""
        e = html.escape
        out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
               f"<title>{e(self.title)}</title><style>{CSS}</style></head><body>",
               f"<h1>{e(self.title)}</h1>"]
        for kind, payload in self.blocks:
            if kind == "heading":
                level, text = payload
                out.append(f"<h{level}>{e(text)}</h{level}>")
            elif kind in ("paragraph", "note"):
                css = ' class="note"' if kind == "note" else ""
                out.append(f"<p{css}>{_html_inline(payload)}</p>")
            elif kind == "bullets":
                out += ["<ul>", *(f"<li>{_html_inline(item)}</li>" for item in payload), "</ul>"]
            elif kind == "facts":
                out.append("<table>")
                out += [f"<tr><th>{e(k)}</th><td>{_html_inline(v)}</td></tr>" for k, v in payload]
                out.append("</table>")
            elif kind == "table":
                header, rows, numeric = payload
                out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header)
                           + "</tr></thead><tbody>")
                for row in rows:
                    out.append("<tr>" + "".join(f'<td{" class=n" if i in numeric else ""}>'
                                                f"{_html_inline(c)}</td>" for i, c in enumerate(row))
                               + "</tr>")
                out.append("</tbody></table>")
            elif kind == "code":
                out.append(f"<pre><code>{e(payload)}</code></pre>")
            elif kind == "figure":
                _, caption, fig = payload
                data = base64.b64encode(_png(fig)).decode("ascii")
                out.append(f'<figure><img src="data:image/png;base64,{data}" alt="{e(caption)}">'
                           f"<figcaption>{e(caption)}</figcaption></figure>")
        out.append("</body></html>")
        return "\n".join(out)

    def to_markdown(self, out_path: str | Path) -> str:
        """The document as Markdown; figures are written as PNG into `<stem>_figures/` beside it."""
        out_path = Path(out_path)
        folder = out_path.parent / f"{out_path.stem}_figures"
        out = [f"# {_md_text(self.title, 'line')}", ""]
        for kind, payload in self.blocks:
            if kind == "heading":
                level, text = payload
                out += ["#" * level + " " + _md_text(text, "line"), ""]
            elif kind == "paragraph":
                out += [_md_inline(payload), ""]
            elif kind == "note":
                out += ["> " + _md_inline(payload, "line"), ""]
            elif kind == "bullets":
                out += [f"- {_md_inline(item, 'line')}" for item in payload] + [""]
            elif kind == "facts":
                out += ["| | |", "|---|---|"]
                out += [f"| {_md_text(k, 'cell')} | {_md_inline(v, 'cell')} |" for k, v in payload]
                out.append("")
            elif kind == "table":
                header, rows, numeric = payload
                out += ["| " + " | ".join(_md_text(h, "cell") for h in header) + " |",
                        "|" + "|".join("---:" if i in numeric else "---" for i in range(len(header))) + "|"]
                out += ["| " + " | ".join(_md_inline(c, "cell") for c in row) + " |" for row in rows]
                out.append("")
            elif kind == "code":
                fence = "````" if "```" in payload else "```"
                out += [fence, payload, fence, ""]
            elif kind == "figure":
                stem, caption, fig = payload
                folder.mkdir(parents=True, exist_ok=True)
                write_atomic(folder / f"{stem}.png", _png(fig))
                out += [f"![{_md_text(caption, 'cell')}]({folder.name}/{stem}.png)", "",
                        f"*{_md_text(caption, 'line')}*", ""]
        return "\n".join(out)
