"""``zhengxie report annual|term``: the figures of a committee's work report, written as JSON
(``reports.figures.report_json``) or as an editable draft in prose (Markdown or .docx, made by
``reports.drafts``).

    zhengxie report annual --committee CODE --year Y [--aggregate] --format json|md|docx -o FILE
    zhengxie report annual --committee CODE --session N [--term T] --format ... -o FILE
    zhengxie report term --committee CODE --term N --format ... -o FILE

``--term`` is the term's number (届次, e.g. 10 for 第十届); ``--session`` the session's number
within that term (default: the committee's latest term). JSON and Markdown go to standard output
when ``-o`` is omitted; a .docx needs ``-o``.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.core.scoping import scope, scopes_disabled
from zhengxie.organisation.models import Committee, Session, Term
from zhengxie.reports.figures import committee_report, report_json

FORMATS = ("json", "md", "docx")


class Command(BaseCommand):
    help = "输出委员会工作报告的统计数据(JSON)或文字稿(Markdown、Word)。"

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, title="报告类型")
        annual = kinds.add_parser("annual", help="年度(或一次会议期间)的常委会工作报告数据")
        term = kinds.add_parser("term", help="届工作报告数据")
        for sub in (annual, term):
            sub.add_argument("--committee", required=True, help="委员会代码")
            sub.add_argument("--format", choices=FORMATS, default="json", help="输出格式")
            sub.add_argument("-o", "--output", help="输出文件(docx 必须指定)")
        annual.add_argument("--year", type=int, help="年度")
        annual.add_argument("--session", type=int, help="会议次数(该届第几次全体会议)")
        annual.add_argument("--term", type=int, help="--session 所属的届次(默认最近一届)")
        annual.add_argument(
            "--aggregate", action="store_true", help="本会及全部下级政协汇总(仅限按年度)"
        )
        annual.add_argument(
            "--proposals",
            action="store_true",
            help="输出提案工作情况报告的文字稿(仅 md、docx)",
        )
        term.add_argument("--term", type=int, required=True, help="届次,如 10 表示第十届")

    def handle(self, *args, kind, committee, format, output, **options):
        if format == "docx" and not output:
            raise CommandError("输出 Word 文档时必须用 -o 指定输出文件。")
        with scopes_disabled():
            target = Committee.objects.filter(code=committee).first()
        if target is None:
            raise CommandError(f"找不到代码为“{committee}”的委员会。")
        period = self._period(target, kind, options)
        try:
            report = committee_report(
                committee=target, aggregate=options.get("aggregate", False), **period
            )
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from exc
        except Http404 as exc:
            raise CommandError("找不到指定的会议或届。") from exc
        draft_kind = "proposals" if options.get("proposals") else kind
        content = self._render(report, format, draft_kind)
        if output:
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
                f.write(content)
            self.stdout.write(f"已写入 {output}")
        else:
            self.stdout.write(content)

    def _period(self, committee, kind, options):
        year, session, term = options.get("year"), options.get("session"), options.get("term")
        with scope(committee=committee):
            if kind == "term":
                return {"term": self._term(committee, term)}
            if (year is None) == (session is None):
                raise CommandError("请指定 --year 或 --session 其中之一。")
            if year is not None:
                if not MIN_YEAR <= year <= MAX_YEAR:
                    raise CommandError(f"年度应在 {MIN_YEAR} 至 {MAX_YEAR} 之间。")
                return {"year": year}
            if options.get("aggregate"):
                raise CommandError("汇总统计只能按年度进行,不能按会议汇总。")
            the_term = self._term(committee, term) if term is not None else Term.objects.first()
            found = Session.objects.filter(term=the_term, number=session).first()
            if the_term is None or found is None:
                raise CommandError(f"找不到{committee.short_name}的第{session}次会议。")
            return {"session": found}

    def _term(self, committee, number):
        found = Term.objects.filter(number=number).first()
        if found is None:
            raise CommandError(f"找不到{committee.short_name}的第{number}届。")
        return found

    def _render(self, report, format, kind):
        if format == "json":
            return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
        try:
            from zhengxie.reports import drafts

            render = drafts.draft_markdown if format == "md" else drafts.draft_docx
        except (ImportError, AttributeError) as exc:
            raise CommandError("文字稿(md、docx)生成功能尚未提供,请使用 --format json。") from exc
        return render(report, kind)
