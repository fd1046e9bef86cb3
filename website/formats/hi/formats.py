"""The Hindi site reads typed dates the same way as the English one (see website/formats/en)."""

from website.formats.en.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
