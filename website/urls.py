from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import credential_views, health, views
from .api import api as certificate_api
from .sitemaps import BilingualSitemap

handler404 = "website.neutral.page_not_found"
handler500 = "website.neutral.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": BilingualSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/v1/", certificate_api.urls),
    path(".well-known/did.json", credential_views.did_document, name="credential_did_document"),
    path("credentials/status/<int:number>", credential_views.status_list, name="credential_status_list"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# English at the root, Hindi under /hi/. Wagtail's page routes come last: they catch everything.
urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("certificates/verify/", views.verify_certificate, name="certificate_verify"),
    # Before the code's path: "offline" is no verification code (they have no O or L).
    path(
        "certificates/verify/offline/", credential_views.offline_verifier, name="certificate_verify_offline"
    ),
    path("certificates/verify/<str:code>/", views.verify_certificate, name="certificate_verify_code"),
    path("employers/two-factor/", include("accounts.portal_urls")),
    path("employers/", include("placements.portal_urls")),
    path("vacancies/", include("placements.board_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
