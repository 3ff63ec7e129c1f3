"""Path converters with bounds: a URL whose id or code no column can hold does not match, so it is a 404 before
any query (Django's `int` takes any number of digits, and a 20-digit id reached the database)."""

import re


class IdConverter:
    """A database id or a small ordinal number: 1 to 18 digits, always below 2**63-1."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter(IdConverter):
    """A year of four digits (B.E.); the view checks its range."""

    regex = "[0-9]{4}"


class QuarterConverter(IdConverter):
    """A fiscal quarter, 1 to 4."""

    regex = "[1-4]"


class CodeConverter:
    """A plan, indicator or area code: up to 40 characters (the code columns' size), no slash, no control character."""

    regex = r"[^/\x00-\x1f\x7f]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def is_code(value) -> bool:
    """Return whether a raw query value has the shape of a code (as CodeConverter): check before looking it up."""
    return isinstance(value, str) and re.fullmatch(CodeConverter.regex, value) is not None


CONVERTERS = {"id": IdConverter, "year": YearConverter, "quarter": QuarterConverter, "code": CodeConverter}
