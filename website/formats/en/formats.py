"""Dates as India writes them, dd/mm/yyyy, for English; Django's own en formats give the rest.

Django's en formats read 04/05/1998 as 5 April (US order); a coordinator means 4 May. The ISO form
(yyyy-mm-dd) stays accepted: a browser's <input type="date"> sends it whatever it shows."""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
