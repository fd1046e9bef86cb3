"""Signed credentials anyone can check without us (issue H, items 3, 4, 5 and 7).

Signatures are checked here with PyNaCl (libsodium), not with the joserfc/cryptography pair that
made them, against the keys as the public DID document serves them."""

import base64
import datetime
import gzip
import json
import os
import re
import stat
import warnings
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from joserfc import jws
from joserfc.errors import SecurityWarning
from jsonschema import Draft201909Validator, Draft202012Validator, FormatChecker
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from PIL import Image

from skills import certificates, credentials, roles
from skills.models import Certificate, CredentialKey, TrackerLogEntry
from tests.factories import CentreFactory
from tests.skills.test_certificate_pdf import pdftoppm, render_png  # noqa: F401 (fixture)
from tests.skills.test_certificates import completed_cohort
from tests.website.test_neutral_surface import NEUTRAL, NEUTRAL_HOST, forbidden_words_in

DID = f"did:web:{NEUTRAL_HOST}"


@pytest.fixture(autouse=True)
def neutral_host(settings):
    settings.SAKHI_NEUTRAL_BASE_URL = NEUTRAL
    cache.clear()


@pytest.fixture
def centre(db):
    return CentreFactory(
        name="Testpur Centre", slug="testpur", code="TST", district="Testpur", district_hi="टेस्टपुर"
    )


@pytest.fixture
def issued(centre):
    """Certificates of a small cohort: Priya Kshatriya's first."""
    cohort = completed_cohort(centre, size=2, attended=(10, 10))
    issued, _skipped = certificates.issue_for_cohort(cohort)
    return sorted(issued, key=lambda certificate: certificate.enrolment.trainee.full_name)


def b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parts(token):
    header, payload, signature = token.split(".")
    return json.loads(b64decode(header)), json.loads(b64decode(payload)), b64decode(signature)


def published_key(client, kid):
    """The public key with this id, as anyone reads it from the issuer's DID document."""
    document = client.get("/.well-known/did.json", HTTP_HOST=NEUTRAL_HOST).json()
    did, _hash, fragment = kid.rpartition("#")
    assert document["id"] == (did or DID)
    method = next(m for m in document["verificationMethod"] if m["id"] == f"{DID}#{fragment}")
    assert method["id"] in document["assertionMethod"]
    return VerifyKey(b64decode(method["publicKeyJwk"]["x"]))


def verify(client, token):
    """PyNaCl's check of the raw Ed25519 signature over the JWS signing input."""
    header, payload, signature = parts(token)
    signing_input = token.rsplit(".", 1)[0].encode()
    published_key(client, header["kid"]).verify(signing_input, signature)
    return header, payload


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def changed(payload, path):
    copy = json.loads(json.dumps(payload))
    target = copy
    for step in path[:-1]:
        target = target[step]
    old = target[path[-1]]
    target[path[-1]] = (
        (not old) if isinstance(old, bool) else (old + 1 if isinstance(old, int) else f"{old}x")
    )
    return copy


def reencoded(token, payload):
    header, _payload, signature = token.split(".")
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=")
    return f"{header}.{body.decode()}.{signature}"


# ---------------------------------------------------------------------------------------------
# The credential (item 3)
# ---------------------------------------------------------------------------------------------


def test_the_credential_says_what_the_certificate_says_and_nothing_more(client, issued):
    certificate = issued[0]
    trainee = certificate.enrolment.trainee
    course = certificate.enrolment.cohort.course
    header, credential = verify(client, certificate.credential)
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": f"{DID}#key-1"}
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": "Skill Development Programme, Testpur",
        "url": NEUTRAL + "/",
    }
    assert credential["validFrom"] == f"{certificate.issued_on.isoformat()}T00:00:00+05:30"
    subject = credential["credentialSubject"]
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Priya Kshatriya"}
    ]
    assert subject["activityStartDate"].startswith("2026-01-05")
    achievement = subject["achievement"]
    assert achievement["name"] == course.title and achievement["achievementType"] == "Certificate"
    assert achievement["fieldOfStudy"] == course.trade.name
    assert f"{course.hours} hours" in achievement["description"]
    # Nothing more about her, nor where she was helped.
    text = json.dumps(credential, ensure_ascii=False)
    for private in (
        trainee.date_of_birth.isoformat(),
        "Testpur Centre",
        "testpur",
        "TST",
        certificate.verification_code,
    ):
        assert private not in text, private
    assert forbidden_words_in(text) == []
    assert forbidden_words_in(json.dumps(header)) == []


def test_changing_any_field_breaks_the_signature(client, issued):
    token = issued[0].credential
    _header, payload, _signature = parts(token)
    checked = 0
    for path, _value in leaves(payload):
        with pytest.raises(BadSignatureError):
            verify(client, reencoded(token, changed(payload, path)))
        checked += 1
    assert checked > 20
    verify(client, reencoded(token, payload))  # re-encoding alone, compactly, keeps it valid


def test_keys_rotate_and_old_credentials_still_verify(client, issued, centre):
    old = issued[0]
    call_command("rotate_credential_key")
    newer = certificates.reissue(old)
    header, _credential = verify(client, newer.credential)
    assert header["kid"] == f"{DID}#key-2"
    verify(client, Certificate.objects.get(pk=old.pk).credential)
    response = client.get("/.well-known/did.json", HTTP_HOST=NEUTRAL_HOST)
    document = response.json()
    assert [m["id"] for m in document["verificationMethod"]] == [f"{DID}#key-1", f"{DID}#key-2"]
    assert all(set(m["publicKeyJwk"]) == {"kty", "crv", "x"} for m in document["verificationMethod"])
    for key in CredentialKey.objects.all():
        assert key.private_key and key.private_key not in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/did+json"
    for method in document["verificationMethod"]:  # random base64: a word found there says nothing
        del method["publicKeyJwk"]["x"]
    assert forbidden_words_in(json.dumps(document)) == []


def test_private_keys_can_live_in_files_outside_the_database(client, db, settings, tmp_path):
    settings.SAKHI_CREDENTIAL_KEY_DIR = str(tmp_path)
    key = credentials.rotate_key()
    assert key.private_key == ""
    [key_file] = tmp_path.iterdir()
    assert key_file.name == f"key-{key.number}-{key.public_key}.ed25519"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    token = credentials.sign({"kid": f"key-{key.number}"}, {"n": "X"}, key)
    verify(client, token)


def test_a_key_file_left_by_a_rolled_back_key_blocks_nothing(client, db, settings, tmp_path):
    """An issue that made a key and then failed rolls the key's row back, not its file: the next
    key of that number is still made, and signs with its own private half."""
    settings.SAKHI_CREDENTIAL_KEY_DIR = str(tmp_path)
    with pytest.raises(RuntimeError), transaction.atomic():
        orphan = credentials.rotate_key()
        raise RuntimeError("the PDF could not be drawn")
    key = credentials.rotate_key()
    assert key.number == orphan.number and key.public_key != orphan.public_key
    verify(client, credentials.sign({"kid": f"key-{key.number}"}, {"n": "X"}, key))
    # A file that is not the key's private half is refused, never used to sign.
    credentials._key_file(key).unlink()
    (tmp_path / f"key-{key.number}.ed25519").write_text(credentials.b64url(b"\x01" * 32))
    with pytest.raises(ImproperlyConfigured, match="not the private half"):
        credentials.sign({"kid": f"key-{key.number}"}, {"n": "X"}, key)


def test_coordinators_download_the_credential_scoped_and_audited(client, issued, centre, django_user_model):
    certificate = issued[0]
    coordinator = django_user_model.objects.create_user("credential.coordinator", password="x")
    coordinator.groups.add(Group.objects.get(name=roles.COORDINATORS))
    centre.coordinators.add(coordinator)
    other = django_user_model.objects.create_user("credential.elsewhere", password="x")
    other.groups.add(Group.objects.get(name=roles.COORDINATORS))
    CentreFactory(slug="elsewhere", code="ELS").coordinators.add(other)
    url = reverse("skills_certificate:credential_download", args=[certificate.pk])

    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    inspect = client.get(reverse("skills_certificate:inspect", args=[certificate.pk]))
    assert url in inspect.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.jwt"'
    assert response.content.decode() == certificate.credential
    entry = TrackerLogEntry.objects.filter(
        action="sakhi.certificate_download", object_id=str(certificate.pk)
    ).get()
    assert entry.user == coordinator and entry.data == {"file": "credential"}


def test_signing_leaves_the_process_warning_filters_alone(db, monkeypatch):
    """joserfc 1.8 warns at every "EdDSA" signature (RFC 9864 prefers "Ed25519"). The warning is
    quietened for the credentials' own registry, never by warnings.catch_warnings(), which
    changes the filters of every thread in the process while one signature is made."""

    def refuse(*args, **kwargs):
        raise AssertionError("warnings.catch_warnings() while signing")

    key = credentials.rotate_key()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        monkeypatch.setattr(warnings, "catch_warnings", refuse)
        try:
            token = credentials.sign({"kid": f"key-{key.number}"}, {"n": "X"}, key)
        finally:
            monkeypatch.undo()  # pytest itself uses it when a test fails
    assert [warning for warning in caught if issubclass(warning.category, SecurityWarning)] == []
    assert parts(token)[0] == {"alg": "EdDSA", "kid": f"key-{key.number}"}
    # Everyone else's joserfc still warns about "EdDSA".
    assert jws.JWSRegistry.algorithms["EdDSA"].security_warning


def test_certificates_issued_before_credentials_get_one_by_command(client, issued, centre):
    """An operator signs the certificates issued before credentials existed; running it again
    changes nothing, and their PDFs stay the ones issued."""
    earlier, signed = issued
    revoked = certificates.issue_for_cohort(completed_cohort(centre, size=1, attended=(10,)))[0][0]
    certificates.revoke(revoked, "Issued in error")
    unsigned = {"credential": "", "offline_token": "", "status_index": None}
    Certificate.objects.filter(pk__in=[earlier.pk, revoked.pk]).update(**unsigned)
    with earlier.pdf.open("rb") as stored:
        pdf = stored.read()
    before = Certificate.objects.get(pk=signed.pk)

    out = StringIO()
    call_command("sign_certificates", stdout=out)
    assert out.getvalue().splitlines() == [
        f"  signed {earlier.number}",
        "1 certificate(s) given a signed credential.",
    ]
    earlier = Certificate.objects.get(pk=earlier.pk)
    header, credential = verify(client, earlier.credential)
    assert header["typ"] == "vc+jwt"
    name = credential["credentialSubject"]["identifier"][0]["identityHash"]
    assert name == earlier.enrolment.trainee.full_name
    assert verify(client, earlier.offline_token)[1]["n"] == earlier.number
    assert earlier.status_index is not None and revoked_bit(client, earlier.credential) is False
    with earlier.pdf.open("rb") as stored:
        assert stored.read() == pdf
    assert Certificate.objects.get(pk=revoked.pk).credential == ""
    after = Certificate.objects.get(pk=signed.pk)
    assert (after.credential, after.status_index) == (before.credential, before.status_index)

    again = StringIO()
    call_command("sign_certificates", stdout=again)
    assert again.getvalue() == "Every valid certificate has a signed credential already.\n"
    assert Certificate.objects.get(pk=earlier.pk).credential == earlier.credential


def test_signing_earlier_certificates_needs_the_neutral_address(issued, settings):
    Certificate.objects.filter(pk=issued[0].pk).update(credential="")
    settings.SAKHI_NEUTRAL_BASE_URL = ""
    with pytest.raises(CommandError, match="SAKHI_NEUTRAL_BASE_URL"):
        call_command("sign_certificates", stdout=StringIO())
    assert Certificate.objects.get(pk=issued[0].pk).credential == ""


# ---------------------------------------------------------------------------------------------
# Revocation through the status list (item 4)
# ---------------------------------------------------------------------------------------------


def revoked_bit(client, credential_token):
    """Read the certificate's bit the way any verifier would: fetch and check the list, decode it."""
    status = parts(credential_token)[1]["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    url = urlsplit(status["statusListCredential"])
    assert f"{url.scheme}://{url.netloc}" == NEUTRAL
    response = client.get(url.path, HTTP_HOST=NEUTRAL_HOST)
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    assert response["Access-Control-Allow-Origin"] == "*"
    header, status_list = verify(client, response.content.decode())
    assert header["typ"] == "vc+jwt"
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["id"] == status["statusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")
    bits = gzip.decompress(b64decode(subject["encodedList"][1:]))
    assert len(bits) * 8 >= 131_072
    assert forbidden_words_in(json.dumps({**status_list, "credentialSubject": {}})) == []
    index = int(status["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_revoked_certificate_shows_revoked_in_the_status_list(client, issued):
    first, second = issued
    assert revoked_bit(client, first.credential) is False
    certificates.revoke(first, "Issued in error")
    assert revoked_bit(client, first.credential) is True
    assert revoked_bit(client, second.credential) is False


def test_a_reissue_revokes_the_old_credential_and_makes_a_new_one(client, issued):
    old = issued[0]
    new = certificates.reissue(old)
    assert new.credential and new.credential != old.credential
    assert new.status_index != old.status_index
    assert revoked_bit(client, old.credential) is True
    assert revoked_bit(client, new.credential) is False


def test_status_entries_are_unique_and_say_nothing_of_the_centre(issued, monkeypatch):
    first, second = issued
    assert first.status_index != second.status_index
    # Two issues that draw the same entry: the unique index refuses the second, which draws again.
    draws = iter([first.status_index, first.status_index, 5])
    monkeypatch.setattr(credentials.secrets, "randbelow", lambda size: next(draws))
    third = Certificate.objects.get(pk=second.pk)
    third.status_index = None
    Certificate.objects.filter(pk=third.pk).update(status_index=None)
    assert credentials.allocate_status_index(third) == 5
    assert Certificate.objects.get(pk=third.pk).status_index == 5


def test_unknown_status_lists_are_not_found(client, issued):
    assert client.get("/credentials/status/2", HTTP_HOST=NEUTRAL_HOST).status_code == 404
    assert client.get("/credentials/status/0", HTTP_HOST=NEUTRAL_HOST).status_code == 404


# ---------------------------------------------------------------------------------------------
# The QR code's offline token (item 5)
# ---------------------------------------------------------------------------------------------


def test_the_qr_code_carries_a_signed_token_and_still_opens_the_page(client, issued, pdftoppm, tmp_path):  # noqa: F811
    certificate = issued[0]
    with certificate.pdf.open("rb") as stored:
        pdf = stored.read()
    with Image.open(render_png(pdftoppm, pdf, tmp_path, dpi=300)) as image:
        codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    url, _hash, fragment = codes[0].text.partition("#")
    assert url == NEUTRAL + certificate.get_verification_url()
    assert fragment.startswith("t=")
    token = fragment[2:]
    header, claims = verify(client, token)
    assert header == {"alg": "EdDSA", "kid": "key-1"}
    assert claims == {
        "n": certificate.number,
        "c": certificate.enrolment.cohort.course.title,
        "i": "P.K.",
        "f": "2026-01-05",
        "u": "2026-03-31",
        "d": certificate.issued_on.isoformat(),
        "s": certificate.status_index,
    }
    for path, _value in leaves(claims):  # any claim changed breaks the signature
        with pytest.raises(BadSignatureError):
            verify(client, reencoded(token, changed(claims, path)))
    # The page the camera opens is the ordinary verification page: the fragment never reaches us.
    assert client.get(urlsplit(url).path, HTTP_HOST=NEUTRAL_HOST).status_code == 200


# ---------------------------------------------------------------------------------------------
# The published schemas (item 7): tests/data/schemas/README.md says where they come from
# ---------------------------------------------------------------------------------------------

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def date_time_checker():
    """JSON Schema's "date-time" (RFC 3339: a date, a time and a zone) checked, not just named:
    jsonschema leaves it unchecked unless an optional package is installed."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.fullmatch(value):
            raise ValueError(f"not an RFC 3339 date-time: {value}")
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None

    return checker


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")


def test_credentials_validate_against_the_published_schemas(client, issued):
    vc_schema = schema("vc-2.0-verifiable-credential-schema.json")
    assert vc_schema["$id"] == "https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json"
    vc = Draft202012Validator(vc_schema, format_checker=date_time_checker())
    badges_schema = schema("ob_v3p0_achievementcredential_schema.json")
    assert badges_schema["$schema"].startswith("https://json-schema.org/draft/2019-09/")
    assert badges_schema["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/")
    assert "validFrom" in badges_schema["required"], "the Open Badges 3.0 schema of VC 2.0"
    badges = Draft201909Validator(badges_schema, format_checker=date_time_checker())

    # The whole credential, against both schemas as published: no exception, no part left out.
    credential = parts(issued[0].credential)[1]
    vc.validate(credential)
    badges.validate(credential)

    status_list = urlsplit(credential["credentialStatus"]["statusListCredential"]).path
    response = client.get(status_list, HTTP_HOST=NEUTRAL_HOST)
    vc.validate(parts(response.content.decode())[1])

    # The schemas can fail: a credential without its subject, with an identity Open Badges does
    # not know, with a date that is no date, or in the older VC 1.1 shape, is refused.
    assert list(vc.iter_errors({k: v for k, v in credential.items() if k != "credentialSubject"}))
    assert list(badges.iter_errors({k: v for k, v in credential.items() if k != "credentialSubject"}))
    subject = credential["credentialSubject"]
    unknown_identity = [{**subject["identifier"][0], "identityType": "mobile"}]
    unknown = {**subject, "identifier": unknown_identity}
    assert list(badges.iter_errors({**credential, "credentialSubject": unknown}))
    achievement = {**subject["achievement"], "name": 1}
    assert list(
        badges.iter_errors({**credential, "credentialSubject": {**subject, "achievement": achievement}})
    )
    assert list(badges.iter_errors({**credential, "validFrom": "2026-03-31"}))
    older = {k: v for k, v in credential.items() if k != "validFrom"}
    assert list(badges.iter_errors({**older, "issuanceDate": credential["validFrom"]}))
