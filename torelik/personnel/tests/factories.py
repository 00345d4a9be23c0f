"""A district court with a staff table (a chairman's and three judges' posts, two clerks'), two of its
judges in their posts, its personnel officer, and the Supreme Court's personnel department."""

import datetime as dt
import io
from dataclasses import dataclass

from django.test import Client
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from torelik.core import clock
from torelik.courts.models import Court, CourtKind, Judge, StaffRole
from torelik.courts.tests.factories import CourtFactory, JudgeFactory, PersonFactory, RegionFactory
from torelik.identity.models import User
from torelik.personnel.actions import appoint, establish_posts
from torelik.personnel.models import Post, PostKind

# Tuesday 3 March 2026, 15:00 in Almaty.
NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 3)


PASSWORD = "a-long-passphrase-1"  # noqa: S105 - the test accounts' password


def staff_user(username: str, court: Court, role: StaffRole) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, person=PersonFactory.create())
    user.positions.create(court=court, role=role)
    return user


def order_pdf(text: str = "Prikaz") -> bytes:
    """A one-page PDF: the scan of an order."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass
class Office:
    court: Court
    other_court: Court
    judges: list[Judge]
    officer: User
    national: User
    outsider: User

    def post(self, kind: PostKind, number: int, court: Court | None = None) -> Post:
        return Post.objects.get(court=court or self.court, kind=kind, number=number)

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def office() -> Office:
    region = RegionFactory.create(code="02")
    court = CourtFactory.create(code="0215", kind=CourtKind.DISTRICT, region=region, name_ru="Бурабайский районный суд")
    other = CourtFactory.create(code="0218", kind=CourtKind.DISTRICT, region=region)
    supreme = CourtFactory.create(code="0001", kind=CourtKind.SUPREME, region=None)
    judges = [JudgeFactory.create(court=court) for _ in range(2)]
    with clock.frozen_at(NOW):
        establish_posts(court=court, kind=PostKind.CHAIRMAN, count=1, actor=None)
        establish_posts(court=court, kind=PostKind.JUDGE, count=3, actor=None)
        establish_posts(court=court, kind=PostKind.CLERK, count=2, actor=None)
        establish_posts(court=other, kind=PostKind.JUDGE, count=2, actor=None)
        for number, judge in enumerate(judges, start=1):
            appoint(
                person=judge.person,
                post=Post.objects.get(court=court, kind=PostKind.JUDGE, number=number),
                effective_on=dt.date(2019, 9, 2),
                decree_number=f"10{number}",
                decree_date=dt.date(2019, 8, 20),
                actor=None,
            )
    return Office(
        court=court,
        other_court=other,
        judges=judges,
        officer=staff_user("kadry.0215", court, StaffRole.PERSONNEL_OFFICER),
        national=staff_user("kadry.0001", supreme, StaffRole.PERSONNEL_OFFICER),
        outsider=staff_user("clerk.0215", court, StaffRole.CLERK),
    )
