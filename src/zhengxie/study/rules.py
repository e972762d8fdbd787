"""Who may do what with the study app (django-rules)."""

import rules  # noqa: F401  (permissions are added with the pages)
