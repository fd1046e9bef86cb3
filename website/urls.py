from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .sitemaps import BilingualSitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": BilingualSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# English at the root, Hindi under /hi/. Wagtail's page routes come last: they catch everything.
urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("certificates/verify/", views.verify_certificate, name="certificate_verify"),
    path("certificates/verify/<str:code>/", views.verify_certificate, name="certificate_verify_code"),
    path("employers/", include("placements.portal_urls")),
    path("vacancies/", include("placements.board_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
