"""URLs of the needs app: the gap, datasets and their imports."""

from resettle.needs.urls_gap import urlpatterns as gap_urlpatterns
from resettle.needs.urls_import import urlpatterns as import_urlpatterns

app_name = "needs"

urlpatterns = gap_urlpatterns + import_urlpatterns
