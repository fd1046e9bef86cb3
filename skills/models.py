from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CentreQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Centre(models.Model):
    """A One Stop Centre (Sakhi centre) that runs vocational training for the women it supports."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        help_text=_("Short capital-letter code used in certificate numbers, e.g. LKO."),
    )
    district = models.CharField(_("district"), max_length=80)
    state = models.CharField(_("state"), max_length=80)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["state", "district", "name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2,5}$"), name="centre_code_capitals"
            ),
        ]

    def __str__(self):
        return self.name


class Trade(models.Model):
    """A vocational trade taught at the centres, such as tailoring or food processing."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_hi = models.CharField(_("name in Hindi"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    sector = models.CharField(_("sector"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        if get_language() == "hi" and self.name_hi:
            return self.name_hi
        return self.name
