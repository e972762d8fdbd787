# ruff: noqa: E501  (the table reads best one rule a line)
"""The default point table: common county practice (domain brief § Members' duty performance).

A committee starts each year from this (or from its previous year's table) and edits it.
Rows: (kind, sub_kind, level, label, points, per, cap, split, secondary_points).
"""

from decimal import Decimal as D

from zhengxie.performance.models import ExitRuleKind, ExitScope, Per, Split

PASS_MARK = D("60")
COMMENDATION_THRESHOLD = D("120")
COMMENDATION_SHARE = 10

ITEM, TIME, HALF_DAY = Per.ITEM, Per.TIME, Per.HALF_DAY
FULL, ROLE, ORDER, DIVIDE = Split.FULL, Split.ROLE, Split.ORDER, Split.DIVIDE

RULES = [
    # Meetings: attendance, leave, absence (unexcused costs more than excused).
    ("attendance", "plenary.attended", "", "出席全体会议", D(50), TIME, None, FULL, None),
    ("attendance", "plenary.leave_approved", "", "全体会议请假(批准)", D(30), TIME, None, FULL, None),
    ("attendance", "plenary.leave_requested", "", "全体会议请假(未批准)", D(-3), TIME, None, FULL, None),
    ("attendance", "plenary.absent", "", "无故缺席全体会议", D(-5), TIME, None, FULL, None),
    ("attendance", "standing.attended", "", "出席常委会议", D(5), TIME, None, FULL, None),
    ("attendance", "standing.leave_requested", "", "常委会议请假(未批准)", D(-1), TIME, None, FULL, None),
    ("attendance", "standing.absent", "", "无故缺席常委会议", D(-3), TIME, None, FULL, None),
    ("attendance", "chairs.attended", "", "出席主席会议", D(2), TIME, None, FULL, None),
    ("attendance", "special_committee.attended", "", "出席专委会会议", D(3), TIME, D(15), FULL, None),
    ("attendance", "special_committee.absent", "", "无故缺席专委会会议", D(-1), TIME, None, FULL, None),
    ("attendance", "other.attended", "", "出席其他会议", D(2), TIME, D(10), FULL, None),
    # Proposals: the lead earns the most, co-signers less.
    ("proposal", "submitted", "", "提交提案", D(5), ITEM, D(30), ROLE, D(2)),
    ("proposal", "co_signed", "", "联名附议提案", D(1), ITEM, D(5), FULL, None),
    ("proposal", "registered", "", "提案立案", D(15), ITEM, None, ROLE, D(5)),
    ("proposal", "key", "", "列为重点提案", D(10), ITEM, None, ROLE, D(3)),
    ("proposal", "outstanding", "", "优秀提案", D(20), ITEM, None, ROLE, D(5)),
    ("proposal", "to_public_opinion", "", "提案转社情民意", D(3), ITEM, None, ROLE, D(1)),
    ("proposal", "to_opinion_letter", "", "提案转意见建议", D(3), ITEM, None, ROLE, D(1)),
    # Public-opinion reports: more the higher the level that adopted them.
    ("opinion", "submitted", "", "报送社情民意信息", D(2), ITEM, D(20), ROLE, D(1)),
    ("opinion", "used", "", "信息被本级采用", D(5), ITEM, None, ROLE, D(2)),
    ("opinion", "published", "", "信息编入刊物", D(3), ITEM, None, ROLE, D(1)),
    ("opinion", "adopted_city", "", "信息被市级采用", D(10), ITEM, None, ROLE, D(4)),
    ("opinion", "adopted_province", "", "信息被省级采用", D(15), ITEM, None, ROLE, D(6)),
    ("opinion", "adopted_national", "", "信息被全国政协采用", D(25), ITEM, None, ROLE, D(10)),
    ("opinion", "instructed", "", "信息获领导批示", D(10), ITEM, None, ROLE, D(4)),
    ("instruction", "", "", "履职成果获领导批示", D(10), ITEM, None, FULL, None),
    # Speeches, activities, supervision, reception rooms, study.
    ("speech", "submitted", "", "提交大会发言", D(5), ITEM, None, FULL, None),
    ("speech", "oral", "", "大会口头发言", D(10), ITEM, None, FULL, None),
    ("speech", "written", "", "书面发言", D(3), ITEM, None, FULL, None),
    ("inspection", "", "", "参加视察", D(3), TIME, D(15), FULL, None),
    ("research", "participant", "", "参加调研", D(3), TIME, D(15), FULL, None),
    ("research", "report", "", "执笔调研报告", D(10), ITEM, None, DIVIDE, None),
    ("activity_report", "", "", "执笔视察或活动报告", D(6), ITEM, None, DIVIDE, None),
    ("supervision", "", "", "参加民主监督", D(3), TIME, D(15), FULL, None),
    ("consultation", "", "", "参加协商活动", D(3), TIME, D(15), FULL, None),
    ("reception", "", "", "委员之家值班接待", D(1), HALF_DAY, D(12), FULL, None),
    ("study", "", "", "参加学习培训", D(1), HALF_DAY, D(10), FULL, None),
    ("archive", "contributed", "", "提供文史资料", D(2), ITEM, D(10), FULL, None),
    ("archive", "published", "", "文史资料入编出版", D(5), ITEM, None, FULL, None),
    ("activity", "", "", "参加其他履职活动", D(2), TIME, D(10), FULL, None),
]  # fmt: skip

EXIT_RULES = [
    # (kind, meeting category, scope, count)
    (ExitRuleKind.ABSENCES, "plenary", ExitScope.CONSECUTIVE, 2),
    (ExitRuleKind.ABSENCES, "plenary", ExitScope.TERM, 3),
    (ExitRuleKind.ABSENCES, "standing", ExitScope.CONSECUTIVE, 3),
    (ExitRuleKind.LOW_SCORE, "", ExitScope.CONSECUTIVE, 2),
]
