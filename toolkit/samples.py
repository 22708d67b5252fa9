"""Samples: write a plain-text report as the .docx, .pdf and .html files users collect, for tests and the book.

The headings of the text (``一、`` ``（一）`` ``1.`` at the start of a line) become Word headings and a
numbered list whose numbers live in Word's numbering definition, not in the text; the PDF is laid out in
pages with a running header, page numbers, indented paragraphs and lines wrapped at the margin; the web page
wraps the report in a menu, share buttons, a related-articles list, a footer and scripts. Reading the files
back must give the same headings as the text (see ``tests/test_formats.py``).
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

#: Heading markers at the start of a line, by Word list level (0: 一、, 1: （一）, 2: 1.).
LINE_HEADINGS = (
    (0, re.compile(r"^\s*([一二三四五六七八九十]{1,3})([、，.])(?![一二三四五六七八九十][、季类])\s*")),
    (1, re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})([）)][、.]?)\s*")),
    (2, re.compile(r"^\s*(\d{1,2})([、.．])(?![\d%．.])\s*")),
)
#: Word's number format and number text per level; the text after the number follows the report's own
#: first heading of that level (1、 or 1.), as its author would have set the list up.
_WORD_LEVELS = (("chineseCounting", "%1{}", "、"), ("chineseCounting", "（%2{}", "）"), ("decimal", "%3{}", "."))
_NUM_ID = "90"


def _heading_number(marker: str) -> int | None:
    from .structure import cn_to_int

    return cn_to_int(marker)


def write_docx(text: str, path: str | Path, *, title: str | None = None, header: str | None = None) -> Path:
    """Write ``text`` as a Word file: one paragraph per line; level-1 and level-2 headings as Heading 1/2 and
    level-3 items as a numbered list, all numbered by Word (the number is not in the paragraph text) while
    the numbers run in sequence; other lines as they are. ``header`` becomes the page header."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    separators = {}
    for line in text.splitlines():
        for level, pattern in LINE_HEADINGS:
            match = pattern.match(line)
            if match and level not in separators:
                separators[level] = match.group(2).replace(")", "）")
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{pattern.format(separators.get(i, default))}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, pattern, default) in enumerate(_WORD_LEVELS))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{_NUM_ID}">'
                               f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{_NUM_ID}"><w:abstractNumId w:val="{_NUM_ID}"/>'
                               f'</w:num>'))
    counters: dict[int, int] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        for level, pattern in LINE_HEADINGS:
            match = pattern.match(line)
            if match and _heading_number(match.group(1)) == counters.get(level, 0) + 1:
                counters[level] = counters.get(level, 0) + 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
                style = {0: "Heading 1", 1: "Heading 2"}.get(level, "List Number")
                paragraph = document.add_paragraph(line[match.end():].rstrip(), style=style)
                paragraph._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{_NUM_ID}"/></w:numPr>'))
                break
        else:
            document.add_paragraph(line.strip())
    if title:
        document.core_properties.title = title
    if header:
        document.sections[0].header.paragraphs[0].text = header
    path = Path(path)
    document.save(path)
    return path


def write_pdf(text: str, path: str | Path, *, header: str | None = None, font_size: float = 11.0,
              page_numbers: bool = True, indent_with_spaces: bool = False) -> Path:
    """Write ``text`` as an A4 PDF with a text layer (matplotlib's PDF backend, the toolkit's CJK font):
    one paragraph per line, first line indented two characters (by position, or with ``indent_with_spaces``
    by two full-width spaces as typed), lines wrapped at the right margin, a running ``header`` and a page
    number (``- 3 -``) on every page."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ft2font import FT2Font

    from .plotting import setup_fonts

    font_path = str(setup_fonts())
    font = FT2Font(font_path)
    font.set_size(font_size, 72)
    widths: dict[str, float] = {}

    def width(ch: str) -> float:
        if ch not in widths:
            widths[ch] = font.load_char(ord(ch)).linearHoriAdvance / 65536
        return widths[ch]

    page_w, page_h, margin = 595.0, 842.0, 72.0
    body_w = page_w - 2 * margin
    indent = 2 * font_size
    lines: list[tuple[float, str]] = []  # (x, text)
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if indent_with_spaces:
            x, current, used = margin, "\u3000\u3000", 2 * width("\u3000")
        else:
            x, current, used = margin + indent, "", indent
        for ch in paragraph:
            if used + width(ch) > body_w and current:
                # like Word, never break inside a Latin word or a number: carry it to the next line
                run = re.search(r"[A-Za-z0-9.%]+$", current) if ch.isascii() and ch.isalnum() else None
                carry = run.group() if run and run.start() > 0 else ""
                lines.append((x, current[: len(current) - len(carry)]))
                x, current, used = margin, carry, sum(width(c) for c in carry)
            current += ch
            used += width(ch)
        lines.append((x, current))
    line_height = 1.6 * font_size
    per_page = int((page_h - 2 * margin) // line_height)
    properties = FontProperties(fname=font_path, size=font_size)
    path = Path(path)
    # Type 3 fonts: as extractable as Type 42 here, and no slow subsetting of the 16 MB CJK font
    with matplotlib.rc_context({"pdf.fonttype": 3}), PdfPages(path) as pdf:
        for number, first in enumerate(range(0, max(1, len(lines)), per_page), start=1):
            figure = Figure(figsize=(page_w / 72, page_h / 72))
            if header:
                figure.text(0.5, 1 - 40 / page_h, header, fontproperties=properties, ha="center", parse_math=False)
            if page_numbers:
                figure.text(0.5, 36 / page_h, f"- {number} -", fontproperties=properties, ha="center",
                            parse_math=False)
            for row, (x, line) in enumerate(lines[first : first + per_page]):
                y = page_h - margin - (row + 1) * line_height
                figure.text(x / page_w, y / page_h, line, fontproperties=properties, parse_math=False)
            pdf.savefig(figure)
    return path


def write_scanned_pdf(path: str | Path) -> Path:
    """Write a one-page PDF that is a page image with no text layer, as a scanner makes it."""
    import numpy as np
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 11.69))
    figure.figimage(np.random.default_rng(0).random((200, 150)))
    path = Path(path)
    figure.savefig(path, format="pdf")
    return path


def write_html(text: str, path: str | Path, *, title: str | None = None, encoding: str = "utf-8") -> Path:
    """Write ``text`` as a saved web page: the report in an article (headings as <h2>/<h3>), around it a
    menu, share buttons, a related-articles list, a footer, a script and a style sheet."""
    paragraphs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        escaped = html_lib.escape(line.strip())
        short = len(line.strip()) <= 40 and "。" not in line  # a heading line, not a paragraph opening with one
        if short and LINE_HEADINGS[0][1].match(line):
            paragraphs.append(f"<h2>{escaped}</h2>")
        elif short and LINE_HEADINGS[1][1].match(line):
            paragraphs.append(f"<h3>{escaped}</h3>")
        else:
            paragraphs.append(f"<p>{escaped}</p>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{encoding}"><title>{html_lib.escape(title or "工作总结")}-范文网</title>
<style>body {{ font-family: sans-serif; }} .nav li {{ display: inline; }}</style>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zongjie/">工作总结</a></li>
<li><a href="/jihua/">工作计划</a></li><li><a href="/fanwen/">范文大全</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zongjie/">工作总结</a> &gt; 正文</div>
<div class="article"><h1>{html_lib.escape(title or "工作总结")}</h1>
<div class="content">
{chr(10).join(paragraphs)}
</div></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="/a/1.html">2021年经济开发区工作总结范文</a></li>
<li><a href="/a/2.html">高新区管委会上半年工作总结及下半年工作打算</a></li>
<li><a href="/a/3.html">工业园区2023年工作总结和2024年工作思路</a></li></ul></div>
<div class="footer">版权所有：范文网 备案号：京ICP备00000000号</div>
<script>document.write("统计代码");</script>
</body></html>
"""
    path = Path(path)
    path.write_bytes(page.encode(encoding))
    return path
