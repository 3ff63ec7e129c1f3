"""Free text is published only with phone numbers, e-mail addresses and titled names masked."""

import pytest

from public.privacy import EMAIL_MARK, PERSON_MARK, PHONE_MARK, mask_contacts, public_text


@pytest.mark.parametrize(
    "number",
    [
        "081-234-5678",
        "0812345678",
        "081 234 5678",
        "02-123-4567",
        "02 123 4567",
        "(02) 123 4567",
        "053-123456",
        "+66 81 234 5678",
        "+6681-234-5678",
        "0066 2 123 4567",
        "+44 20 7946 0958",
        "+1 (212) 555-0123",
        "๐๘๑-๒๓๔-๕๖๗๘",
    ],
)
def test_phone_numbers_are_masked(number):
    assert mask_contacts(f"โทร{number} ด่วน") == f"โทร{PHONE_MARK} ด่วน"


@pytest.mark.parametrize(
    "text",
    ["งบ 1,500,000 บาท", "ปี 2568", "รหัสตำบล 500105", "ร้อยละ 0.5", "120000 บาท", "ครัวเรือน 1200 ครัว", "พ.ศ. 2568-2570"],
)
def test_numbers_that_are_not_phones_stay(text):
    assert mask_contacts(text) == text


@pytest.mark.parametrize(
    "address", ["somchai@example.com", "som.chai+plan@codi.or.th", "somchai @ example.co.th", "x(at)y(dot)org"]
)
def test_email_addresses_are_masked(address):
    assert mask_contacts(f"ส่งที่ {address} ครับ") == f"ส่งที่ {EMAIL_MARK} ครับ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("นายสมชาย ใจดี ประธาน", f"{PERSON_MARK} ประธาน"),
        ("ติดต่อ นางสาวสมหญิง รักถิ่น", f"ติดต่อ {PERSON_MARK}"),
        ("น.ส.มาลี ศรีสุข", PERSON_MARK),
        ("Contact Mr. John Smith today", f"Contact {PERSON_MARK} today"),
        # Offices and places that start like a title are left alone.
        ("นายกอบต.แม่ริม กับนายอำเภอ", "นายกอบต.แม่ริม กับนายอำเภอ"),
        ("อำเภอนางรอง", "อำเภอนางรอง"),
        ("สภาองค์กรชุมชนตำบลช้างคลาน", "สภาองค์กรชุมชนตำบลช้างคลาน"),
    ],
)
def test_titled_names_are_masked(text, expected):
    assert public_text(text) == expected


def test_everything_at_once():
    text = "นายสมปอง ใจดี โทร 089-765-4321 somp@example.com"
    assert public_text(text) == f"{PERSON_MARK} โทร {PHONE_MARK} {EMAIL_MARK}"
    assert public_text(None) == ""
