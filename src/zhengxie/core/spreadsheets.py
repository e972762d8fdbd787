"""Reading the .xlsx files users upload (roster, history imports): the pieces every importer
shares — columns, cell values, dates, the workbook, and row errors in Chinese."""

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

YES_NO = {"是": True, "否": False}
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    max_length: int = 0
    width: int = 14


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, empty, missing headers)."""


@dataclass
class SheetRow:
    number: int
    values: dict


@dataclass
class SheetCheck:
    """The rows that passed and every error found; a file imports only when there are none."""

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def load_sheet(upload):
    """The first worksheet of an uploaded .xlsx, or SpreadsheetError with a Chinese message."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise SpreadsheetError(_("请上传 Excel 文件(.xlsx 格式)。"))
    data = upload.read()
    if not data:
        raise SpreadsheetError(_("上传的文件是空的。"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SpreadsheetError(_("无法读取该文件,请使用下载的模板(.xlsx 格式)。")) from exc
    return wb.worksheets[0]


def row_error(row, header, message):
    text = _("第%(row)s行「%(column)s」:%(message)s") % {
        "row": row,
        "column": header,
        "message": message,
    }
    return {"row": row, "column": header, "message": text}


def column_texts(cells, columns, err) -> dict:
    """{column key: cell text} of one row, every column's required / length check reported
    through ``err(header, message)`` (the text is kept either way)."""
    text = {}
    for column in columns:
        value = cell_text(cells.get(column.key))
        if column.required and not value:
            err(column.header, _("必须填写"))
        elif column.max_length and len(value) > column.max_length:
            err(column.header, _("不能超过%(n)s个字") % {"n": column.max_length})
        text[column.key] = value
    return text


def sheet_rows(upload, columns):
    """Yield (row number, {column key: raw cell}) for every non-blank data row of the upload,
    after checking the required headers; raises SpreadsheetError for a file that cannot be
    read at all (wrong type, empty, missing headers, too many rows)."""
    ws = load_sheet(upload)
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise SpreadsheetError(_("文件中没有数据。"))
    headers = [cell_text(h) for h in header]
    missing = [c.header for c in columns if c.required and c.header not in headers]
    if missing:
        raise SpreadsheetError(
            _("文件缺少必填列:%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)}
        )
    index = {c.key: headers.index(c.header) for c in columns if c.header in headers}
    count = 0
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(cell_text(v) == "" for v in raw):
            continue
        count += 1
        if count > MAX_ROWS:
            raise SpreadsheetError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
        yield number, {key: (raw[i] if i < len(raw) else None) for key, i in index.items()}


def template_workbook(title, columns):
    """A new workbook whose first sheet has the template's header row (required columns in
    white on red), column widths and a frozen header; returns (workbook, sheet, {key: letter})."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF" if column.required else "000000")
        if column.required:
            cell.fill = PatternFill("solid", fgColor="B3261E")
        ws.column_dimensions[cell.column_letter].width = column.width
    ws.freeze_panes = "A2"
    letters = {c.key: ws.cell(row=1, column=i).column_letter for i, c in enumerate(columns, 1)}
    return wb, ws, letters
