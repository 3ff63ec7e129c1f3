"""What free text may carry onto a public page or into an open-data file: no phone number, no e-mail address, no
person's name introduced by a title.

Every text field the public app publishes goes through `public_text`. Fields that are lists of people (a tambon
plan's capital_people) or reviewers' notes are never published at all: see public/selectors.py, which names the
fields it reads. This module is the second line: people write contact details into any box ("ติดต่อ นายสมชาย
081-234-5678, somchai@example.com"), so they are masked wherever they appear.
"""

import re

# Thai digits count as digits: a number typed ๐๘๑-๒๓๔-๕๖๗๘ is a phone number too.
_D = "[0-9\u0e50-\u0e59]"
# A phone number: an international prefix (+66, 0066, +44 …) with an optional area or mobile prefix, or a Thai
# trunk prefix (0 and one or two digits, maybe in brackets), then 6 to 8 more digits that may be split by spaces,
# dots or hyphens. Thai numbers have 9 (landline 02-123-4567) or 10 digits (mobile 081-234-5678). Money (1,500,000),
# years (2568) and codes without a leading 0 or + never match.
PHONE = re.compile(
    rf"(?<![0-9\u0e50-\u0e59])"
    rf"(?:(?:\+|00)\s?{_D}{{1,3}}[\s.\-]?\(?{_D}{{0,3}}\)?|\(?[0\u0e50]{_D}{{1,2}}\)?)"
    rf"(?:[\s.\-]?{_D}){{6,8}}"
    rf"(?![0-9\u0e50-\u0e59])"
)
# An e-mail address, also written with spaces around the @ or with "(at)"/"[at]".
EMAIL = re.compile(r"[\w.+\-]+\s?(?:@|\(at\)|\[at\])\s?[\w\-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w\-]+)+", re.IGNORECASE)
# A person's name introduced by a title: นาย/นาง/นางสาว/น.ส./ด.ช./ด.ญ. (written against the first name) or Mr, Mrs,
# Ms, Miss, then the first name and, when it follows, the surname. Over-masking is accepted: "นางรอง" written as
# free text is masked too (area names come from the areas tables and are never masked); words that start like a title
# but name an office (นายก อบต., นายอำเภอ, นางพยาบาล) or a place (นางรอง, นางเลิ้ง) are left alone.
PERSON = re.compile(
    r"(?:(?<=\s)|^|(?<=[(\"'“]))"
    r"(?:นางสาว|นาย(?!ก(?:อบต|เทศ|องค์|สมาคม|รัฐ|ฯ|\s|$)|อำเภอ|ทุน|จ้าง|ช่าง|หน้า|ตรวจ|ทหาร|ประกัน|ด่าน)"
    r"|นาง(?!รอง|เลิ้ง|พยาบาล|งาม|แล)|น\.ส\.|ด\.ช\.|ด\.ญ\.)\s?[\u0e01-\u0e4e]+(?:\s+[\u0e01-\u0e4e]+)?"
    r"|\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-zA-Z\-']+(?:\s+[A-Z][a-zA-Z\-']+)?"
)
# The marks are bilingual on purpose: the free text around them is whatever language people wrote it in, and an
# open-data file is the same whatever the page language.
PHONE_MARK = "[โทรศัพท์ถูกซ่อน/phone hidden]"
EMAIL_MARK = "[อีเมลถูกซ่อน/e-mail hidden]"
PERSON_MARK = "[ชื่อบุคคลถูกซ่อน/name hidden]"


def mask_contacts(text: str) -> str:
    """Replace phone numbers and e-mail addresses in the text with a mark."""
    if not text:
        return ""
    text = EMAIL.sub(EMAIL_MARK, text)
    return PHONE.sub(PHONE_MARK, text)


def mask_people(text: str) -> str:
    """Replace names written after a personal title (นาย, นาง, นางสาว, Mr …) with a mark."""
    if not text:
        return ""
    return PERSON.sub(PERSON_MARK, text)


def public_text(text: str | None) -> str:
    """Return free text fit to publish: contacts and titled names masked, surrounding spaces trimmed."""
    return mask_people(mask_contacts(text or "")).strip()
