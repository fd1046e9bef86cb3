"""Signed credentials anyone can check without us: beside each certificate's PDF, a W3C Verifiable
Credential 2.0 shaped as an Open Badges 3.0 OpenBadgeCredential, and a compact token of the same
facts in the certificate's QR code. Revocation is published as one W3C Bitstring Status List for
the whole programme.

Everything here speaks for the neutral issuer (skills/neutral.py): the issuer is a ``did:web`` on
the neutral host, and a credential says what the certificate says (her name as printed, the course,
its hours and trade, the dates) and nothing more: no centre, no date of birth, nothing of why she
was trained. Signatures are Ed25519 in VC-JOSE compact JWTs (docs/decisions.md). Keys rotate; every
key ever used stays published (``did_document``), so an old credential still verifies."""

import base64
import copy
import datetime
import gzip
import json
import os
import secrets
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import OKPKey

from .models import Certificate, CredentialKey
from .neutral import issuer_name, neutral_base_url, neutral_host, neutral_url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWT_MEDIA_TYPE = "application/vc+jwt"
ALGORITHM = "EdDSA"

# One revocation list of 131,072 entries (16 KB, the W3C minimum for herd privacy) after another.
# Entries are drawn at random within a list, so an index says nothing about when or where a
# certificate was issued; a list takes new entries until half full, so a draw rarely collides.
STATUS_LIST_SIZE = 131_072
STATUS_LIST_FILL = STATUS_LIST_SIZE // 2


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------------------------------------
# The issuer and its keys
# ---------------------------------------------------------------------------------------------


def issuer_did():
    """did:web of the neutral host (a port is written %3A, as did:web says)."""
    neutral_base_url()  # refuses when the neutral host is not configured
    return "did:web:" + neutral_host().replace(":", "%3A")


def key_id(key):
    return f"{issuer_did()}#key-{key.number}"


def key_directory():
    """Where private keys live when the operator keeps them out of the database (operator guide)."""
    directory = getattr(settings, "SAKHI_CREDENTIAL_KEY_DIR", "")
    return Path(directory) if directory else None


def _key_file(key):
    """The key's file, named by its number and its public half: a file left by a key whose row
    was rolled back (an issue that failed after making the first key) never stands in the way
    of the next key of that number, nor is taken for it."""
    return key_directory() / f"key-{key.number}-{key.public_key}.ed25519"


def _read_key_file(key):
    path = _key_file(key)
    if not path.exists():  # named by its number alone, as the first version wrote it
        path = key_directory() / f"key-{key.number}.ed25519"
    private = path.read_text().strip()
    public = Ed25519PrivateKey.from_private_bytes(b64url_decode(private)).public_key()
    if b64url(public.public_bytes_raw()) != key.public_key:
        raise ImproperlyConfigured(f"{path} is not the private half of {key}.")
    return private


def rotate_key():
    """Make a new signing key, which signs from now on. Older keys stay published."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes_raw()
    directory = key_directory()
    with transaction.atomic():
        last = CredentialKey.objects.select_for_update().order_by("-number").first()
        key = CredentialKey(
            number=(last.number if last else 0) + 1,
            public_key=b64url(private.public_key().public_bytes_raw()),
            private_key="" if directory else b64url(raw),
        )
        key.save()
        if directory:
            # Created, never overwritten, readable by the server's user only.
            with open(_key_file(key), "x", opener=lambda path, flags: os.open(path, flags, 0o600)) as out:
                out.write(b64url(raw))
    return key


def signing_key():
    """The newest key; the first is made when the first certificate is signed."""
    key = CredentialKey.objects.order_by("-number").first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return rotate_key()
    except IntegrityError:  # another request made the first key meanwhile
        return CredentialKey.objects.order_by("-number").first()


def public_jwk(key):
    return {"kty": "OKP", "crv": "Ed25519", "x": key.public_key}


def _private_jwk(key):
    if not key.private_key and key_directory() is None:
        raise ImproperlyConfigured(
            f"The private half of {key} is kept in SAKHI_CREDENTIAL_KEY_DIR, which is not set."
        )
    private = key.private_key or _read_key_file(key)
    return OKPKey.import_key({**public_jwk(key), "d": private})


class _Registry(jws.JWSRegistry):
    """joserfc's JWS registry with one algorithm, "EdDSA", minus the warning joserfc gives for it.

    RFC 9864 deprecates the polymorphic "EdDSA" for the fully specified "Ed25519", and joserfc 1.8
    warns at every signature. Widely used verifiers (PyJWT among them) do not know "Ed25519" yet,
    so credentials keep "EdDSA", which with an Ed25519 key is the same signature (docs/decisions.md,
    "EdDSA, not Ed25519, as the JWS alg"). Quietened here, for this registry alone: a
    warnings.catch_warnings() around each signature would change the filters of every thread of
    the process while it ran."""

    algorithms = {ALGORITHM: copy.copy(jws.JWSRegistry.algorithms[ALGORITHM])}
    algorithms[ALGORITHM].security_warning = None
    recommended = [ALGORITHM]


REGISTRY = _Registry(algorithms=[ALGORITHM])


def sign(header, payload, key):
    """A compact JWS of a JSON payload, signed with this key."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact({"alg": ALGORITHM, **header}, body, _private_jwk(key), registry=REGISTRY)


def did_document():
    """The issuer's DID document: every key ever used, so old credentials still verify."""
    did = issuer_did()
    methods = [
        {
            "id": f"{did}#key-{key.number}",
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": public_jwk(key),
        }
        for key in CredentialKey.objects.order_by("number")
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def published_keys():
    """{key id: public JWK} for every key, both the full DID URL and the short form tokens use."""
    keys = {}
    for key in CredentialKey.objects.order_by("number"):
        keys[key_id(key)] = keys[f"key-{key.number}"] = public_jwk(key)
    return keys


# ---------------------------------------------------------------------------------------------
# The revocation list
# ---------------------------------------------------------------------------------------------


def status_list_url(list_number):
    return neutral_url(reverse("credential_status_list", kwargs={"number": list_number}))


def status_entry(index):
    """(list number, position in that list) of a certificate's status index."""
    return index // STATUS_LIST_SIZE + 1, index % STATUS_LIST_SIZE


def allocate_status_index(certificate):
    """A free entry in the current list, drawn at random. The unique index is what makes two
    concurrent issues (at any centres) never share an entry: a collision is drawn again."""
    for _attempt in range(50):
        allocated = Certificate.objects.filter(status_index__isnull=False).count()
        index = (allocated // STATUS_LIST_FILL) * STATUS_LIST_SIZE + secrets.randbelow(STATUS_LIST_SIZE)
        try:
            with transaction.atomic():
                Certificate.objects.filter(pk=certificate.pk).update(status_index=index)
        except IntegrityError:
            continue
        certificate.status_index = index
        return index
    raise RuntimeError("No free entry found in the status list.")


def status_list_count():
    """How many lists are published: the first always, then one per list in use."""
    last = Certificate.objects.filter(status_index__isnull=False).order_by("-status_index").first()
    return status_entry(last.status_index)[0] if last else 1


def status_list_bits(list_number):
    """The list's bitstring: bit N (left to right, from the first byte's high bit) set = revoked."""
    start = (list_number - 1) * STATUS_LIST_SIZE
    revoked = Certificate.objects.filter(
        status_index__gte=start, status_index__lt=start + STATUS_LIST_SIZE, revoked_at__isnull=False
    ).values_list("status_index", flat=True)
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked:
        position = index - start
        bits[position // 8] |= 0x80 >> (position % 8)
    return bytes(bits)


def status_list_credential(list_number):
    """The signed BitstringStatusListCredential, read from the certificates as they are now: a
    revocation shows in the next copy anyone fetches."""
    key = signing_key()
    url = status_list_url(list_number)
    encoded = "u" + b64url(gzip.compress(status_list_bits(list_number), mtime=0))
    credential = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": timezone.now().replace(microsecond=0).isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
    return sign({"typ": "vc+jwt", "cty": "vc", "kid": key_id(key)}, credential, key)


# ---------------------------------------------------------------------------------------------
# The credential and the QR token of one certificate
# ---------------------------------------------------------------------------------------------


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time())).isoformat()


def initials(full_name):
    return "".join(f"{part[0]}." for part in full_name.split())


def open_badge_credential(certificate, content):
    """The certificate as an OpenBadgeCredential: what the paper says, nothing more."""
    list_number, position = status_entry(certificate.status_index)
    list_url = status_list_url(list_number)
    achievement_id = uuid.uuid5(
        uuid.NAMESPACE_URL, f"{neutral_base_url()}/course/{certificate.enrolment.cohort.course_id}"
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, content.verification_url)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": content.course_title,
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": issuer_name(content.district, language="en"),  # as printed on the certificate
            "url": neutral_base_url() + "/",
        },
        "validFrom": _start_of(content.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": content.trainee_name,
                }
            ],
            "activityStartDate": _start_of(content.start_date),
            "activityEndDate": _start_of(content.end_date),
            "achievement": {
                "id": f"urn:uuid:{achievement_id}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": content.course_title,
                "description": f"{content.hours} hours of training in {content.trade}.",
                "criteria": {
                    "narrative": f"Completed the {content.hours}-hour course {content.course_title} with the "
                    "attendance it requires."
                },
                "fieldOfStudy": content.trade,
                "tag": [content.trade, f"{content.hours} hours"],
            },
        },
        "credentialStatus": {
            "id": f"{list_url}#{position}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(position),
            "statusListCredential": list_url,
        },
    }


def offline_claims(certificate, content):
    """The QR code's token, kept short so the code stays easy to scan: number, course, the dates,
    the holder's initials and her entry in the revocation list."""
    return {
        "n": content.number,
        "c": content.course_title,
        "i": initials(content.trainee_name),
        "f": content.start_date.isoformat(),
        "u": content.end_date.isoformat(),
        "d": content.issued_on.isoformat(),
        "s": certificate.status_index,
    }


def sign_certificate(certificate, content):
    """Give a newly issued certificate its revocation entry, its signed credential and its QR
    token. Called inside the issuing transaction, before the PDF (which prints the token)."""
    allocate_status_index(certificate)
    key = signing_key()
    certificate.credential = sign(
        {"typ": "vc+jwt", "cty": "vc", "kid": key_id(key)}, open_badge_credential(certificate, content), key
    )
    certificate.offline_token = sign({"kid": f"key-{key.number}"}, offline_claims(certificate, content), key)
    certificate.save(update_fields=["credential", "offline_token"])


def qr_url(verification_url, token):
    """The QR code opens the verification page; the token rides in the fragment, which a browser
    never sends to the server, and the offline verifier reads it."""
    return f"{verification_url}#t={token}" if token else verification_url


def sign_issued_before(certificate_pk):
    """Give a certificate issued before credentials existed its revocation entry, its signed
    credential and its QR token; False when it has a credential already or has been revoked.

    Its PDF stays the one issued: a certificate is frozen, and the printed copy she holds has
    the plain address in its QR code, which still opens the verification page. The token is kept
    for a reissue or a new print. Locks the row, so two runs at once sign it once."""
    from .certificates import certificate_content

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee", "enrolment__cohort__course__trade", "centre")
            .filter(pk=certificate_pk, credential="", revoked_at__isnull=True)
            .first()
        )
        if certificate is None:
            return False
        sign_certificate(certificate, certificate_content(certificate))
    return True
