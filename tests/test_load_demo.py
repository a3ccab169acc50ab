import pytest
from django.core.management import CommandError, call_command

from accounts.models import User


@pytest.mark.django_db
def test_it_loads_the_demo_admin_and_prints_the_sign_ins(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo")
    call_command("load_demo")  # idempotent

    out = capsys.readouterr().out
    admin = User.objects.get(email="admin@example.gov.uk")
    assert admin.is_superuser
    assert admin.check_password("careerpath-demo")
    assert User.objects.filter(email="admin@example.gov.uk").count() == 1
    assert "admin@example.gov.uk" in out
    assert "careerpath-demo" in out


@pytest.mark.django_db
def test_it_refuses_when_debug_is_off_unless_asked(settings):
    settings.DEBUG = False
    settings.ALLOW_DEMO_DATA = False

    with pytest.raises(CommandError, match="Demo data is not loaded when DEBUG is off"):
        call_command("load_demo")

    assert not User.objects.exists()
    call_command("load_demo", allow_demo_data=True)
    assert User.objects.filter(email="admin@example.gov.uk").exists()
