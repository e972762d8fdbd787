from django.conf import settings

from zhengxie.core.navigation import navigation_for


def platform(request):
    role = getattr(request, "active_role", None)
    unread = 0
    if request.user.is_authenticated:
        unread = request.user.notifications.filter(read_at__isnull=True).count()
    return {
        "active_role": role,
        "active_committee": getattr(request, "committee", None),
        "navigation": navigation_for(request),
        "unread_notifications": unread,
        "ZHENGXIE_DEMO": settings.ZHENGXIE_DEMO,
        "ZHENGXIE_VERSION": settings.VERSION,
    }
