from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhengxie.core.models import Role
from zhengxie.opinions import queries as opinion_queries
from zhengxie.organisation import queries as org_queries
from zhengxie.proposals import queries as proposal_queries


@login_required
def home(request):
    role = request.active_role
    context = {"role": role}
    if role is None:
        return render(request, "core/home_no_role.html", context)
    if request.user.has_perm("core.view_dashboard_figures"):
        context["roster"] = org_queries.roster_breakdown()
    if role.role == Role.MEMBER:
        context["my_memberships"] = org_queries.my_memberships(request.user)
    if role.role == Role.UNIT:
        context["unit"] = role.handling_unit
    if request.user.has_perm("proposals.list"):
        context["proposal_summary"] = proposal_queries.home_summary(request.user)
    if request.user.has_perm("opinions.list"):
        context["opinion_summary"] = opinion_queries.home_summary(request.user)
    context["recent_notifications"] = request.user.notifications.order_by("-created")[:5]
    return render(request, "core/home.html", context)
