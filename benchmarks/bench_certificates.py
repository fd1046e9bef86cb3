"""Time issuing training certificates as PDF, against a bare reportlab page drawn in the same run.

    .venv/bin/python benchmarks/bench_certificates.py [--count 1000]

Renders --count single-certificate PDFs (English and Hindi, shaped Devanagari, QR code) from varied
made-up content through skills.certificate_pdf, with no database: every certificate names a different
woman (English and Hindi; up to 1,170 different pairs), as a real batch does, so the shaping of her
name is never found in a cache filled by an earlier certificate. Then, in the same run: the same
number with names drawn from 25 pairs (what the shaping cache saves), and bare reportlab pages (A4
landscape, one line of Helvetica). Prints the totals, milliseconds per page and the ratios, then the
bulk outputs: one combined PDF and a zip of the single PDFs. Target: 1,000 certificates with
distinct names in under 6 s on a 2-core machine. Fonts are loaded once before the clock starts, as a
running server does on its first certificate; that one-off time is printed too."""

import argparse
import cProfile
import datetime
import io
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from core.pdf import register_fonts  # noqa: E402
from skills.certificate_pdf import (  # noqa: E402
    PAGE_HEIGHT,
    PAGE_WIDTH,
    CertificateContent,
    build_zip,
    render_certificate,
    render_combined,
)

TARGET_SECONDS = 6.0

FIRST_NAMES = [
    ("Priya", "प्रिया"),
    ("Sunita", "सुनीता"),
    ("Kavita", "कविता"),
    ("Anjali", "अंजलि"),
    ("Pooja", "पूजा"),
    ("Rekha", "रेखा"),
    ("Shabnam", "शबनम"),
    ("Meena", "मीना"),
    ("Lakshmi", "लक्ष्मी"),
    ("Nandini", "नंदिनी"),
    ("Geeta", "गीता"),
    ("Ruksana", "रुख़साना"),
    ("Kshama", "क्षमा"),
    ("Shraddha", "श्रद्धा"),
    ("Asha", "आशा"),
    ("Anita", "अनीता"),
    ("Neha", "नेहा"),
    ("Rani", "रानी"),
    ("Savitri", "सावित्री"),
    ("Shabana", "शबाना"),
    ("Farzana", "फ़रज़ाना"),
    ("Radha", "राधा"),
    ("Seema", "सीमा"),
    ("Usha", "उषा"),
    ("Nirmala", "निर्मला"),
    ("Kiran", "किरण"),
    ("Sangeeta", "संगीता"),
    ("Pushpa", "पुष्पा"),
    ("Rubina", "रुबीना"),
    ("Preeti", "प्रीति"),
    ("Tripti", "तृप्ति"),
    ("Shanti", "शांति"),
    ("Nazia", "नाज़िया"),
    ("Sarita", "सरिता"),
    ("Mamta", "ममता"),
    ("Babita", "बबीता"),
    ("Poonam", "पूनम"),
    ("Suman", "सुमन"),
    ("Renu", "रेनू"),
    ("Jyoti", "ज्योति"),
    ("Manju", "मंजू"),
    ("Sushila", "सुशीला"),
    ("Parveen", "परवीन"),
    ("Hemlata", "हेमलता"),
    ("Bindu", "बिंदु"),
]
LAST_NAMES = [
    ("Kshatriya", "क्षत्रिय"),
    ("Devi", "देवी"),
    ("Tripathi", "त्रिपाठी"),
    ("Mishra", "मिश्रा"),
    ("Yadav", "यादव"),
    ("Kumari", "कुमारी"),
    ("Khan", "ख़ान"),
    ("Prajapati", "प्रजापति"),
    ("Shrivastava", "श्रीवास्तव"),
    ("Chaturvedi", "चतुर्वेदी"),
    ("Kushwaha", "कुशवाहा"),
    ("Begum", "बेगम"),
    ("Kumar", "कुमार"),
    ("Verma", "वर्मा"),
    ("Khatoon", "ख़ातून"),
    ("Singh", "सिंह"),
    ("Gupta", "गुप्ता"),
    ("Prasad", "प्रसाद"),
    ("Paswan", "पासवान"),
    ("Maurya", "मौर्य"),
    ("Ansari", "अंसारी"),
    ("Nishad", "निषाद"),
    ("Rawat", "रावत"),
    ("Sahni", "सहनी"),
    ("Mandal", "मंडल"),
    ("Chaudhary", "चौधरी"),
]
COURSES = [
    ("Tailoring and Garment Making", "सिलाई एवं परिधान निर्माण", "Tailoring", "सिलाई", 240),
    ("Beauty and Wellness", "सौंदर्य एवं स्वास्थ्य", "Beautician", "ब्यूटीशियन", 180),
    (
        "Computer Basics and Data Entry",
        "कंप्यूटर की बुनियादी जानकारी एवं डेटा एंट्री",
        "Data Entry Operator",
        "डेटा एंट्री ऑपरेटर",
        160,
    ),
    (
        "Food Processing and Pickle Making",
        "खाद्य प्रसंस्करण एवं अचार निर्माण",
        "Food Processing",
        "खाद्य प्रसंस्करण",
        120,
    ),
    ("Embroidery and Zari Work", "कढ़ाई एवं ज़री का काम", "Embroidery", "कढ़ाई", 150),
    ("Home Nursing Assistant", "गृह नर्सिंग सहायक", "Patient Care", "रोगी देखभाल", 300),
    ("Mobile Phone Repair", "", "Electronics Repair", "इलेक्ट्रॉनिक्स मरम्मत", 200),
]
DISTRICTS = [
    ("LKO", "Lucknow", "लखनऊ"),
    ("PAT", "Patna", "पटना"),
    ("VNS", "Varanasi", "वाराणसी"),
    ("PRJ", "Prayagraj", "प्रयागराज"),
    ("MZP", "Muzaffarpur", "मुज़फ़्फ़रपुर"),
    ("KNP", "Kanpur Nagar", "कानपुर नगर"),
    ("RNC", "Ranchi", ""),
]


def names(count, rng, pool=None):
    """count (English, Hindi) names, all different while the pairs last (then again in order)."""
    pairs = [(first, last) for first in FIRST_NAMES[:pool] for last in LAST_NAMES[:pool]]
    rng.shuffle(pairs)
    return [pairs[n % len(pairs)] for n in range(count)]


def made_up_certificates(count, seed=2024, pool=None):
    """count certificates; pool=n draws the names from the first n first and last names only."""
    rng = random.Random(seed)
    certificates = []
    for serial, ((first, first_hi), (last, last_hi)) in enumerate(names(count, rng, pool), start=1):
        course, course_hi, trade, trade_hi, hours = rng.choice(COURSES)
        code, district, district_hi = rng.choice(DISTRICTS)
        start = datetime.date(2023, 1, 2) + datetime.timedelta(days=rng.randrange(600))
        end = start + datetime.timedelta(days=rng.randrange(60, 150))
        number = f"{code}-{end.year}-{serial:06d}"
        certificates.append(
            CertificateContent(
                number=number,
                verification_url=f"https://skills.example.in/certificates/verify/{number}/",
                trainee_name=f"{first} {last}",
                trainee_name_hi=f"{first_hi} {last_hi}",
                course_title=course,
                course_title_hi=course_hi,
                trade=trade,
                trade_hi=trade_hi,
                hours=hours,
                start_date=start,
                end_date=end,
                district=district,
                district_hi=district_hi,
                issued_on=end + datetime.timedelta(days=rng.randrange(1, 20)),
            )
        )
    return certificates


def bare_page():
    canvas = Canvas(io.BytesIO(), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True, pageCompression=1)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, PAGE_HEIGHT / 2, "Certificate of Training")
    canvas.showPage()
    return canvas.getpdfdata()


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--profile", action="store_true", help="print the functions the distinct-name run spends its time in"
    )
    arguments = parser.parse_args()
    count = arguments.count
    certificates = made_up_certificates(count)
    distinct = len({(c.trainee_name, c.trainee_name_hi) for c in certificates})
    few_names = made_up_certificates(count, seed=2025, pool=5)
    _, font_seconds = timed(register_fonts)
    bare_page()

    profiler = cProfile.Profile() if arguments.profile else None
    if profiler:
        profiler.enable()
    pdfs, seconds = timed(lambda: [render_certificate(content) for content in certificates])
    if profiler:
        profiler.disable()
    _, few_names_seconds = timed(lambda: [render_certificate(content) for content in few_names])
    _, bare_seconds = timed(lambda: [bare_page() for _ in range(count)])
    combined, combined_seconds = timed(render_combined, certificates)
    files = [f"certificate-{content.number}.pdf" for content in certificates]
    archive, zip_seconds = timed(build_zip, zip(files, pdfs, strict=True))

    per_certificate = seconds / count * 1000
    per_bare_page = bare_seconds / count * 1000
    average_kb = sum(map(len, pdfs)) / count / 1024
    print(f"Fonts loaded once per process in {font_seconds * 1000:.0f} ms (not counted below).")
    print(
        f"{count:,} certificates, {distinct:,} different names (English and Hindi, QR code): {seconds:.2f} s, "
        f"{per_certificate:.2f} ms each, {average_kb:.0f} KB each on average"
    )
    print(
        f"{count:,} certificates, names from 25 pairs (shaping cache warm): {few_names_seconds:.2f} s, "
        f"{few_names_seconds / count * 1000:.2f} ms each"
    )
    print(
        f"{count:,} bare reportlab pages, same size, one line of text: {bare_seconds:.2f} s, {per_bare_page:.2f} ms each"
    )
    print(f"Ratio: a certificate costs {per_certificate / per_bare_page:.1f} bare pages")
    print(
        f"Bulk: combined PDF of {count:,} pages in {combined_seconds:.2f} s ({len(combined) / 2**20:.1f} MB); "
        f"zip of the {count:,} PDFs in {zip_seconds:.2f} s ({len(archive) / 2**20:.1f} MB)"
    )
    target = TARGET_SECONDS * count / 1000
    verdict = "met" if seconds < target else "MISSED"
    print(f"Target: {count:,} certificates with different names in under {target:.1f} s: {verdict}.")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
