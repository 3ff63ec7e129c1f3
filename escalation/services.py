"""Send the day's reminders and escalations, each once per item, level and occasion.

The daily job reads every due item (escalation.selectors), decides for each what today calls for (a reminder on the
first reminder day reached before the due date, or a late notice at the level the item has climbed to) and to whom,
then, one recipient at a time, writes that person's notices with a token of its own (conflicting rows, already sent
by an earlier or a concurrent run, are skipped by the unique constraint) and mails exactly the rows it wrote. The
rows and the mail stand or fall together: a mail that fails rolls its rows back, and the next run sends it.
"""

import datetime as dt
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.models import User
from accounts.responsibility import TOP, Level, people_at

from .models import EscalationNotice, Occasion
from .selectors import DueItem, Rules, due_items, rules

log = logging.getLogger(__name__)
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Notice:
    """What today calls for about one item: a reminder (days before) or a late notice, at a level."""

    item: DueItem
    occasion: str
    days_before: int
    level: Level


def notice_for(item: DueItem, ladder: Rules) -> Notice | None:
    """Return today's notice for an item, or None (too early, or no reminder days configured)."""
    if item.is_late:
        return Notice(item=item, occasion=Occasion.LATE, days_before=0, level=item.current)
    if item.days_left > ladder.window:
        return None
    # The nearest reminder day not yet passed: a run missed on the 7th day before still reminds on the 5th.
    days = min(d for d in ladder.reminder_days if d >= item.days_left)
    return Notice(item=item, occasion=Occasion.BEFORE, days_before=days, level=item.current)


def recipients(notices: list[Notice]) -> dict[User, list[Notice]]:
    """Find who receives each notice (four queries, one per level, whatever the number of items).

    A reminder goes to the people answering for the item now. A late notice goes to the people of the level it has
    climbed to; where nobody holds that level for the area (a tambon with no representative account), to the next
    level up that has someone, so that no late item goes unheard."""
    wanted = defaultdict(set)
    for notice in notices:
        for level in Level:
            if level >= notice.level:
                wanted[level].add(notice.item.area_id(level))
    people = {level: people_at(level, ids) for level, ids in wanted.items()}
    found = defaultdict(list)
    for notice in notices:
        last = TOP if notice.occasion == Occasion.LATE else notice.level
        for level in range(notice.level, last + 1):
            users = people.get(Level(level), {}).get(notice.item.area_id(level))
            if users:
                reached = Notice(notice.item, notice.occasion, notice.days_before, Level(level))
                for user in users:
                    found[user].append(reached)
                break
    return found


def _mail(user: User, notices: list[Notice], today: dt.date) -> None:
    limit = settings.ESCALATION_MAIL_ITEMS
    late = [n for n in notices if n.occasion == Occasion.LATE]
    soon = [n for n in notices if n.occasion == Occasion.BEFORE]
    context = {
        "user": user,
        "today": today,
        "late": sorted(late, key=lambda n: (-n.item.days_late, n.item.area_name))[:limit],
        "soon": sorted(soon, key=lambda n: (n.item.due, n.item.area_name))[:limit],
        "late_count": len(late),
        "soon_count": len(soon),
        "site": settings.SITE_URL.rstrip("/"),
    }
    n = len(notices)
    subject = ngettext("CODI Plans: %(n)s item due or late", "CODI Plans: %(n)s items due or late", n) % {"n": n}
    body = render_to_string("escalation/notice_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _send_to(user: User, notices: list[Notice], today: dt.date) -> int:
    """Record and mail one person's notices not sent before; return how many were new."""
    token = secrets.token_hex(16)
    with transaction.atomic():
        EscalationNotice.objects.bulk_create(
            [
                EscalationNotice(
                    item_key=n.item.key,
                    kind=n.item.kind,
                    level=n.level,
                    occasion=n.occasion,
                    days_before=n.days_before,
                    recipient=user,
                    due_date=n.item.due,
                    batch=token,
                )
                for n in notices
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        mine = set(
            EscalationNotice.objects.filter(recipient=user, batch=token).values_list(
                "item_key", "level", "occasion", "days_before"
            )
        )
        new = [n for n in notices if (n.item.key, n.level, n.occasion, n.days_before) in mine]
        if new:
            _mail(user, new, today)
    return len(new)


def send_notices(*, today: dt.date | None = None) -> dict:
    """Send today's reminders and escalations, each once; return how many notices and mails went out."""
    today = today or timezone.localdate()
    ladder = rules()
    sent = {"notices": 0, "mails": 0}
    with translation.override(settings.LANGUAGE_CODE):
        notices = [n for n in (notice_for(item, ladder) for item in due_items(today, ladder=ladder)) if n]
        for user, theirs in sorted(recipients(notices).items(), key=lambda pair: pair[0].pk):
            new = _send_to(user, theirs, today)
            sent["notices"] += new
            sent["mails"] += 1 if new else 0
    log.info("Escalation on %s: %s notices in %s mails", today, sent["notices"], sent["mails"])
    return sent
