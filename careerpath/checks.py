"""Deploy checks of our own (`manage.py check --deploy`): production must not run with what only
works in one process or on a developer's machine."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Each worker process would keep its own counts (rate limits, the set-up email throttle) and
# sessions kept in the cache would not be seen by the other workers.
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    }
)
# Email that never leaves the machine: set-up links would reach nobody.
LOCAL_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    }
)


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_and_real_email(app_configs, **kwargs):
    return deploy_problems(
        debug=settings.DEBUG,
        cache_backend=settings.CACHES.get("default", {}).get("BACKEND", ""),
        email_backend=settings.EMAIL_BACKEND,
    )


def deploy_problems(*, debug: bool, cache_backend: str, email_backend: str) -> list[Error]:
    if debug:
        return []
    problems = []
    if cache_backend in PER_PROCESS_CACHES:
        problems.append(
            Error(
                f"The default cache is {cache_backend.rsplit('.', 1)[-1]}, which each worker "
                "process keeps for itself: sign-in rate limits and the set-up email throttle "
                "would not be shared.",
                hint="Set CACHE_URL to a shared cache, for example redis://host:6379/0.",
                id="careerpath.E001",
            )
        )
    if email_backend in LOCAL_EMAIL_BACKENDS:
        problems.append(
            Error(
                f"Email goes to {email_backend.rsplit('.', 2)[-2]}, not a mail server: "
                "account set-up links would reach nobody.",
                hint="Set EMAIL_URL to an SMTP server, for example smtp+tls://user@host:587.",
                id="careerpath.E002",
            )
        )
    return problems
