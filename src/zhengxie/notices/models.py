from django.db import models  # noqa: F401  (models are added by the app's first change)
