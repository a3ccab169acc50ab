import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from people import importer
from people.importer import ImportFailed, staff_import
from people.models import Person
from tests.factories import DepartmentFactory, PersonFactory, UserFactory, make_framework

pytestmark = pytest.mark.django_db

HEADER = ",".join(importer.HEADER)


@pytest.fixture
def setup():
    department = DepartmentFactory(name="Department for Work and Pensions", acronym="DWP")
    DepartmentFactory(name="Home Office", acronym="HO")
    profession, _ = make_framework(levels=2, skills=1)
    profession.name = "Operations"
    profession.slug = "operations"
    profession.save()
    levels = list(profession.levels.order_by("rank"))
    levels[0].name, levels[0].slug = "Team leader", "team-leader"
    levels[0].save()
    return department, profession, levels


def csv_text(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def csv_lines(*rows, header=HEADER):
    return io.StringIO(csv_text(*rows, header=header))


GOOD = [
    "S1,Ada Top,ada@example.gov.uk,DWP,operations,team-leader,G6,",
    "S2,Bo Middle,Bo@Example.gov.uk,Department for Work and Pensions,Operations,Team leader,g7,S1",
    "S3,Cy Bottom,cy@example.gov.uk,home office,,,EO,S2",
]


def snapshot():
    return list(
        Person.objects.order_by("staff_number").values_list(
            "staff_number", "name", "email", "grade", "line_manager_id", "is_active"
        )
    )


def test_inserts_with_paths_and_lookups(setup):
    *_, levels = setup
    result = staff_import(lines=csv_lines(*GOOD))
    assert (result.created, result.updated, result.deactivated) == (3, 0, 0)
    s1, s2, s3 = Person.objects.order_by("staff_number")
    assert s2.email == "bo@example.gov.uk"
    assert s2.grade == "G7"
    assert s2.role_level == levels[0]
    assert s3.profession is None
    assert s3.department.acronym == "HO"
    assert s1.management_path == f"/{s1.pk}/"
    assert s3.management_path == f"/{s1.pk}/{s2.pk}/{s3.pk}/"


def test_manager_later_in_the_file_is_fine(setup):
    staff_import(lines=csv_lines(GOOD[2], GOOD[1], GOOD[0]))
    s3 = Person.objects.get(staff_number="S3")
    assert s3.line_manager.staff_number == "S2"
    assert s3.management_path.count("/") == 4


def test_update_deactivate_and_summary(setup):
    staff_import(lines=csv_lines(*GOOD))
    leaver_user = UserFactory(email="leaver@example.gov.uk")
    leaver = PersonFactory(user=leaver_user, email="leaver@example.gov.uk", staff_number="S9")
    newcomer_account = UserFactory(email="dee@example.gov.uk")
    rows = [
        GOOD[0],
        "S2,Bo Renamed,bo@example.gov.uk,DWP,operations,team-leader,G7,S1",
        "S3,Cy Bottom,cy@example.gov.uk,HO,,,EO,S1",
        "S4,Dee New,dee@example.gov.uk,HO,,,AO,S3",
    ]
    out, err = io.StringIO(), io.StringIO()
    path = _write(rows)
    call_command("import_staff", path, "--deactivate-missing", stdout=out, stderr=err)
    assert "Created: 1, updated: 2, unchanged: 1, deactivated: 1" in out.getvalue()
    assert Person.objects.get(staff_number="S2").name == "Bo Renamed"
    leaver.refresh_from_db()
    leaver_user.refresh_from_db()
    assert not leaver.is_active
    assert not leaver_user.is_active
    s1 = Person.objects.get(staff_number="S1")
    s3 = Person.objects.get(staff_number="S3")
    s4 = Person.objects.get(staff_number="S4")
    assert s3.management_path == f"/{s1.pk}/{s3.pk}/"
    assert s4.management_path == f"/{s1.pk}/{s3.pk}/{s4.pk}/"
    assert s4.user == newcomer_account


def test_without_deactivate_missing_leavers_stay_active(setup):
    leaver = PersonFactory(staff_number="S9")
    result = staff_import(lines=csv_lines(*GOOD))
    leaver.refresh_from_db()
    assert leaver.is_active
    assert result.deactivated == 0


def test_same_file_twice_changes_nothing(setup):
    staff_import(lines=csv_lines(*GOOD))
    before = snapshot()
    result = staff_import(lines=csv_lines(*GOOD))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before


def _write(rows, header=HEADER):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as handle:
        handle.write(csv_text(*rows, header=header))
    return handle.name


def assert_refused(rows, expected, header=HEADER):
    """The import refuses the file, reporting `expected` (as users read it), and changes nothing.
    Returns the problems found."""
    existing = PersonFactory(staff_number="E1", email="existing@example.gov.uk")
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        staff_import(lines=csv_lines(*rows, header=header), deactivate_missing=True)
    problems = failure.value.errors
    assert expected in [str(problem) for problem in problems], problems
    assert snapshot() == before
    existing.refresh_from_db()
    assert existing.is_active
    return problems


def messages(problems):
    return [str(problem) for problem in problems]


def test_wrong_header(setup):
    assert_refused(GOOD, importer.WRONG_HEADER, header="staff,name,email")


def test_unknown_department(setup):
    rows = [*GOOD, "S4,Dee,dee@example.gov.uk,Ministry of Magic,,,EO,S1"]
    assert_refused(rows, importer.UNKNOWN_DEPARTMENT.format(row=5, value="Ministry of Magic"))


def test_unknown_profession(setup):
    rows = [*GOOD, "S4,Dee,dee@example.gov.uk,DWP,Wizardry,,EO,S1"]
    assert_refused(rows, importer.UNKNOWN_PROFESSION.format(row=5, value="Wizardry"))


def test_unknown_level(setup):
    rows = ["S4,Dee,dee@example.gov.uk,DWP,operations,archmage,EO,", *GOOD]
    expected = importer.UNKNOWN_LEVEL.format(row=2, value="archmage", profession="Operations")
    assert_refused(rows, expected)


def test_unknown_grade(setup):
    rows = [*GOOD[:2], "S3,Cy,cy@example.gov.uk,HO,,,G9,S2"]
    expected = importer.UNKNOWN_GRADE.format(
        row=4, value="G9", grades="AA, AO, EO, HEO, SEO, G7, G6, SCS"
    )
    assert_refused(rows, expected)


def test_bad_email(setup):
    rows = [*GOOD, "S4,Dee,not-an-email,DWP,,,EO,S1"]
    assert_refused(rows, importer.BAD_EMAIL.format(row=5, value="not-an-email"))


def test_duplicate_email_in_file(setup):
    rows = [*GOOD, "S4,Dee,ADA@example.gov.uk,DWP,,,EO,S1"]
    expected = importer.DUPLICATE_EMAIL.format(row=5, value="ada@example.gov.uk", other=2)
    assert_refused(rows, expected)


def test_email_of_another_existing_person(setup):
    rows = [*GOOD, "S4,Dee,existing@example.gov.uk,DWP,,,EO,S1"]
    expected = importer.EMAIL_TAKEN.format(row=5, value="existing@example.gov.uk", other="E1")
    assert_refused(rows, expected)


def test_duplicate_staff_number(setup):
    rows = [*GOOD, "S2,Dee,dee@example.gov.uk,DWP,,,EO,S1"]
    assert_refused(rows, importer.DUPLICATE_STAFF_NUMBER.format(row=5, value="S2", other=3))


def test_manager_missing(setup):
    rows = [*GOOD, "S4,Dee,dee@example.gov.uk,DWP,,,EO,S404"]
    assert_refused(rows, importer.MANAGER_MISSING.format(row=5, value="S404"))


def test_line_management_loop(setup):
    rows = [
        GOOD[0],
        "S2,Bo,bo@example.gov.uk,DWP,,,EO,S3",
        "S3,Cy,cy@example.gov.uk,DWP,,,EO,S2",
        "S4,Dee,dee@example.gov.uk,DWP,,,EO,S4",
        "S5,Eve,eve@example.gov.uk,DWP,,,EO,S3",
    ]
    problems = assert_refused(rows, importer.MANAGER_LOOP.format(row=3, value="S2"))
    errors = messages(problems)
    assert importer.MANAGER_LOOP.format(row=4, value="S3") in errors
    assert importer.MANAGER_LOOP.format(row=5, value="S4") in errors
    # Someone merely below a loop is not reported as being in one.
    assert not any(error.startswith("Row 6:") for error in errors)
    assert not any(problem.row == 6 for problem in problems)


def test_loop_through_someone_not_in_the_file(setup):
    staff_import(lines=csv_lines(*GOOD))
    # S1 now reports to S3, who reports (in the database) to S2, who reports to S1.
    rows = ["S1,Ada Top,ada@example.gov.uk,DWP,,,G6,S3"]
    assert_refused(rows, importer.MANAGER_LOOP.format(row=2, value="S1"))


def test_every_problem_reported_at_once(setup):
    rows = [
        "S1,Ada,bad,Nowhere,,,ZZ,S404",
        "S1,,ada@example.gov.uk,DWP,,,EO,",
        "too,few,columns",
    ]
    problems = assert_refused(rows, importer.BAD_EMAIL.format(row=2, value="bad"))
    errors = messages(problems)
    assert importer.UNKNOWN_DEPARTMENT.format(row=2, value="Nowhere") in errors
    assert importer.MANAGER_MISSING.format(row=2, value="S404") in errors
    assert importer.DUPLICATE_STAFF_NUMBER.format(row=3, value="S1", other=2) in errors
    assert importer.MISSING_NAME.format(row=3) in errors
    assert importer.WRONG_COLUMN_COUNT.format(row=4, expected=8, found=3) in errors
    assert [int(e.split(":")[0][4:]) for e in errors] == sorted(
        int(e.split(":")[0][4:]) for e in errors
    )
    assert [int(e.split(":")[0][4:]) for e in errors] == [problem.row for problem in problems]


def test_problems_are_ordered_by_row_then_column(setup):
    rows = [
        # Rows 2 and 3 manage each other: found only once the whole file has been read.
        "S1,Ada,ada@example.gov.uk,DWP,,,G6,S3",
        "S3,Cy,cy@example.gov.uk,DWP,,,EO,S1",
        # Row 4 has a problem in nearly every column; the email clash is found after the row.
        "S4,,existing@example.gov.uk,Nowhere,Wizardry,,ZZ,S404",
    ]
    problems = assert_refused(rows, importer.MISSING_NAME.format(row=4))
    assert [(problem.row, problem.column) for problem in problems] == [
        (2, "line_manager_staff_number"),
        (3, "line_manager_staff_number"),
        (4, "name"),
        (4, "email"),
        (4, "department"),
        (4, "profession"),
        (4, "grade"),
        (4, "line_manager_staff_number"),
    ]
    assert messages(problems) == [
        importer.MANAGER_LOOP.format(row=2, value="S1"),
        importer.MANAGER_LOOP.format(row=3, value="S3"),
        importer.MISSING_NAME.format(row=4),
        importer.EMAIL_TAKEN.format(row=4, value="existing@example.gov.uk", other="E1"),
        importer.UNKNOWN_DEPARTMENT.format(row=4, value="Nowhere"),
        importer.UNKNOWN_PROFESSION.format(row=4, value="Wizardry"),
        importer.UNKNOWN_GRADE.format(
            row=4, value="ZZ", grades="AA, AO, EO, HEO, SEO, G7, G6, SCS"
        ),
        importer.MANAGER_MISSING.format(row=4, value="S404"),
    ]


def test_a_problem_with_the_whole_file_has_no_row(setup):
    problems = assert_refused([], importer.EMPTY_FILE)
    assert [(problem.row, problem.column) for problem in problems] == [(None, None)]


def test_a_wrong_header_is_on_row_1(setup):
    problems = assert_refused(GOOD, importer.WRONG_HEADER, header="staff,name,email")
    assert [(problem.row, problem.column) for problem in problems] == [(1, None)]


def test_command_reports_problems_and_changes_nothing(setup):
    path = _write([*GOOD, "S4,Dee,dee@example.gov.uk,Nowhere,,,EO,S1"])
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_staff", path, stdout=io.StringIO(), stderr=err)
    assert 'Row 5: unknown department "Nowhere"' in err.getvalue()
    assert Person.objects.count() == 0


def test_command_shows_progress(setup, monkeypatch):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    err = io.StringIO()
    call_command("import_staff", _write(GOOD), stdout=io.StringIO(), stderr=err)
    assert "Checked: 2 of 3 rows" in err.getvalue()
    assert "Created 3 people" in err.getvalue()


def test_two_people_can_swap_email_addresses(setup):
    staff_import(lines=csv_lines(*GOOD))
    rows = [
        "S1,Ada Top,cy@example.gov.uk,DWP,operations,team-leader,G6,",
        GOOD[1],
        "S3,Cy Bottom,ada@example.gov.uk,HO,,,EO,S2",
    ]
    result = staff_import(lines=csv_lines(*rows))
    assert result.updated == 2
    assert Person.objects.get(staff_number="S1").email == "cy@example.gov.uk"
    assert Person.objects.get(staff_number="S3").email == "ada@example.gov.uk"


def test_a_leaver_who_returns_can_sign_in_again(setup):
    staff_import(lines=csv_lines(*GOOD))
    account = UserFactory(email="cy@example.gov.uk")
    staff_import(lines=csv_lines(*GOOD))  # links the account by email
    staff_import(lines=csv_lines(*GOOD[:2]), deactivate_missing=True)
    account.refresh_from_db()
    assert not account.is_active
    result = staff_import(lines=csv_lines(*GOOD))
    assert result.updated == 1
    account.refresh_from_db()
    assert account.is_active
    assert Person.objects.get(staff_number="S3").is_active


def test_a_nul_character_in_a_row_is_a_problem_and_nothing_changes():
    DepartmentFactory(name="Ministry of Justice", acronym="MoJ")
    bad = GOOD[0].replace(",", "\x00,", 1)

    with pytest.raises(ImportFailed) as failed:
        staff_import(lines=csv_lines(bad))

    assert [str(problem) for problem in failed.value.errors] == [
        importer.NUL_CHARACTER.format(row=2, field="staff_number")
    ]
    assert Person.objects.count() == 0
