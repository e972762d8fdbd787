"""Deterministic generators for fictional persons: same seed, same people."""

import datetime
import random
from dataclasses import dataclass

from zhengxie.demo import data

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# A region code that belongs to no real county (GB/T 2260 has no 3399xx).
FICTIONAL_REGION = "339901"
PHONE_PREFIXES = ("130", "133", "135", "136", "138", "139", "150", "151", "158", "177", "189")


def id_checksum(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random, *, birth_year: int, female: bool, region=FICTIONAL_REGION):
    birthday = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    sequence = rng.randrange(0, 500) * 2 + (0 if female else 1)  # odd for men, even for women
    first17 = f"{region}{birthday:%Y%m%d}{sequence:03d}"
    return first17 + id_checksum(first17)


def phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


@dataclass
class PersonSpec:
    """A generated person with the membership details that fit their sector."""

    name: str
    gender: str
    ethnicity: str
    birth_year: int
    party: str
    religion: str
    education: str
    id_number: str
    phone: str
    work_unit: str
    job_title: str


class PersonMaker:
    """Generates persons from one seeded ``random.Random``; names are unique per maker."""

    def __init__(self, rng: random.Random, *, women_share=0.35):
        self.rng = rng
        self.women_share = women_share
        self.used_names = set()
        self.used_ids = set()
        self._surnames = [s for s, _ in data.SURNAMES]
        self._surname_weights = [w for _, w in data.SURNAMES]
        self._education = [e for e, _ in data.EDUCATION]
        self._education_weights = [w for _, w in data.EDUCATION]

    def name(self, female: bool) -> str:
        chars = data.GIVEN_FEMALE if female else data.GIVEN_MALE
        for _attempt in range(50):
            surname = self.rng.choices(self._surnames, self._surname_weights)[0]
            given = "".join(
                self.rng.choice(chars) for _ in range(1 if self.rng.random() < 0.3 else 2)
            )
            if surname + given not in self.used_names:
                break
        self.used_names.add(surname + given)
        return surname + given

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            town=rng.choice(data.TOWNSHIPS),
            brand=rng.choice(data.BRANDS),
            crop=rng.choice(data.CROPS),
            village=rng.choice(data.VILLAGES),
            mountain=rng.choice(data.MOUNTAINS),
        )

    def person(self, *, sector: str, party_rule, profile: str, level="county", min_year=1960):
        rng = self.rng
        share = 0.9 if sector == data.WOMEN_SECTOR else self.women_share
        female = rng.random() < share
        birth_year = rng.randint(min_year, 1990)
        religion = ""
        ethnicity = "汉族" if rng.random() < 0.96 else rng.choice(data.ETHNIC_MINORITIES)
        unit, title = rng.choice(data.PROFILES[profile])
        party = party_rule if isinstance(party_rule, str) else rng.choice(party_rule)
        if sector == data.RELIGIOUS_SECTOR:
            if rng.random() < 0.5:
                religion = rng.choice(list(data.RELIGIONS))
                unit, title = data.RELIGIONS[religion]
                party = "群众"
                ethnicity = "回族" if religion == "伊斯兰教" else "汉族"
            else:
                ethnicity = rng.choice(data.ETHNIC_MINORITIES)
        education = rng.choices(self._education, self._education_weights)[0]
        while True:
            number = id_number(rng, birth_year=birth_year, female=female)
            if number not in self.used_ids:
                self.used_ids.add(number)
                break
        return PersonSpec(
            name=self.name(female),
            gender="female" if female else "male",
            ethnicity=ethnicity,
            birth_year=birth_year,
            party=party,
            religion=religion,
            education=education,
            id_number=number,
            phone=phone(rng),
            work_unit=data.for_level(self._fill(unit), level),
            job_title=title,
        )
