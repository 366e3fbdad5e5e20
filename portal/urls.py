from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from portal import views
from trials import views as trials_views
from trials.machines.sitemaps import SITEMAPS


def password_reset_urls():
    """Django's own password-reset views, in the admin's look (its registration/ templates):
    the admin's login page shows "Forgotten your password?" when `admin_password_reset` exists,
    so they are there only when a mail server can send the link."""
    if not settings.PASSWORD_RESET_BY_EMAIL:
        return []
    admin_look = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
    base = settings.ADMIN_URL
    return [
        path(
            f"{base}password_reset/",
            auth_views.PasswordResetView.as_view(extra_context=admin_look),
            name="admin_password_reset",
        ),
        path(
            f"{base}password_reset/done/",
            auth_views.PasswordResetDoneView.as_view(extra_context=admin_look),
            name="password_reset_done",
        ),
        path(
            f"{base}reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(extra_context=admin_look),
            name="password_reset_confirm",
        ),
        path(
            f"{base}reset/done/",
            auth_views.PasswordResetCompleteView.as_view(extra_context=admin_look),
            name="password_reset_complete",
        ),
    ]


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # For crawlers, outside the language prefixes: the sitemap lists each page in every language.
    path("robots.txt", trials_views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    *password_reset_urls(),
    path(settings.ADMIN_URL, admin.site.urls),
    # The language switcher posts here: outside the language prefixes, as Django requires.
    path("i18n/setlang/", views.switch_language, name="set_language"),
    # The read-only JSON API (trials/api/), in English: outside the language prefixes.
    path("api/v1/", include("trials.api.urls")),
    # The public site in each language: /es/trials/..., /zh-hans/trials/...; English unprefixed,
    # so every address from before the translations still works.
    *i18n_patterns(path("", include("trials.urls")), prefix_default_language=False),
]

handler500 = "portal.views.server_error"
