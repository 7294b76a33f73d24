"""The advocacy brief of a year, as a page and as a PDF (see needs/brief.py).

Both take the gap page's query string (?year=, ?version= and the series
filters) and ?lang=en|ar|fr, which overrides the active language. They show
what the gap page shows the same visitor: public versions for anonymous
visitors, and 404 for an as-of version they may not see.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from resettle.needs import brief
from resettle.needs.views import resolve_gap_request


def _query(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def _private(response: HttpResponse) -> HttpResponse:
    # A signed-in visitor's brief may hold private figures; the language may come
    # from the cookie.
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@require_GET
def brief_page(request: HttpRequest) -> HttpResponse:
    """The brief as a standalone, print-friendly page, with a link to its PDF."""
    lang = brief.brief_language(request.GET.get("lang"))
    ctx = resolve_gap_request(request)
    year = str(ctx["year"])
    names = dict(settings.LANGUAGES)
    native = {"en": "English", "ar": "العربية", "fr": "Français"}
    extra = {
        "pdf_url": reverse("needs:brief_pdf") + "?" + _query(request, year=year, lang=lang),
        "gap_url": reverse("needs:gap") + "?" + _query(request, year=year),
        "language_links": [
            {
                "code": code,
                "name": native.get(code, str(names[code])),
                "url": reverse("needs:brief") + "?" + _query(request, year=year, lang=code),
                "current": code == lang,
            }
            for code in brief.LANGUAGES
        ],
    }
    html = brief.build_brief(
        ctx["sources"], ctx["year"], lang, as_of=ctx["as_of"], extra=extra, request=request
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Language"] = lang
    return _private(response)


@require_GET
def brief_pdf(request: HttpRequest) -> HttpResponse:
    """The brief as a PDF (A4), shown in the browser, named after its year and language."""
    lang = brief.brief_language(request.GET.get("lang"))
    ctx = resolve_gap_request(request)
    pdf = brief.build_brief(ctx["sources"], ctx["year"], lang, as_of=ctx["as_of"], pdf=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-v{ctx['as_of'].pk}" if ctx["as_of"] else ""
    filename = f"resettle-brief-{ctx['year']}-{lang}{suffix}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = lang
    return _private(response)
