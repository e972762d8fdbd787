"""The committee's proposal categories and their 民生 grouping (what statistics group by)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from zhengxie.proposals import forms, services
from zhengxie.proposals.models import ProposalCategory


def _require(request):
    if not request.user.has_perm("proposals.manage_categories"):
        raise PermissionDenied


@login_required
def category_list(request, pk=None):
    _require(request)
    category = get_object_or_404(ProposalCategory, pk=pk) if pk else None
    form = forms.CategoryForm(request.POST or None, instance=category, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(
                actor=request.user,
                committee=request.committee,
                data=form.cleaned_data,
                category=category,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("提案类别已保存。"))
            return redirect("proposals:categories")
    categories = ProposalCategory.objects.annotate(n=Count("proposal")).order_by("position", "pk")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "proposals/categories.html",
        {"categories": categories, "form": form, "editing": category},
        status=status,
    )


urlpatterns = [
    path("categories/", category_list, name="categories"),
    path("categories/<int:pk>/", category_list, name="category_edit"),
]
