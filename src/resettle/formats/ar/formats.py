"""Arabic, where Django's formats leave two gaps:

- no NUMBER_GROUPING, so Django's default (0) turned off grouping: intcomma and
  floatformat's "g" wrote 2000000 where the thousands separator gives 2.000.000;
- no short date and time, which then fell back to the US default (m/d/Y): day first
  here, as Arabic's short date is, with Arabic's time format.
"""

NUMBER_GROUPING = 3
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
