"""Demo centres and trades. Idempotent: running it again changes nothing."""

import datetime

from .models import Centre, Trade

HINDI_PLACE_NAMES = {
    "Lucknow": "लखनऊ",
    "Patna": "पटना",
    "Buxar": "बक्सर",
    "Leh": "लेह",
    "Uttar Pradesh": "उत्तर प्रदेश",
    "Bihar": "बिहार",
    "Ladakh": "लद्दाख",
}

CENTRES = [
    {
        "slug": "lucknow",
        "code": "LKO",
        "name": ("Sakhi One Stop Centre, Lucknow", "सखी वन स्टॉप सेंटर, लखनऊ"),
        "district": "Lucknow",
        "state": "Uttar Pradesh",
        "address": "Near District Hospital, Lucknow, Uttar Pradesh",
        "phone": "0522-0000181",
        "opened_on": "2016-03-08",
    },
    {
        "slug": "patna-1",
        "code": "PAT",
        "name": ("Sakhi One Stop Centre, Patna I", "सखी वन स्टॉप सेंटर, पटना प्रथम"),
        "district": "Patna",
        "state": "Bihar",
        "address": "Gardanibagh, Patna, Bihar",
        "phone": "0612-0000181",
        "opened_on": "2017-01-26",
    },
    {
        "slug": "patna-2",
        "code": "PATB",
        "name": ("Sakhi One Stop Centre, Patna II", "सखी वन स्टॉप सेंटर, पटना द्वितीय"),
        "district": "Patna",
        "state": "Bihar",
        "address": "Danapur, Patna, Bihar",
        "phone": "0612-0000182",
        "opened_on": "2019-08-15",
    },
    {
        "slug": "buxar",
        "code": "BXR",
        "name": ("Sakhi One Stop Centre, Buxar", "सखी वन स्टॉप सेंटर, बक्सर"),
        "district": "Buxar",
        "state": "Bihar",
        "address": "Sadar Hospital Campus, Buxar, Bihar",
        "phone": "06183-000181",
        "opened_on": "2018-06-01",
    },
    {
        "slug": "leh",
        "code": "LEH",
        "name": ("Sakhi One Stop Centre, Leh", "सखी वन स्टॉप सेंटर, लेह"),
        "district": "Leh",
        "state": "Ladakh",
        "address": "SNM Hospital Road, Leh, Ladakh",
        "phone": "01982-000181",
        "opened_on": "2020-10-02",
    },
]

TRADES = [
    ("tailoring", "Tailoring", "सिलाई", "Apparel"),
    ("jute-handiwork", "Jute handiwork", "जूट हस्तशिल्प", "Handicrafts"),
    ("retail-marketing", "Retail marketing", "खुदरा विपणन", "Retail"),
    ("beauty-and-wellness", "Beauty and wellness", "सौंदर्य एवं कल्याण", "Beauty and wellness"),
    ("tie-and-dye", "Tie-and-dye", "बांधनी (टाई एंड डाई)", "Textiles"),
    ("hotel-management", "Hotel management", "होटल प्रबंधन", "Tourism and hospitality"),
    ("food-processing", "Food processing", "खाद्य प्रसंस्करण", "Food processing"),
]


def seed_centres_and_trades():
    """Create the demo centres and trades that do not exist yet; leave existing ones alone."""
    for data in CENTRES:
        Centre.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "code": data["code"],
                "name": data["name"][0],
                "name_hi": data["name"][1],
                "district": data["district"],
                "district_hi": HINDI_PLACE_NAMES[data["district"]],
                "state": data["state"],
                "state_hi": HINDI_PLACE_NAMES[data["state"]],
                "address": data["address"],
                "phone": data["phone"],
                "opened_on": datetime.date.fromisoformat(data["opened_on"]),
            },
        )
    for slug, name, name_hi, sector in TRADES:
        Trade.objects.get_or_create(slug=slug, defaults={"name": name, "name_hi": name_hi, "sector": sector})
