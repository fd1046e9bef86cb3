"""Numbers and money as Indian readers write them: lakhs and crores (1,00,000 and 1,00,00,000),
not thousands and millions (100,000). One implementation for the public figures, the vacancy board,
the employer portal and the reports; templates reach it through the `indian` filters."""

from django.utils.translation import gettext


def indian_number(number):
    """An integer with Indian digit grouping: the last three digits, then pairs (12,34,567)."""
    sign, digits = ("-", str(-number)) if number < 0 else ("", str(number))
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return sign + ",".join([*groups, tail])


def rupees(amount):
    """An amount in rupees: ₹1,25,000."""
    return "₹" + indian_number(amount)


def monthly_pay_range(low, high):
    """A monthly pay range in the visitor's language: "₹10,000 to ₹12,000 a month", or one amount
    when the pay is fixed."""
    if low == high:
        return gettext("%(pay)s a month") % {"pay": rupees(high)}
    return gettext("%(low)s to %(high)s a month") % {"low": rupees(low), "high": rupees(high)}
