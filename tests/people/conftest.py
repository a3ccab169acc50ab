import pytest

from people.models import Person


@pytest.fixture
def assert_paths_match_managers(db):
    """A check that every stored management path is the chain of line managers above the
    person, from the top of the tree down."""

    def check():
        people = {p.pk: p for p in Person.objects.all()}
        for person in people.values():
            chain = [person.pk]
            node = person
            while node.line_manager_id is not None:
                node = people[node.line_manager_id]
                chain.append(node.pk)
            expected = "/" + "/".join(str(pk) for pk in reversed(chain)) + "/"
            assert person.management_path == expected, person

    return check
