"""Template filters for Indian numbers and money (see core.formats): {% load indian %}."""

from django import template

from core import formats

register = template.Library()


@register.filter
def indian_number(number):
    return formats.indian_number(number)


@register.filter
def rupees(amount):
    return formats.rupees(amount)


@register.filter
def pay_range(vacancy):
    """A vacancy's monthly pay, written one way on the portal and the board."""
    return formats.monthly_pay_range(vacancy.pay_min, vacancy.pay_max)
