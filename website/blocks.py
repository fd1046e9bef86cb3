from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

from core.dates import PROGRAMME_FIRST_YEAR
from placements import public_figures


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"


class ServiceBlock(blocks.StructBlock):
    """One service a centre offers, such as medical aid or short stay."""

    name = blocks.CharBlock(label=_("Service"), max_length=80)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "tick"
        template = "blocks/service_block.html"


class ImpactFiguresValue(blocks.StructValue):
    def scope(self):
        """The Scope chosen, or None if the centre, district or state it needs is missing."""
        kind = self.get("scope")
        if kind == "all":
            return public_figures.Scope()
        if kind in ("centre", "district", "state") and self.get(kind):
            return public_figures.Scope(**{kind: self.get(kind)})
        return None

    def period(self):
        today = timezone.localdate()
        if self.get("period") == "this_year":
            return public_figures.Period.year(today.year)
        if self.get("period") == "last_year":
            return public_figures.Period.year(today.year - 1)
        return public_figures.since(self.get("since_year") or PROGRAMME_FIRST_YEAR)


class ImpactFiguresBlock(blocks.StructBlock):
    """Live figures of a centre, a district, a state or all centres: women trained and in paying work.

    Counts from 1 to 4 read "fewer than 5" (placements.public_figures says how, and why)."""

    heading = blocks.CharBlock(
        label=_("Heading"), required=False, max_length=120, help_text=_("Leave empty for “Our impact”.")
    )
    scope = blocks.ChoiceBlock(
        label=_("Figures of"),
        choices=[
            ("centre", _("One centre")),
            ("district", _("A district")),
            ("state", _("A state")),
            ("all", _("All centres")),
        ],
        default="centre",
        search_index=False,
    )
    centre = blocks.ChoiceBlock(
        label=_("Centre"), choices=public_figures.centre_choices, required=False, search_index=False
    )
    district = blocks.ChoiceBlock(
        label=_("District"), choices=public_figures.district_choices, required=False, search_index=False
    )
    state = blocks.ChoiceBlock(
        label=_("State"), choices=public_figures.state_choices, required=False, search_index=False
    )
    period = blocks.ChoiceBlock(
        label=_("Period"),
        choices=[
            ("since", _("Since a year, to date")),
            ("this_year", _("This calendar year")),
            ("last_year", _("Last calendar year")),
        ],
        default="since",
        search_index=False,
    )
    since_year = blocks.IntegerBlock(
        label=_("Since the year"), default=PROGRAMME_FIRST_YEAR, min_value=2000, required=False
    )

    class Meta:
        icon = "table"
        label = _("Impact figures")
        template = "blocks/impact_figures_block.html"
        value_class = ImpactFiguresValue

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        kind = value.get("scope")
        if kind in ("centre", "district", "state") and not value.get(kind):
            errors[kind] = ValidationError(_("Choose which one."))
        if value.get("period") == "since":
            year = value.get("since_year")
            if year is None:
                errors["since_year"] = ValidationError(_("Give the first year."))
            elif year > timezone.localdate().year:
                errors["since_year"] = ValidationError(_("The year cannot be in the future."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        scope = value.scope()
        context["figures"] = scope and public_figures.public_impact(scope, value.period())
        return context


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"], template="blocks/paragraph_block.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    impact_figures = ImpactFiguresBlock()
