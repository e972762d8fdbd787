"""Build roster .xlsx files for tests (and the browser test) with valid ID numbers."""

import io

from openpyxl import Workbook

from zhengxie.organisation.importers import COLUMNS, ID_CHECK, ID_WEIGHTS

HEADERS = [c.header for c in COLUMNS]


def id_number(n: int, prefix: str = "330102", birth: str = "19750101") -> str:
    body = f"{prefix}{birth}{n:03d}"
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK[total % 11]


def roster_row(n, sector, **overrides):
    row = {
        "姓名": f"委员{n}",
        "性别": "男" if n % 2 else "女",
        "民族": "汉族",
        "出生年份": 1970 + n % 20,
        "党派": "中共党员",
        "宗教信仰": "",
        "学历": "本科",
        "身份证号": id_number(n),
        "手机号码": f"139{n:08d}",
        "电子邮箱": "",
        "界别": sector,
        "活动小组": "",
        "专门委员会": "",
        "工作单位": "县人民医院",
        "职务": "医生",
        "是否常委": "否",
        "委员编号": f"{n:04d}",
        "任职日期": "2022-01-10",
    }
    row.update(overrides)
    return row


def roster_xlsx(rows, headers=None) -> bytes:
    headers = headers or HEADERS
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
