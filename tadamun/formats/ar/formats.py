# Django's Arabic formats have no DATETIME_FORMAT, so times fell back to the English
# "N j, Y, P" ("ديسمبر 30, 2026, 7 م"), and write "30 ديسمبر، 2026" with a comma CLDR does not
# put there. These follow CLDR's Arabic long date ("30 ديسمبر 2026") and its 12-hour time.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y، g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d‏/m‏/Y"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y g:i A"
# CLDR's Arabic with Latin digits (the digits this site writes): 1,400.5. Django's Arabic
# grouped nothing, so counts read "1400" beside "1,400" in English.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
