from django.urls import path

from zhengxie.organisation import views

app_name = "organisation"

urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/export/", views.directory_export, name="directory_export"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/status/", views.member_status, name="member_status"),
    path("members/<int:pk>/positions/", views.position_add, name="position_add"),
    path(
        "members/<int:pk>/positions/<int:position_pk>/end/",
        views.position_end,
        name="position_end",
    ),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/template/", views.roster_template, name="roster_template"),
    path("structure/", views.structure, name="structure"),
    path("structure/<slug:kind>/new/", views.structure_create, name="structure_create"),
    path("structure/<slug:kind>/<int:pk>/edit/", views.structure_edit, name="structure_edit"),
    path("units/", views.units, name="units"),
]
