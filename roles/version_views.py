"""Open data exports (JSON, CSV), the change log and earlier versions of a profession.

All public. Every response reads published versions only, never the working copy.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from careerpath.public_cache import cached_public_page
from careerpath.views import public

from . import opendata
from .diff import snapshot_diff
from .forms import CompareVersionsForm
from .models import FrameworkVersion, Profession
from .selectors import version_framework_or_404


def _version_or_404(request, profession_slug):
    """The version asked for with ?version=N, or the latest: one query."""
    versions = FrameworkVersion.objects.select_related("profession").filter(
        profession__slug=profession_slug
    )
    number = request.GET.get("version")
    if number is not None:
        # "²".isdigit() is True; and a number past the column's range is no version either.
        if not (number.isascii() and number.isdigit() and len(number) <= 9):
            raise Http404("No such version")
        version = versions.filter(number=int(number)).first()
    else:
        version = versions.order_by("-number").first()
    if version is None:
        raise Http404("No such version")
    return version


def _attachment_headers(response, version, extension, table=opendata.MATRIX):
    name = opendata.filename(version, extension, table)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@public
@cached_public_page
def framework_json(request, profession):
    version = _version_or_404(request, profession)
    body = json.dumps(opendata.json_document(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment_headers(response, version, "json")


@public
@cached_public_page
def framework_csv(request, profession):
    """The skills matrix, or with ?table=qualifications the levels' qualifications."""
    table = request.GET.get("table", opendata.MATRIX)
    if table not in opendata.CSV_TABLES:
        raise Http404("No such table")
    version = _version_or_404(request, profession)
    response = HttpResponse(
        opendata.csv_text(version.content, table), content_type="text/csv; charset=utf-8"
    )
    return _attachment_headers(response, version, "csv", table)


def _publisher_name(version):
    user = version.published_by
    if user is None:
        return ""
    return user.get_full_name()


@public
@cached_public_page
def changelog(request, profession):
    profession = get_object_or_404(Profession, slug=profession)
    versions = list(
        FrameworkVersion.objects.filter(profession=profession)
        .select_related("published_by")
        .order_by("number")
    )
    if not versions:
        raise Http404("No published framework for this profession")
    entries = []
    previous = None
    for version in versions:
        entries.append(
            {
                "number": version.number,
                "published_at": version.published_at,
                "published_by": _publisher_name(version),
                "change_note": version.change_note,
                "diff": snapshot_diff(previous, version.content),
            }
        )
        previous = version.content
    entries.reverse()
    return render(
        request,
        "roles/versions/changelog.html",
        {"profession": profession, "entries": entries, "latest": entries[0]["number"]},
    )


@public
@cached_public_page
def version(request, profession, number):
    framework = version_framework_or_404(profession, number)
    versions = FrameworkVersion.objects.filter(profession__slug=profession)
    this = versions.values("number", "published_at", "change_note").get(number=number)
    latest = versions.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "roles/versions/version.html",
        {
            "framework": framework,
            "version": this,
            "latest": latest,
            "is_latest": number == latest,
        },
    )


@public
@cached_public_page
def compare_versions(request, profession):
    """Any two published versions side by side: what changed from one to the other. A GET form
    (two selects); a number that is not one of the versions is a form error, never a 500.
    Three queries whatever the number of versions."""
    profession = get_object_or_404(Profession, slug=profession)
    versions = list(
        FrameworkVersion.objects.filter(profession=profession)
        .order_by("number")
        .values_list("number", "published_at")
    )
    if not versions:
        raise Http404("No published framework for this profession")
    data = request.GET if ("from" in request.GET or "to" in request.GET) else None
    if data is None and len(versions) > 1:
        # First visit: the latest version against the one before it.
        data = {"from": str(versions[-2][0]), "to": str(versions[-1][0])}
    form = CompareVersionsForm(data, versions=versions)
    diff = None
    if data is not None and form.is_valid():
        older, newer = form.cleaned_data["from"], form.cleaned_data["to"]
        contents = dict(
            FrameworkVersion.objects.filter(
                profession=profession, number__in=[older, newer]
            ).values_list("number", "content")
        )
        diff = snapshot_diff(contents[older], contents[newer])
    return render(
        request,
        "roles/versions/compare.html",
        {
            "profession": profession,
            "form": form if len(versions) > 1 else None,
            "diff": diff,
            "compared": (form.cleaned_data["from"], form.cleaned_data["to"]) if diff else None,
        },
    )
