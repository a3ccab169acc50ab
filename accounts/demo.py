"""Demo accounts: the service administrator."""

from .models import User

ADMIN_EMAIL = "admin@example.gov.uk"
DEMO_PASSWORD = "careerpath-demo"  # noqa: S105 - published demo password, never for real data


def ensure_user(email, password, **fields):
    """Create or update a demo account so that its password and flags are as documented."""
    user, _ = User.objects.update_or_create(email=email, defaults=fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def load(*, password, stdout):
    ensure_user(
        ADMIN_EMAIL,
        password,
        first_name="Service",
        last_name="Administrator",
        is_staff=True,
        is_superuser=True,
    )
    return [(ADMIN_EMAIL, "service administrator (Django admin, staff import)")]
