"""Kazakh date and number formats (Django ships none for kk): "2026 ж. 29 қараша", "29.11.2026",
decimal comma and a non-breaking space between thousands, as in Kazakhstan's official documents."""

DATE_FORMAT = r"Y \ж. j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y \ж. j F, H:i"
YEAR_MONTH_FORMAT = r"Y \ж. F"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
