"""The house style of the platform's Word documents (党政机关公文格式): A4 with official margins,
仿宋 16pt body, Chinese font names set for East Asian text. Every app's .docx builder uses these."""

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
SCRIPT_FONT = "楷体"


def set_font(run, name=BODY_FONT, size=16, bold=False, color=None):
    """Font, size and weight of a run, the East Asian font name included (Word ignores the
    Latin name for Chinese text)."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def add_para(
    document,
    text,
    *,
    font=BODY_FONT,
    size=16,
    align=None,
    indent=False,
    bold=False,
    color=None,
    page_break=False,
):
    """A paragraph of one run; ``indent`` indents the first line by two characters."""
    paragraph = document.add_paragraph()
    set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def official_document(*, body_size=16, margins=True):
    """A new document: A4, the official margins (top 3.7, bottom 3.5, left 2.8, right 2.6 cm)
    and the body font."""
    document = Document()
    if margins:
        section = document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document
