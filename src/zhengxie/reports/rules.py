"""Who may read the committee's figures and draft its reports (django-rules)."""

import rules

from zhengxie.core.rules import is_admin, is_chair, is_leader, is_staff

rules.add_perm("reports.view_dashboard", is_staff | is_chair | is_admin | is_leader)
rules.add_perm("reports.view_descendants", is_staff | is_chair | is_admin)
rules.add_perm("reports.draft_reports", is_staff | is_chair | is_admin)
rules.add_perm("reports.export", is_staff | is_chair | is_admin)
