"""Views that belong to the service as a whole: home, health, accessibility and error pages."""

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from careerpath.public_cache import cached_public_page

logger = logging.getLogger(__name__)

# Views open to anyone are marked with this, so that "public" is a decision made in one
# visible place for each view (tests/test_url_access.py holds the list).
public = login_not_required


@public
@cached_public_page
def home(request):
    return render(request, "home.html")


@public
@cached_public_page
def accessibility(request):
    return render(request, "accessibility.html")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database did not answer")
        return False
    finally:
        connection.close()  # the check's own connection, opened in its own thread
    return True


@public
@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not or not within
    HEALTH_CHECK_TIMEOUT seconds (the check runs in a thread of its own, so a database that
    stops answering cannot hold the health check, and the load balancer, waiting)."""
    pool = ThreadPoolExecutor(max_workers=1)
    answer = pool.submit(_database_answers)
    try:
        up = answer.result(timeout=settings.HEALTH_CHECK_TIMEOUT)
    except FuturesTimeout:
        logger.error("Health check: database did not answer in time")
        up = False
    finally:
        pool.shutdown(wait=False)  # never wait for a check that hangs
    if not up:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Render without context processors: whatever broke may break them too.
    html = loader.get_template("errors/500.html").render({"request": request})
    return HttpResponse(html, status=500)


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)
