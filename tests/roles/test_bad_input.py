"""Bad input to public framework pages is a 404 or 400, never a server error."""

import pytest

from tests.factories import make_framework

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("version", ["%C2%B2", "%D9%A3", "1.0", "-1", "99999999999999999999"])
@pytest.mark.parametrize("export", ["framework.json", "framework.csv"])
def test_a_version_that_is_not_a_plain_number_is_not_found(client, version, export):
    profession, _version = make_framework(levels=1, skills=1)

    response = client.get(f"/professions/{profession.slug}/{export}?version={version}")

    assert response.status_code == 404
