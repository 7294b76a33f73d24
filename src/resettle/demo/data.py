"""The demo dataset as plain data: States, organisations, forums, cycles, people, users.

No Django import here: `resettle.demo.services` turns these records into model
rows. Records refer to one another by short keys (`"bamf"`, `"crcp"`), never by
database ids, so the loader can look each one up by its natural key and create
only what is missing.

What is real and what is not:

- The consultation cycles 2018 to 2024-25 and their co-chairs are those
  published for the ATCR/CRCP (see the domain brief). The 2027-28 cycle is an
  invented demo entry and says so in its notes.
- States, government bodies, NGOs, international organisations and forums are
  real, named as they publicly present themselves; descriptions restate the
  domain brief. The government body listed for each State is the one most
  visibly responsible for resettlement and should be checked before anything
  is built on it.
- A State's programme stage (new, emerging, established) is a demo
  assessment, not a UNHCR or CRISP classification. The first year of
  resettlement is given only where one start year is publicly documented and
  left empty otherwise.
- Every person is invented: names, titles and `example.org` addresses alike.
  No real person's contact details appear here.
- Memberships beyond the secretariats named in the brief are illustrative and
  say so in their notes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# The one password of every demo account: documented in the README, printed by
# `resettle demo`, and only ever meant for the embedded development database.
DEMO_PASSWORD = "resettle-demo"

ILLUSTRATIVE = "Illustrative demo membership."
PLANNED_NOTE = "Illustrative demo entry, not a published decision."


@dataclass(frozen=True)
class OrgSpec:
    """An organisation; `key` names it inside this module only."""

    key: str
    name: str
    kind: str  # an OrganisationKind value
    country: str | None = None  # ISO 3166-1 alpha-3; None for international bodies
    acronym: str = ""
    website: str = ""
    description: str = ""
    parent: str | None = None  # key of the parent organisation
    maintained_by: str | None = None  # key of the organisation that keeps the record


@dataclass(frozen=True)
class StateSpec:
    """A resettlement State: its profile, government body and main NGOs."""

    iso3: str
    stage: str  # a ProgrammeStage value
    first_year: int | None
    government: OrgSpec
    ngos: tuple[OrgSpec, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ForumSpec:
    """A forum; chairs and secretariat are organisation keys."""

    key: str
    name: str
    kind: str  # a ForumKind value
    acronym: str = ""
    parent: str | None = None  # key of the parent forum
    chairs: tuple[str, ...] = ()
    secretariat: tuple[str, ...] = ()
    established_year: int | None = None
    mandate_years: int | None = None
    access: str = "public"  # a ForumAccess value
    working_languages: str = "en"
    description: str = ""


@dataclass(frozen=True)
class CycleSpec:
    """One cycle of the CRCP with its State, government and NGO co-chairs."""

    start_year: int
    end_year: int
    state: str  # ISO alpha-3
    government: str  # organisation key
    ngo: str  # organisation key
    notes: str = ""


@dataclass(frozen=True)
class PersonSpec:
    """An invented contact of an organisation."""

    key: str
    given_name: str
    family_name: str
    organisation: str  # organisation key
    title: str = ""
    email: str = ""
    languages: str = "en"
    is_refugee_representative: bool = False


@dataclass(frozen=True)
class MembershipSpec:
    """A seat in a forum, held by an organisation or a person.

    `ends_in_days` sets the end of the mandate relative to the day the demo is
    loaded, so that the "mandate ending soon" warning always has something to
    show; `end` is a fixed date. The start is always fixed, because it is part
    of the natural key that keeps loading idempotent.
    """

    forum: str  # forum key
    role: str  # a MembershipRole value
    start: datetime.date
    organisation: str | None = None  # organisation key
    person: str | None = None  # person key
    end: datetime.date | None = None
    ends_in_days: int | None = None
    notes: str = ILLUSTRATIVE


@dataclass(frozen=True)
class UserSpec:
    """A demo account: one per role."""

    username: str
    role: str  # a Role value
    organisation: str | None  # organisation key
    person: str | None = None  # person key
    is_superuser: bool = False


def _gov(key: str, iso3: str, name: str, acronym: str = "", website: str = "") -> OrgSpec:
    """A State government body."""
    return OrgSpec(key, name, "state", iso3, acronym=acronym, website=website)


def _ngo(
    key: str, iso3: str, name: str, acronym: str = "", website: str = "", *, description: str = ""
) -> OrgSpec:
    """A national NGO."""
    return OrgSpec(key, name, "ngo", iso3, acronym, website, description)


# ---- resettlement States ------------------------------------------------------

STATES: tuple[StateSpec, ...] = (
    # Established programmes.
    StateSpec(
        "USA",
        "established",
        None,
        _gov(
            "prm",
            "USA",
            "Bureau of Population, Refugees, and Migration, U.S. Department of State",
            "PRM",
        ),
        (
            _ngo("rcusa", "USA", "Refugee Council USA", "RCUSA", "https://rcusa.org/"),
            _ngo("cws", "USA", "Church World Service", "CWS"),
        ),
        "The Refugee Act of 1980 created the U.S. Refugee Admissions Program; "
        "resettlement to the United States began long before it.",
    ),
    StateSpec(
        "CAN",
        "established",
        None,
        _gov(
            "ircc",
            "CAN",
            "Immigration, Refugees and Citizenship Canada",
            "IRCC",
            "https://www.canada.ca/en/immigration-refugees-citizenship.html",
        ),
        (_ngo("ccr", "CAN", "Canadian Council for Refugees", "CCR", "https://ccrweb.ca/"),),
        "Private sponsorship of refugees alongside government resettlement since 1979.",
    ),
    StateSpec(
        "AUS",
        "established",
        None,
        _gov(
            "aus-homeaffairs",
            "AUS",
            "Department of Home Affairs",
            "",
            "https://www.homeaffairs.gov.au/",
        ),
        (
            _ngo(
                "rcoa",
                "AUS",
                "Refugee Council of Australia",
                "RCOA",
                "https://www.refugeecouncil.org.au/",
            ),
        ),
    ),
    StateSpec(
        "NZL",
        "established",
        1987,
        _gov("inz", "NZL", "Immigration New Zealand", "INZ"),
        (_ngo("nzredcross", "NZL", "New Zealand Red Cross"),),
        "Year of the formal annual refugee quota.",
    ),
    StateSpec(
        "GBR",
        "established",
        2004,
        _gov("ukho", "GBR", "Home Office"),
        (_ngo("refugeecouncil-uk", "GBR", "Refugee Council"),),
        "Year of the Gateway Protection Programme.",
    ),
    StateSpec(
        "IRL",
        "established",
        1998,
        _gov(
            "irpp",
            "IRL",
            "Department of Children, Equality, Disability, Integration and Youth – "
            "Irish Refugee Protection Programme",
            "IRPP",
        ),
        (
            _ngo(
                "nasc",
                "IRL",
                "Nasc",
                "",
                "https://nascireland.org/",
                description="Nasc, the Migrant and Refugee Rights Centre, based in Cork.",
            ),
            _ngo("irc-ie", "IRL", "Irish Refugee Council"),
        ),
    ),
    StateSpec(
        "DEU",
        "established",
        2012,
        _gov(
            "bamf",
            "DEU",
            "Federal Office for Migration and Refugees",
            "BAMF",
            "https://www.bamf.de/",
        ),
        (
            _ngo(
                "caritas-de",
                "DEU",
                "Caritas Germany",
                "DCV",
                "https://www.caritas.de/",
                description="Deutscher Caritasverband.",
            ),
        ),
        "Year of the permanent resettlement programme; earlier admissions were ad hoc.",
    ),
    StateSpec(
        "FRA",
        "established",
        2008,
        _gov(
            "dgef",
            "FRA",
            "Directorate-General for Foreigners in France, Ministry of the Interior",
            "DGEF",
        ),
        (_ngo("ftda", "FRA", "France terre d'asile"),),
        "Year of the resettlement framework agreement with UNHCR.",
    ),
    StateSpec(
        "NLD",
        "established",
        1977,
        _gov("ind", "NLD", "Immigration and Naturalisation Service", "IND"),
        (_ngo("vwn", "NLD", "Dutch Council for Refugees", "VWN"),),
    ),
    StateSpec(
        "BEL",
        "established",
        None,
        _gov("fedasil", "BEL", "Federal Agency for the Reception of Asylum Seekers", "Fedasil"),
        (_ngo("caritas-be", "BEL", "Caritas International Belgium"),),
    ),
    StateSpec(
        "CHE",
        "established",
        None,
        _gov("sem", "CHE", "State Secretariat for Migration", "SEM", "https://www.sem.admin.ch/"),
        (_ngo("sfh", "CHE", "Swiss Refugee Council", "SFH-OSAR", "https://www.osar.ch/"),),
    ),
    StateSpec(
        "NOR",
        "established",
        None,
        _gov("udi", "NOR", "Norwegian Directorate of Immigration", "UDI"),
        (
            _ngo(
                "noas",
                "NOR",
                "Norwegian Organisation for Asylum Seekers",
                "NOAS",
                "https://www.noas.no/",
            ),
        ),
    ),
    StateSpec(
        "SWE",
        "established",
        1950,
        _gov("migrationsverket", "SWE", "Swedish Migration Agency"),
        (_ngo("redcross-se", "SWE", "Swedish Red Cross"),),
        "Year of the first annual refugee quota.",
    ),
    StateSpec(
        "DNK",
        "established",
        None,
        _gov("nyidanmark", "DNK", "Danish Immigration Service"),
        (_ngo("drc", "DNK", "Danish Refugee Council", "DRC", "https://drc.ngo/"),),
    ),
    StateSpec(
        "FIN",
        "established",
        None,
        _gov("migri", "FIN", "Finnish Immigration Service", "Migri"),
        (_ngo("pakolaisapu", "FIN", "Finnish Refugee Council"),),
    ),
    StateSpec(
        "ISL",
        "established",
        None,
        _gov("utl", "ISL", "Directorate of Immigration"),
        (_ngo("redcross-is", "ISL", "Icelandic Red Cross"),),
    ),
    # Emerging programmes.
    StateSpec(
        "ESP",
        "emerging",
        None,
        _gov("es-inclusion", "ESP", "Ministry of Inclusion, Social Security and Migration"),
        (
            _ngo("accem", "ESP", "Accem", "", "https://www.accem.es/"),
            _ngo("cear", "ESP", "Spanish Commission for Refugee Aid", "CEAR"),
        ),
    ),
    StateSpec(
        "ITA",
        "emerging",
        None,
        _gov(
            "it-interior",
            "ITA",
            "Ministry of the Interior – Department for Civil Liberties and Immigration",
        ),
        (_ngo("cir", "ITA", "Italian Council for Refugees", "CIR"),),
    ),
    StateSpec(
        "PRT",
        "emerging",
        None,
        _gov("aima", "PRT", "Agency for Integration, Migration and Asylum", "AIMA"),
        (_ngo("cpr", "PRT", "Portuguese Refugee Council", "CPR"),),
    ),
    StateSpec(
        "AUT",
        "emerging",
        None,
        _gov("bmi-at", "AUT", "Federal Ministry of the Interior", "BMI"),
        (_ngo("caritas-at", "AUT", "Caritas Austria"),),
    ),
    StateSpec(
        "LUX",
        "emerging",
        None,
        _gov("lu-immigration", "LUX", "Directorate of Immigration"),
        (_ngo("caritas-lu", "LUX", "Caritas Luxembourg"),),
    ),
    StateSpec(
        "JPN",
        "emerging",
        2010,
        _gov("isa-jp", "JPN", "Immigration Services Agency of Japan"),
        (_ngo("jar", "JPN", "Japan Association for Refugees", "JAR"),),
        "Year of the pilot resettlement programme.",
    ),
    StateSpec(
        "KOR",
        "emerging",
        2015,
        _gov("moj-kr", "KOR", "Ministry of Justice"),
        (_ngo("nancen", "KOR", "NANCEN Refugee Rights Center", "NANCEN"),),
        "Year of the pilot resettlement programme.",
    ),
    StateSpec(
        "BRA",
        "emerging",
        None,
        _gov("conare-br", "BRA", "National Committee for Refugees", "CONARE"),
        (_ngo("caritas-sp", "BRA", "Cáritas Arquidiocesana de São Paulo"),),
    ),
    StateSpec(
        "ARG",
        "emerging",
        None,
        _gov("conare-ar", "ARG", "National Commission for Refugees", "CONARE"),
        (_ngo("fccam", "ARG", "Argentine Catholic Migration Commission Foundation", "FCCAM"),),
    ),
    StateSpec(
        "CHL",
        "emerging",
        None,
        _gov("sermig", "CHL", "National Migration Service"),
        (
            _ngo(
                "fasic",
                "CHL",
                "Fundación de Ayuda Social de las Iglesias Cristianas",
                "FASIC",
            ),
        ),
    ),
    StateSpec(
        "URY",
        "emerging",
        None,
        _gov("core-uy", "URY", "Refugee Commission", "CORE"),
        (_ngo("sedhu", "URY", "Servicio Ecuménico para la Dignidad Humana", "SEDHU"),),
    ),
    StateSpec(
        "ROU",
        "emerging",
        None,
        _gov("igi", "ROU", "General Inspectorate for Immigration", "IGI"),
        (_ngo("cnrr", "ROU", "Romanian National Council for Refugees", "CNRR"),),
        "Hosts the Emergency Transit Centre in Timișoara.",
    ),
    StateSpec(
        "CZE",
        "emerging",
        None,
        _gov("mvcr", "CZE", "Ministry of the Interior"),
        (_ngo("opu", "CZE", "Organization for Aid to Refugees", "OPU"),),
    ),
    # New programmes.
    StateSpec(
        "BGR",
        "new",
        None,
        _gov("sar-bg", "BGR", "State Agency for Refugees", "SAR"),
        (_ngo("redcross-bg", "BGR", "Bulgarian Red Cross"),),
    ),
    StateSpec(
        "HRV",
        "new",
        None,
        _gov("mup-hr", "HRV", "Ministry of the Interior"),
        (_ngo("redcross-hr", "HRV", "Croatian Red Cross"),),
    ),
    StateSpec(
        "SVN",
        "new",
        None,
        _gov(
            "uoim", "SVN", "Government Office for the Support and Integration of Migrants", "UOIM"
        ),
        (_ngo("filantropija", "SVN", "Slovene Philanthropy"),),
    ),
    StateSpec(
        "LTU",
        "new",
        None,
        _gov("migracija", "LTU", "Migration Department under the Ministry of the Interior"),
        (_ngo("redcross-lt", "LTU", "Lithuanian Red Cross"),),
    ),
    StateSpec(
        "LVA",
        "new",
        None,
        _gov("pmlp", "LVA", "Office of Citizenship and Migration Affairs", "OCMA"),
        (_ngo("redcross-lv", "LVA", "Latvian Red Cross"),),
    ),
    StateSpec(
        "EST",
        "new",
        None,
        _gov("siseministeerium", "EST", "Ministry of the Interior"),
        (_ngo("pagulasabi", "EST", "Estonian Refugee Council"),),
    ),
    StateSpec(
        "MLT",
        "new",
        None,
        _gov("ipa-mt", "MLT", "International Protection Agency", "IPA"),
        (_ngo("aditus", "MLT", "aditus foundation"),),
    ),
    StateSpec(
        "LIE",
        "new",
        None,
        _gov("apa-li", "LIE", "Migration and Passport Office", "APA"),
    ),
    StateSpec(
        "MEX",
        "new",
        None,
        _gov("comar", "MEX", "Mexican Commission for Refugee Assistance", "COMAR"),
        (_ngo("sinfronteras", "MEX", "Sin Fronteras"),),
    ),
    StateSpec(
        "PRY",
        "new",
        None,
        _gov("conare-py", "PRY", "National Commission for Refugees", "CONARE"),
    ),
)


# ---- international organisations, networks, refugee-led organisations ----------

INTERNATIONAL: tuple[OrgSpec, ...] = (
    OrgSpec(
        "unhcr",
        "Office of the United Nations High Commissioner for Refugees",
        "un",
        acronym="UNHCR",
        website="https://www.unhcr.org/",
        description=(
            "The UN Refugee Agency. Supports the ATCR/CRCP, acts as secretariat of the "
            "Priority Situations Core Group and presents the Projected Global "
            "Resettlement Needs (PGRN)."
        ),
    ),
    OrgSpec(
        "iom",
        "International Organization for Migration",
        "un",
        acronym="IOM",
        website="https://www.iom.int/",
        description="UN migration agency; runs CRISP jointly with UNHCR.",
    ),
    OrgSpec(
        "euaa",
        "European Union Agency for Asylum",
        "eu",
        acronym="EUAA",
        website="https://euaa.europa.eu/",
        description=(
            "Formerly the European Asylum Support Office (EASO). Runs the Resettlement "
            "and Humanitarian Admission Network and coordinates the Resettlement Support "
            "Facility in Türkiye."
        ),
    ),
    OrgSpec(
        "icmc",
        "International Catholic Migration Commission",
        "ngo",
        acronym="ICMC",
        website="https://www.icmc.net/",
        description="Runs the EUAA Resettlement Support Facility in Türkiye.",
    ),
    OrgSpec(
        "icmc-europe",
        "ICMC Europe",
        "ngo",
        country="BEL",
        parent="icmc",
        description="The European office of ICMC, in Brussels; leads the SHARE Network.",
    ),
    OrgSpec(
        "irc",
        "International Rescue Committee",
        "ngo",
        acronym="IRC",
        website="https://www.rescue.org/",
        description="Built the CRISP training package for government officials with IOM.",
    ),
    OrgSpec(
        "share",
        "SHARE Network",
        "network",
        website="https://www.resettlement.eu/",
        description="European network of local and regional actors welcoming resettled refugees.",
        parent="icmc-europe",
        maintained_by="icmc-europe",
    ),
    OrgSpec(
        "grsi",
        "Global Refugee Sponsorship Initiative",
        "network",
        acronym="GRSI",
        website="https://refugeesponsorship.org/",
        description="Supports States and communities in setting up community sponsorship.",
    ),
    OrgSpec(
        "nrv",
        "Network for Refugee Voices",
        "refugee_led",
        acronym="NRV",
        description=(
            "Refugee-led network working for refugee participation in resettlement "
            "consultations. Description illustrative."
        ),
    ),
    OrgSpec(
        "grn",
        "Global Refugee-led Network",
        "refugee_led",
        acronym="GRN",
        description=(
            "Network of refugee-led organisations and refugee leaders. Description illustrative."
        ),
    ),
)


# ---- forums --------------------------------------------------------------------

FORUMS: tuple[ForumSpec, ...] = (
    ForumSpec(
        "crcp",
        "Consultations on Resettlement and Complementary Pathways",
        "consultation",
        acronym="CRCP",
        chairs=("es-inclusion", "accem"),
        secretariat=("unhcr",),
        established_year=1995,
        description=(
            "Known until 2024 as the Annual Tripartite Consultations on Resettlement "
            "(ATCR). The main multilateral forum for dialogue on resettlement policy, "
            "complementary pathways, advocacy, capacity building and operational support. "
            "Co-chaired each cycle by the government and an NGO of one resettlement State, "
            "rotating between States, supported by UNHCR, in consultation with the Refugee "
            "Advisory Group. It brings together UNHCR, resettlement States, national and "
            "international organisations, the private sector, academia and refugee "
            "representatives, and is where UNHCR presents its Projected Global "
            "Resettlement Needs (PGRN)."
        ),
    ),
    ForumSpec(
        "wgr",
        "Working Group on Resettlement",
        "working_group",
        acronym="WGR",
        parent="crcp",
        chairs=("es-inclusion", "accem"),
        secretariat=("unhcr",),
        description=(
            "Smaller, targeted consultations during the cycle on specific policy and "
            "operational questions; prepares the annual consultations."
        ),
    ),
    ForumSpec(
        "rag",
        "Refugee Advisory Group",
        "advisory_group",
        acronym="RAG",
        parent="crcp",
        description=(
            "Refugees representing national, regional and global refugee organisations "
            "and networks. Links the consultations with refugee communities, creates "
            "spaces for refugees in the discussions that concern them, promotes the "
            "meaningful participation of refugees and refugee-led organisations, and "
            "advises participants on the design and implementation of better "
            "resettlement policies and commitments."
        ),
    ),
    ForumSpec(
        "steering",
        "Steering Committee of the Consultations",
        "steering_committee",
        parent="crcp",
        secretariat=("unhcr",),
        established_year=2021,
        mandate_years=2,
        description=(
            "Reviews the structure and procedures of the consultations and makes "
            "recommendations: their format, their relation to complementary pathways and "
            "to thematic working groups, the roles of the co-chairs, the Refugee Advisory "
            "Group and UNHCR, who participates, and continuity from one year to the next."
        ),
    ),
    ForumSpec(
        "pscg",
        "Priority Situations Core Group",
        "core_group",
        acronym="PSCG",
        secretariat=("unhcr",),
        access="members",
        description=(
            "A State-led multi-stakeholder forum on resettlement and complementary "
            "pathways, with UNHCR as secretariat, focused on the strategic impact of "
            "resettlement in specific host countries or regions. It works for more places "
            "in priority situations through joint advocacy with UNHCR, a community of "
            "practice on processing modalities and adjudication methods, and the "
            "strategic use of resettlement so that host countries strengthen protection "
            "and open other solutions."
        ),
    ),
    ForumSpec(
        "euaa-network",
        "EUAA Resettlement and Humanitarian Admission Network",
        "network",
        secretariat=("euaa",),
        established_year=2020,
        description=(
            "Supports EU Member States' resettlement and humanitarian admission "
            "programmes through capacity building, coordination and information "
            "exchange, often with UNHCR and IOM, and runs thematic working groups."
        ),
    ),
    ForumSpec(
        "euaa-sponsorship",
        "Community Sponsorship Thematic Working Group",
        "thematic_working_group",
        parent="euaa-network",
        secretariat=("euaa",),
        access="members",
        description=(
            "Thematic working group of the EUAA Resettlement and Humanitarian Admission "
            "Network on community sponsorship."
        ),
    ),
    ForumSpec(
        "rsf",
        "EUAA Resettlement Support Facility in Türkiye",
        "support_facility",
        acronym="RSF",
        chairs=("euaa",),
        secretariat=("icmc",),
        working_languages="en, tr",
        description=(
            "A one-stop hub coordinated by EUAA and some Member States and run by ICMC: "
            "logistics, interview facilitation, travel and medical assessments for cases "
            "going through resettlement interviews, and cultural orientation; it also "
            "supports good practice exchange and technical cooperation between Member "
            "States."
        ),
    ),
    ForumSpec(
        "crisp",
        "Sustainable Resettlement and Complementary Pathways Initiative",
        "capacity_building",
        acronym="CRISP",
        secretariat=("unhcr", "iom"),
        established_year=2020,
        working_languages="en, fr, es",
        description=(
            "Joint UNHCR-IOM global capacity-building mechanism giving targeted capacity "
            "and systems building to States whose programmes are new, emerging or "
            "established, for high-quality, scalable and sustainable programmes."
        ),
    ),
    ForumSpec(
        "share-forum",
        "SHARE Network",
        "network",
        acronym="SHARE",
        secretariat=("icmc-europe",),
        description=(
            "European network of local and regional actors, run by ICMC Europe, for the "
            "reception and integration of resettled refugees."
        ),
    ),
    ForumSpec(
        "grsi-forum",
        "Global Refugee Sponsorship Initiative",
        "network",
        acronym="GRSI",
        secretariat=("grsi",),
        established_year=2016,
        description="Network supporting community sponsorship programmes around the world.",
    ),
)


# ---- consultation cycles of the CRCP -------------------------------------------

CYCLE_FORUM = "crcp"
PUBLISHED = "Co-chairs as published by UNHCR."

CYCLES: tuple[CycleSpec, ...] = (
    CycleSpec(2018, 2018, "DEU", "bamf", "caritas-de", PUBLISHED),
    CycleSpec(2019, 2020, "CAN", "ircc", "ccr", PUBLISHED),
    CycleSpec(2020, 2021, "CHE", "sem", "sfh", PUBLISHED),
    CycleSpec(2021, 2022, "USA", "prm", "rcusa", PUBLISHED),
    CycleSpec(2022, 2023, "IRL", "irpp", "nasc", PUBLISHED),
    CycleSpec(2023, 2024, "AUS", "aus-homeaffairs", "rcoa", PUBLISHED),
    CycleSpec(2024, 2025, "ESP", "es-inclusion", "accem", PUBLISHED),
    CycleSpec(2027, 2028, "NOR", "udi", "noas", PLANNED_NOTE),
)


# ---- people (all invented) -----------------------------------------------------

PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec(
        "unhcr-1",
        "Helena",
        "Marsh",
        "unhcr",
        "Senior Resettlement Officer (illustrative)",
        "h.marsh@example.org",
        "en, fr",
    ),
    PersonSpec(
        "unhcr-2",
        "Omar",
        "Saleh",
        "unhcr",
        "Resettlement Policy Officer (illustrative)",
        "o.saleh@example.org",
        "en, ar",
    ),
    PersonSpec(
        "unhcr-3",
        "Claire",
        "Dubois",
        "unhcr",
        "Complementary Pathways Officer (illustrative)",
        "c.dubois@example.org",
        "fr, en",
    ),
    PersonSpec(
        "iom-1",
        "Samuel",
        "Okafor",
        "iom",
        "Resettlement Programme Coordinator (illustrative)",
        "s.okafor@example.org",
    ),
    PersonSpec(
        "iom-2", "Lina", "Haddad", "iom", "CRISP Focal Point (illustrative)", "", "en, ar, fr"
    ),
    PersonSpec(
        "euaa-1",
        "Marta",
        "Kowalczyk",
        "euaa",
        "Resettlement Network Coordinator (illustrative)",
        "m.kowalczyk@example.org",
        "en, pl",
    ),
    PersonSpec("euaa-2", "Jonas", "Berg", "euaa", "RSF Liaison Officer (illustrative)"),
    PersonSpec(
        "icmc-1",
        "Elif",
        "Demir",
        "icmc",
        "RSF Operations Manager (illustrative)",
        "e.demir@example.org",
        "en, tr",
    ),
    PersonSpec("icmc-2", "Paolo", "Ricci", "icmc", "Cultural Orientation Lead (illustrative)"),
    PersonSpec(
        "bamf-1",
        "Katrin",
        "Vogel",
        "bamf",
        "Head of Resettlement Unit (illustrative)",
        "k.vogel@example.org",
        "de, en",
    ),
    PersonSpec("bamf-2", "Tobias", "Brandt", "bamf", "Selection Mission Officer (illustrative)"),
    PersonSpec("caritas-1", "Anna", "Keller", "caritas-de", "Resettlement Adviser (illustrative)"),
    PersonSpec(
        "ircc-1", "Daniel", "Tremblay", "ircc", "Resettlement Policy Analyst (illustrative)"
    ),
    PersonSpec("ccr-1", "Grace", "Mensah", "ccr", "Policy Coordinator (illustrative)"),
    PersonSpec(
        "accem-1",
        "Lucía",
        "Navarro",
        "accem",
        "Resettlement Programme Lead (illustrative)",
        "l.navarro@example.org",
        "es, en",
    ),
    PersonSpec("accem-2", "Javier", "Ortega", "accem", "Advocacy Officer (illustrative)", "", "es"),
    PersonSpec(
        "es-gov-1",
        "Carmen",
        "Ruiz",
        "es-inclusion",
        "Deputy Director for Protection (illustrative)",
        "",
        "es, en",
    ),
    PersonSpec(
        "aus-1", "Ben", "Hartley", "aus-homeaffairs", "Humanitarian Program Officer (illustrative)"
    ),
    PersonSpec("rcoa-1", "Priya", "Raman", "rcoa", "Policy Officer (illustrative)"),
    PersonSpec("irc-1", "Rachel", "Stein", "irc", "Capacity Building Adviser (illustrative)"),
    # Refugee representatives (invented people, refugee-led organisations).
    PersonSpec(
        "nrv-1",
        "Amani",
        "Yusuf",
        "nrv",
        "Refugee representative (illustrative)",
        "a.yusuf@example.org",
        "en, ar, sw",
        is_refugee_representative=True,
    ),
    PersonSpec(
        "nrv-2",
        "Karim",
        "Nazari",
        "nrv",
        "Refugee representative (illustrative)",
        "",
        "en, fa, ps",
        is_refugee_representative=True,
    ),
    PersonSpec(
        "nrv-3",
        "Esther",
        "Nyandeng",
        "nrv",
        "Refugee representative (illustrative)",
        "",
        "en, ar",
        is_refugee_representative=True,
    ),
    PersonSpec(
        "grn-1",
        "Rashid",
        "Alam",
        "grn",
        "Refugee representative (illustrative)",
        "",
        "en, my, bn",
        is_refugee_representative=True,
    ),
    PersonSpec(
        "grn-2",
        "Marie",
        "Uwase",
        "grn",
        "Refugee representative (illustrative)",
        "",
        "fr, en, rw",
        is_refugee_representative=True,
    ),
)


# ---- memberships ---------------------------------------------------------------

D = datetime.date
SC_PAST_START, SC_PAST_END = D(2021, 1, 1), D(2022, 12, 31)
SC_CURRENT_START = D(2025, 1, 1)
# Two mandates end within the warning window (60 days by default) of the load
# date, so the "ending soon" flag always has something to show in the demo.
SOON_A, SOON_B = 30, 45
# A current mandate that ends well outside the warning window.
LATER = 400


def _members(forum: str, role: str, start: datetime.date, *orgs: str) -> tuple[MembershipSpec, ...]:
    """Organisations holding the same role in a forum from the same date."""
    return tuple(MembershipSpec(forum, role, start, organisation=org) for org in orgs)


MEMBERSHIPS: tuple[MembershipSpec, ...] = (
    # PSCG: UNHCR as secretariat (from the brief), States and NGOs as members.
    MembershipSpec("pscg", "secretariat", D(2019, 1, 1), organisation="unhcr", notes=""),
    *_members(
        "pscg",
        "member",
        D(2019, 1, 1),
        "ircc",
        "bamf",
        "prm",
        "migrationsverket",
        "udi",
        "ind",
        "dgef",
        "es-inclusion",
        "ccr",
        "accem",
        "icmc",
        "irc",
    ),
    MembershipSpec("pscg", "member", D(2019, 1, 1), organisation="ukho", end=D(2022, 12, 31)),
    # WGR: States and NGOs; UNHCR in support.
    MembershipSpec("wgr", "secretariat", D(2018, 1, 1), organisation="unhcr", notes=""),
    *_members(
        "wgr",
        "member",
        D(2018, 1, 1),
        "bamf",
        "caritas-de",
        "ircc",
        "ccr",
        "sem",
        "sfh",
        "prm",
        "rcusa",
        "irpp",
        "nasc",
        "aus-homeaffairs",
        "rcoa",
        "es-inclusion",
        "accem",
        "udi",
        "noas",
        "nyidanmark",
        "drc",
        "inz",
        "nzredcross",
        "euaa",
        "iom",
        "icmc",
    ),
    MembershipSpec(
        "wgr", "member", D(2018, 1, 1), organisation="refugeecouncil-uk", end=D(2021, 12, 31)
    ),
    # RAG: refugee representatives, in person.
    MembershipSpec("rag", "refugee_representative", D(2022, 1, 1), person="nrv-1"),
    MembershipSpec("rag", "refugee_representative", D(2022, 1, 1), person="nrv-2"),
    MembershipSpec(
        "rag", "refugee_representative", D(2023, 1, 1), person="grn-1", ends_in_days=SOON_B
    ),
    MembershipSpec("rag", "refugee_representative", D(2024, 1, 1), person="grn-2"),
    MembershipSpec(
        "rag", "refugee_representative", D(2019, 1, 1), person="nrv-3", end=D(2021, 12, 31)
    ),
    # Steering Committee: the first two-year mandate (2021-22), now past...
    *(
        MembershipSpec("steering", "member", SC_PAST_START, organisation=org, end=SC_PAST_END)
        for org in ("bamf", "caritas-de", "ircc", "ccr", "sem", "sfh", "prm", "rcusa")
    ),
    MembershipSpec(
        "steering", "refugee_representative", SC_PAST_START, person="nrv-3", end=SC_PAST_END
    ),
    # ... and the current one, two seats of which end soon.
    MembershipSpec(
        "steering", "member", SC_CURRENT_START, organisation="es-inclusion", ends_in_days=SOON_A
    ),
    MembershipSpec(
        "steering", "member", SC_CURRENT_START, organisation="accem", ends_in_days=SOON_A
    ),
    MembershipSpec(
        "steering",
        "member",
        SC_CURRENT_START,
        organisation="aus-homeaffairs",
        ends_in_days=LATER,
    ),
    MembershipSpec("steering", "member", SC_CURRENT_START, organisation="rcoa", ends_in_days=LATER),
    MembershipSpec(
        "steering", "refugee_representative", SC_CURRENT_START, person="nrv-1", ends_in_days=LATER
    ),
    # EUAA network: EUAA as secretariat (from the brief); Member States; UNHCR and IOM.
    MembershipSpec("euaa-network", "secretariat", D(2020, 1, 1), organisation="euaa", notes=""),
    *_members(
        "euaa-network",
        "member",
        D(2020, 1, 1),
        "bamf",
        "dgef",
        "ind",
        "fedasil",
        "es-inclusion",
        "it-interior",
        "aima",
        "migrationsverket",
        "migri",
        "irpp",
        "bmi-at",
        "igi",
    ),
    *_members("euaa-network", "observer", D(2020, 1, 1), "unhcr", "iom"),
    # Its community sponsorship thematic working group.
    *_members(
        "euaa-sponsorship",
        "member",
        D(2021, 1, 1),
        "bamf",
        "irpp",
        "es-inclusion",
        "it-interior",
        "aima",
        "fedasil",
    ),
    *_members("euaa-sponsorship", "observer", D(2021, 1, 1), "share", "grsi"),
    # RSF: run by ICMC, coordinated by EUAA (from the brief); Member States using it.
    MembershipSpec("rsf", "secretariat", D(2019, 1, 1), organisation="icmc", notes=""),
    MembershipSpec("rsf", "chair", D(2019, 1, 1), organisation="euaa", notes=""),
    *_members("rsf", "member", D(2019, 1, 1), "bamf", "ind", "dgef", "fedasil"),
    # CRISP: UNHCR and IOM (from the brief); States receiving support; IRC as partner.
    *(
        MembershipSpec("crisp", "secretariat", D(2020, 1, 1), organisation=org, notes="")
        for org in ("unhcr", "iom")
    ),
    *_members("crisp", "member", D(2021, 1, 1), "conare-ar", "conare-br", "sermig", "moj-kr"),
    MembershipSpec("crisp", "adviser", D(2021, 1, 1), organisation="irc"),
    # SHARE and GRSI.
    *_members("share-forum", "member", D(2019, 1, 1), "caritas-de", "accem", "caritas-be"),
    *_members("grsi-forum", "member", D(2016, 1, 1), "ircc", "unhcr"),
    MembershipSpec("grsi-forum", "member", D(2019, 1, 1), organisation="irpp", end=D(2023, 12, 31)),
)


# ---- demo users: one per role --------------------------------------------------

USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", "admin", None, is_superuser=True),
    UserSpec("unhcr", "unhcr", "unhcr", person="unhcr-1"),
    UserSpec("state", "state", "bamf", person="bamf-1"),
    UserSpec("ngo", "ngo", "accem", person="accem-1"),
    UserSpec("refugee", "refugee", "nrv", person="nrv-1"),
    UserSpec("rsf", "rsf", "icmc", person="icmc-1"),
)
