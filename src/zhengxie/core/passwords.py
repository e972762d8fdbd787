"""Password validators of our own where Django's message is not shown in Chinese.

Django 5.2 changed the minimum-length message ("at least %d characters") but its zh-hans
catalogue still translates the old wording, so the English text would reach users.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短,至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少包含 %(min_length)d 个字符。") % {"min_length": self.min_length}
