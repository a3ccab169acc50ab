"""Demo frameworks: Product management and Operations, each published as version 1, and their
demo heads of profession. Idempotent: a profession that already has a published version is left
as it is (its head may have edited the working copy since), apart from its head's account.

The expected proficiencies come from the CSV matrices in roles/demo_data/; the words are ours.
Every Operations level and most Product management levels list accredited qualifications,
published in version 1 with the rest.
"""

import csv
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import ensure_user

from .importer import framework_import, same_slug
from .models import FrameworkVersion, PrioritySkill, Profession, Skill
from .services import framework_publish, head_of_profession_appoint
from .snapshot import FORMAT

DATA = Path(__file__).resolve().parent / "demo_data"
CHANGE_NOTE = "First published version of the framework."

# --- skills: what each proficiency looks like (A, W, P, E), in our own words ------------------
SKILLS = {
    "Agile working": (
        "Works in short cycles with a team and uses its iterative habits to deliver a product.",
        (
            "Knows why teams deliver in small steps and can take part in a sprint's rituals.",
            "Plans and runs work in iterations, adjusting the plan as the team learns.",
            "Chooses and adapts agile methods to suit a team and coaches others to use them.",
            "Shapes how a whole organisation delivers iteratively and removes what blocks it.",
        ),
    ),
    "DDaT perspective": (
        "Understands how digital, data and technology roles fit together in government.",
        (
            "Knows the main digital, data and technology roles and what each brings to a team.",
            "Works closely with each role in a team and understands the constraints they face.",
            "Builds teams with the right mix of roles and helps them work as one.",
            "Shapes the profession across departments and how government builds its services.",
        ),
    ),
    "Experience of working within constraints": (
        "Makes good products within legal, policy, budget, technical and time limits.",
        (
            "Knows the kinds of limit a government product works within.",
            "Finds the constraints on a product early and plans the work around them.",
            "Negotiates constraints with policy, legal and finance colleagues to keep value.",
            "Changes the constraints themselves when they stop services meeting users' needs.",
        ),
    ),
    "Financial ownership": (
        "Manages a product's budget and shows the value it gives for the money spent.",
        (
            "Knows how a product is funded and what a business case is for.",
            "Tracks the costs of a product and reports them accurately.",
            "Owns a product's budget, writes business cases and makes trade-offs on cost.",
            "Sets spending priorities across a portfolio and argues for funding at board level.",
        ),
    ),
    "Life-cycle perspective": (
        "Knows what a product needs in discovery, alpha, beta and live, and when to move on.",
        (
            "Can name the phases of a service and what each one is meant to find out.",
            "Runs the work of a phase and knows what evidence is needed to move to the next.",
            "Leads products through every phase, including retiring them when the time comes.",
            "Decides how a portfolio of services moves through its life cycle as a whole.",
        ),
    ),
    "Operational management": (
        "Keeps a live product running well and improves it alongside the people who run it.",
        (
            "Knows that a live product needs support, monitoring and a way to handle incidents.",
            "Works with operations staff to plan releases and deal with problems in service.",
            "Runs a live service with its operational teams and improves it from what they see.",
            "Designs how many services are run and supported across an organisation.",
        ),
    ),
    "Problem ownership": (
        "Takes a problem from first report to a lasting fix, and owns the outcome.",
        (
            "Notices problems, reports them clearly and knows who can solve them.",
            "Investigates problems in their own work and sees them through to a fix.",
            "Owns difficult problems that cross teams, finding causes as well as fixes.",
            "Takes on an organisation's hardest problems and sets up the conditions to solve them.",
        ),
    ),
    "Product ownership": (
        "Sets a product's vision and roadmap and decides what the team works on next.",
        (
            "Knows what a product owner decides and why a product needs a single owner.",
            "Keeps a product's backlog in order and makes day-to-day priority calls.",
            "Owns the vision and roadmap of one or more products and answers for their results.",
            "Owns the product strategy of a whole organisation and the value it delivers.",
        ),
    ),
    "Strategic ownership": (
        "Links a product to the organisation's mission and keeps it pointing there.",
        (
            "Knows the strategy a product serves and can explain how it contributes.",
            "Breaks a strategy into clear, measurable goals for a product.",
            "Writes the strategy and value proposition for a group of related products.",
            "Sets strategy across an organisation and aligns it with ministers' priorities.",
        ),
    ),
    "User focus": (
        "Understands users and their needs, and puts them at the centre of decisions.",
        (
            "Knows why understanding users matters and who a service's users are.",
            "Uses research to understand users' needs and reflects them in everyday decisions.",
            "Leads work to meet users' needs, including people who find services hard to use.",
            "Champions users across an organisation and makes their needs drive its plans.",
        ),
    ),
    "Customer service": (
        "Deals with people fairly and helpfully, applying rules with their situation in mind.",
        (
            "Treats every customer with respect and knows where to find the right answer.",
            "Handles a wide range of enquiries and takes personal circumstances into account.",
            "Resolves complex or sensitive cases and helps colleagues to do the same.",
            "Sets service standards for large operations and makes sure they are kept.",
        ),
    ),
    "Commercial awareness": (
        "Gets value for money from suppliers and runs services in a business-like way.",
        (
            "Knows what the service costs and that money spent is public money.",
            "Works with suppliers day to day and checks that what was agreed is delivered.",
            "Manages contracts and supplier performance and spots chances to save money.",
            "Shapes commercial strategy and leads major contracts and supplier relationships.",
        ),
    ),
    "Digital service delivery": (
        "Serves people well online, by phone, face to face and on social media.",
        (
            "Knows the channels customers use and helps them move to online ones where it suits.",
            "Uses digital tools confidently and helps customers use them too.",
            "Improves how services work across channels, working with digital teams.",
            "Leads the move to services that work as one across every channel.",
        ),
    ),
    "Using data to make decisions": (
        "Turns performance and customer data into better decisions.",
        (
            "Knows which figures show how well the team is doing.",
            "Reads performance data and uses it to plan the team's work.",
            "Analyses data to find causes and tests whether changes worked.",
            "Builds a culture in which decisions at every level rest on good evidence.",
        ),
    ),
    "Leadership through change": (
        "Leads people through change so that services keep running while they improve.",
        (
            "Understands why change is happening and explains it to colleagues.",
            "Helps a team through a change, listening to concerns and keeping work going.",
            "Plans and leads change across several teams, measuring what it achieves.",
            "Leads large-scale change across an organisation and keeps people with it.",
        ),
    ),
    "Connections and communication": (
        "Builds relationships and communicates clearly with colleagues, partners and the public.",
        (
            "Communicates clearly and politely in writing and in person.",
            "Builds good working relationships in and beyond the team.",
            "Builds networks across departments and tailors messages to each audience.",
            "Represents the organisation to senior partners and the public with confidence.",
        ),
    ),
    "Operational leadership and management": (
        "Plans and manages people and resources so that operations meet their targets.",
        (
            "Knows the team's targets and how their own work contributes.",
            "Manages a team's work and people, dealing with performance day to day.",
            "Runs an operation of several teams, balancing demand, resources and quality.",
            "Leads large operations and the managers who run them.",
        ),
    ),
    "Adaptability to change": (
        "Stays effective when work, tools or priorities change, and helps others adapt.",
        (
            "Accepts new ways of working and learns new processes quickly.",
            "Adapts their work to change and helps colleagues settle into it.",
            "Anticipates change, prepares teams for it and adjusts plans quickly.",
            "Makes the organisation able to change quickly and confidently.",
        ),
    ),
}
PROFICIENCY_ORDER = ("awareness", "working", "practitioner", "expert")

EXAMPLE = "https://www.example.gov.uk/learning"
RESOURCES = {
    "Agile working": [
        ("Agile delivery in government", f"{EXAMPLE}/agile-delivery", "course", "working"),
    ],
    "Product ownership": [
        ("Introduction to product management", f"{EXAMPLE}/product-intro", "e-learning", ""),
        ("Product management community", f"{EXAMPLE}/product-community", "community", ""),
    ],
    "User focus": [
        ("Understanding user needs", f"{EXAMPLE}/user-needs", "e-learning", "awareness"),
    ],
    "Financial ownership": [
        ("Writing a business case", f"{EXAMPLE}/business-cases", "course", "practitioner"),
    ],
    "Customer service": [
        (
            "Level 2 customer service qualification",
            "https://www.cityandguilds.com/",
            "qualification",
            "working",
        ),
    ],
    "Operational leadership and management": [
        (
            "Level 3 award in first line management",
            "https://www.managers.org.uk/",
            "qualification",
            "working",
        ),
        (
            "Level 5 diploma in management and leadership",
            "https://www.managers.org.uk/",
            "qualification",
            "practitioner",
        ),
    ],
    "Leadership through change": [
        ("Leading people through change", f"{EXAMPLE}/leading-change", "course", "practitioner"),
    ],
    "Using data to make decisions": [
        ("Data for operational managers", f"{EXAMPLE}/data-for-managers", "e-learning", ""),
    ],
}
PROVIDERS = {
    "https://www.cityandguilds.com/": "City & Guilds",
    "https://www.managers.org.uk/": "Chartered Management Institute",
}

# --- accredited qualifications per level: (title, awarding body, web address, summary) ------
# Titles and awarding bodies are the qualifications' own; the summaries are ours.
CITY_AND_GUILDS = ("City & Guilds", "https://www.cityandguilds.com/")
CMI = ("Chartered Management Institute (CMI)", "https://www.managers.org.uk/")
BCS = ("BCS, The Chartered Institute for IT", "https://www.bcs.org/")
QUALIFICATIONS = {
    "Operations officer": [
        (
            "Level 2 Certificate in Customer Service",
            *CITY_AND_GUILDS,
            "Shows you can serve customers well in person, by phone and online, including "
            "when a case is difficult.",
        ),
    ],
    "Team leader": [
        (
            "Level 3 Award in Principles of Management and Leadership",
            *CMI,
            "A first management qualification: leading a team, organising its work and "
            "helping each person in it to improve.",
        ),
    ],
    "Operations manager": [
        (
            "Level 5 Certificate in Management and Leadership",
            *CMI,
            "For managers who lead other managers: planning resources, managing performance "
            "and improving how an operation works.",
        ),
    ],
    "Senior operations manager": [
        (
            "Level 7 Certificate in Strategic Management and Leadership",
            *CMI,
            "Setting direction for a large operation and leading it through change.",
        ),
    ],
    "Operations director": [
        (
            "Level 7 Diploma in Strategic Management and Leadership",
            *CMI,
            "The fuller strategic qualification: organisational strategy, leading change "
            "across an organisation and working with partners.",
        ),
    ],
    "Associate product manager": [
        (
            "BCS Foundation Certificate in Business Analysis",
            *BCS,
            "The basics of finding out what a service needs to do and making the case for it.",
        ),
    ],
    "Product manager": [
        (
            "BCS Foundation Certificate in Agile",
            *BCS,
            "How agile teams plan and deliver in short cycles, and the product owner's part in it.",
        ),
    ],
    "Senior product manager": [
        (
            "BCS Practitioner Certificate in Benefits Management and Business Acceptance",
            *BCS,
            "Planning, measuring and proving the value that changes to a service bring.",
        ),
    ],
}

PROFESSIONS = [
    {
        "name": "Product management",
        "slug": "product-management",
        "summary": (
            "Product managers decide what a service should do for its users and for the "
            "department, and lead teams to deliver it."
        ),
        "matrix": "product-management.csv",
        "head": ("head.product@example.gov.uk", "Priya", "Shah"),
        "levels": [
            (
                "Associate product manager",
                "Learns the job on a development programme, alongside experienced product people.",
                "Starts with product tactics, turning a strategy into specific, measurable goals, "
                "then learns product strategy: the value proposition, business model, vision "
                "and roadmap.",
                ["HEO", "SEO"],
                "12 to 24 months",
            ),
            (
                "Product manager",
                "Leads the strategy and tactics of one product.",
                "Owns one product end to end, such as a service to apply for a licence or to "
                "check eligibility for support, and decides what its team builds next.",
                ["SEO", "G7"],
                "2 to 3 years",
            ),
            (
                "Senior product manager",
                "Runs two or three related products and brings them under one strategy.",
                "Stays hands-on with a small group of products while growing a single strategy "
                "and value proposition for the group. May be supported by product managers, "
                "coaches others and works with management teams.",
                ["G7"],
                "2 to 4 years",
            ),
            (
                "Lead product manager",
                "The product manager for a management team, leading strategy for a business unit.",
                "Owns two or more groups of products, usually through a senior product manager "
                "for each, answers for the performance of the unit's product managers and often "
                "leads a local community of practice.",
                ["G6"],
                "3 years or more",
            ),
            (
                "Head of product",
                "Leads the profession in the organisation and its overall product strategy.",
                "Answers for how well product management works across the organisation and sets "
                "the product strategy, measuring value by the mission it serves and the trust "
                "the public places in it.",
                ["SCS"],
                "",
            ),
        ],
    },
    {
        "name": "Operations",
        "slug": "operations",
        "summary": (
            "The largest profession in the Civil Service: everyone who serves citizens and "
            "businesses directly, or supports the people who do."
        ),
        "matrix": "operations.csv",
        "head": ("head.operations@example.gov.uk", "Tom", "Adeyemi"),
        # The capability plan's priorities (../shared/domain.md), this year and last.
        "priorities": ["Customer service", "Commercial awareness", "Digital service delivery"],
        "levels": [
            (
                "Operations officer",
                "Serves customers directly, by phone, online or face to face.",
                "Handles enquiries and cases, applies the rules fairly with each person's "
                "circumstances in mind, and keeps accurate records.",
                ["AO", "EO"],
                "1 to 3 years",
            ),
            (
                "Team leader",
                "Leads a team of operations officers day to day.",
                "Plans the team's work, coaches its members, deals with escalated cases and "
                "reports on how the team is performing.",
                ["EO", "HEO"],
                "2 to 3 years",
            ),
            (
                "Operations manager",
                "Runs an operation of several teams and its performance.",
                "Balances demand, people and budget across teams, works with suppliers and "
                "digital teams, and uses data to improve the service.",
                ["HEO", "SEO"],
                "2 to 4 years",
            ),
            (
                "Senior operations manager",
                "Leads a large operation or site and the managers who run it.",
                "Sets the plan for a large operation, leads it through change and answers for "
                "its results, costs and contracts.",
                ["G7", "G6"],
                "3 years or more",
            ),
            (
                "Operations director",
                "Leads operations across a department or region.",
                "Sets the direction for operations serving very large numbers of people, leads "
                "change across the organisation and represents it to ministers and partners.",
                ["SCS"],
                "",
            ),
        ],
    },
]


def read_matrix(filename):
    """{skill name: {level slug: proficiency}} from a CSV matrix in demo_data."""
    with (DATA / filename).open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    levels = [same_slug(cell) for cell in rows[0][1:]]
    return {row[0]: dict(zip(levels, row[1:], strict=True)) for row in rows[1:]}


def _skill(name):
    description, descriptors = SKILLS[name]
    return {
        "slug": slugify(name),
        "name": name,
        "description": description,
        "descriptors": dict(zip(PROFICIENCY_ORDER, descriptors, strict=True)),
        "resources": [
            {
                "title": title,
                "url": url,
                "provider": PROVIDERS.get(url, "Civil Service Learning"),
                "kind": kind,
                "proficiency": proficiency,
            }
            for title, url, kind, proficiency in RESOURCES.get(name, [])
        ],
    }


def framework_data(spec):
    """A profession's demo framework in the JSON export format."""
    matrix = read_matrix(spec["matrix"])
    levels = []
    for rank, (name, summary, description, grades, time_at_level) in enumerate(
        spec["levels"], start=1
    ):
        slug = slugify(name)
        levels.append(
            {
                "slug": slug,
                "name": name,
                "rank": rank,
                "summary": summary,
                "description": description,
                "grades": grades,
                "time_at_level": time_at_level,
                "expectations": [
                    {"skill": slugify(skill), "proficiency": cells[slug], "note": ""}
                    for skill, cells in sorted(matrix.items())
                    if cells.get(slug)
                ],
                "qualifications": [
                    {"title": title, "awarding_body": body, "url": url, "summary": summary}
                    for title, body, url, summary in QUALIFICATIONS.get(name, [])
                ],
            }
        )
    return {
        "format": FORMAT,
        "profession": {"name": spec["name"], "slug": spec["slug"], "summary": spec["summary"]},
        "levels": levels,
        "skills": [_skill(name) for name in sorted(matrix)],
    }


def load(*, password, stdout):
    sign_ins = []
    for spec in PROFESSIONS:
        profession, _ = Profession.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "summary": spec["summary"]}
        )
        email, first_name, last_name = spec["head"]
        head = ensure_user(email, password, first_name=first_name, last_name=last_name)
        head_of_profession_appoint(user=head, profession=profession)
        if not FrameworkVersion.objects.filter(profession=profession).exists():
            framework_import(profession=profession, data=framework_data(spec), by=head)
            framework_publish(profession=profession, by=head, change_note=CHANGE_NOTE)
            stdout.write(f"Published version 1 of the {profession.name} framework.")
        this_year = timezone.localdate().year
        for name in spec.get("priorities", []):
            skill = Skill.objects.get(slug=slugify(name))
            for year in (this_year - 1, this_year):
                PrioritySkill.objects.get_or_create(profession=profession, skill=skill, year=year)
        sign_ins.append((email, f"head of profession, {profession.name} (Django admin)"))
    return sign_ins
