"""The page flow every .xlsx import shares (roster, proposal history, opinion history)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from zhengxie.core.forms import attach_errors
from zhengxie.core.spreadsheets import SpreadsheetError


def import_page(request, *, form, template, read, write):
    """Check every row of the uploaded file (``read(upload)`` → SheetCheck); write only a clean
    file (``write(rows=…, filename=…, data=form.cleaned_data)`` → summary). The errors, or the
    summary, replace the result area (``template#result``) when the upload came through htmx."""
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check = read(upload)
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            if check.errors:
                context["errors"] = check.errors
            else:
                try:
                    context["summary"] = write(
                        rows=check.rows, filename=upload.name, data=form.cleaned_data
                    )
                except ValidationError as error:
                    attach_errors(form, error)
    return render(request, f"{template}#result" if request.htmx else template, context)
