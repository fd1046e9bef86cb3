"""The demo data set: the story of DESIGN.md, in English and Hindi."""

from django.db import transaction

from core import generations
from placements import summaries
from placements.demo import seed_placements
from placements.public_figures import invalidate_public_figures
from skills.demo import seed_centres_and_trades
from skills.demo_tracker import seed_certificates, seed_tracker


def seed_demo_data():
    """Centres, trades, training history and the bilingual page tree; users are separate."""
    from .site import seed_site

    with transaction.atomic():
        seed_centres_and_trades()
        seed_tracker()  # before the site: course announcements link the open cohorts
        seed_certificates()
        seed_placements()
        # The seeding writes in bulk, past the services: rewrite the summaries and figures once.
        summaries.refresh()
        invalidate_public_figures()
        generations.invalidate_all()  # the lists of centres and trades kept for public pages too
        return seed_site()
