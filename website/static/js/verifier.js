// The offline certificate check (templates/neutral/verifier.html). Everything it needs to check a
// signature is in the page: the programme's public keys. Only the revocation list is fetched, and
// only when there is a connection. Accepts the QR code's text (the verification address with the
// token after "#t="), the token alone, or a credential file (a VC-JOSE compact JWT).
(function () {
    "use strict";

    var settings = JSON.parse(document.getElementById("verifier-settings").textContent);
    var text = JSON.parse(document.getElementById("verifier-text").textContent);
    var form = document.getElementById("verifier-form");
    var field = document.getElementById("verifier-token");
    var fileInput = document.getElementById("verifier-file");
    var verdict = document.getElementById("verifier-verdict");
    var statusLine = document.getElementById("verifier-status");
    var facts = document.getElementById("verifier-facts");
    document.getElementById("verifier-needs-script").hidden = true;

    function bytesFromBase64url(value) {
        var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
        while (base64.length % 4) {
            base64 += "=";
        }
        var binary = atob(base64);
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) {
            bytes[i] = binary.charCodeAt(i);
        }
        return bytes;
    }

    function jsonFromBase64url(value) {
        return JSON.parse(new TextDecoder().decode(bytesFromBase64url(value)));
    }

    function tokenFrom(input) {
        var found = input.match(/#t=([A-Za-z0-9_.-]+)/);
        return (found ? found[1] : input).replace(/\s+/g, "");
    }

    // "EdDSA" is what the programme signs with; "Ed25519" is its fully specified name (RFC 9864),
    // accepted too so that a later switch leaves every credential checkable here.
    var ALGORITHMS = ["EdDSA", "Ed25519"];

    // The header and payload of a compact JWS signed by one of the programme's keys, or null.
    async function verified(token) {
        var parts = token.split(".");
        if (parts.length !== 3) {
            return null;
        }
        try {
            var header = jsonFromBase64url(parts[0]);
            var jwk = settings.keys[header.kid];
            if (ALGORITHMS.indexOf(header.alg) < 0 || !jwk) {
                return null;
            }
            var key = await crypto.subtle.importKey(
                "jwk", {kty: "OKP", crv: "Ed25519", x: jwk.x}, {name: "Ed25519"}, false, ["verify"]
            );
            var signed = new TextEncoder().encode(parts[0] + "." + parts[1]);
            var good = await crypto.subtle.verify({name: "Ed25519"}, key, bytesFromBase64url(parts[2]), signed);
            return good ? {header: header, payload: jsonFromBase64url(parts[1])} : null;
        } catch (error) {
            return null;
        }
    }

    function hasType(value, type) {
        return Array.isArray(value && value.type) && value.type.indexOf(type) >= 0;
    }

    // A certificate: the QR code's token, or the credential beside the PDF. The programme signs
    // other things with the same keys (its revocation list): those are no certificate.
    function isCertificate(signed) {
        var payload = signed.payload;
        if (signed.header.typ === undefined) {
            return typeof payload.n === "string" && Number.isInteger(payload.s);
        }
        return signed.header.typ === "vc+jwt" && hasType(payload, "OpenBadgeCredential");
    }

    function day(value) {
        return value ? String(value).slice(0, 10) : "–";
    }

    // What the certificate says, from the QR token's short claims or from the full credential.
    function factsOf(payload) {
        if (payload.n) {
            var list = Math.floor(payload.s / settings.statusListSize) + 1;
            return {
                number: payload.n, name: payload.i, course: payload.c,
                period: day(payload.f) + " – " + day(payload.u), issued: day(payload.d), issuer: "",
                statusList: settings.statusListUrl.replace("{n}", String(list)),
                statusIndex: payload.s % settings.statusListSize
            };
        }
        var subject = payload.credentialSubject || {};
        var achievement = subject.achievement || {};
        var status = payload.credentialStatus || {};
        return {
            number: "", name: ((subject.identifier || [])[0] || {}).identityHash, course: achievement.name,
            period: day(subject.activityStartDate) + " – " + day(subject.activityEndDate),
            issued: day(payload.validFrom), issuer: (payload.issuer || {}).name,
            statusList: status.statusListCredential, statusIndex: Number(status.statusListIndex)
        };
    }

    // true: revoked, false: not revoked, null: could not be checked (offline, or a bad list).
    async function isRevoked(url, index) {
        if (!url || !navigator.onLine) {
            return null;
        }
        try {
            var response = await fetch(url, {cache: "no-store"});
            var signed = response.ok ? await verified((await response.text()).trim()) : null;
            var list = signed && signed.payload;
            var subject = list && list.credentialSubject;
            if (!hasType(list, "BitstringStatusListCredential") || !subject ||
                    subject.statusPurpose !== "revocation") {
                return null;
            }
            var encoded = subject.encodedList;
            if (typeof encoded !== "string" || encoded[0] !== "u") {
                return null;
            }
            var stream = new Blob([bytesFromBase64url(encoded.slice(1))]).stream()
                .pipeThrough(new DecompressionStream("gzip"));
            var bits = new Uint8Array(await new Response(stream).arrayBuffer());
            if (!Number.isInteger(index) || index < 0 || (index >> 3) >= bits.length) {
                return null;
            }
            return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
        } catch (error) {
            return null;
        }
    }

    function show(result, message) {
        verdict.hidden = false;
        verdict.dataset.result = result;
        verdict.className = result === "valid" ? "status-valid" : "status-revoked";
        verdict.textContent = message;
    }

    async function check(input) {
        verdict.hidden = true;
        delete verdict.dataset.result;
        facts.hidden = true;
        statusLine.hidden = true;
        delete statusLine.dataset.status;
        if (!window.crypto || !crypto.subtle) {
            show("unsupported", text.unsupported);
            return;
        }
        var signed = await verified(tokenFrom(input));
        if (!signed || !isCertificate(signed)) {
            show("invalid", text.invalid);
            return;
        }
        var found = factsOf(signed.payload);
        Object.keys(found).forEach(function (name) {
            var cell = facts.querySelector('[data-fact="' + name + '"]');
            if (cell) {
                cell.textContent = found[name] || "–";
            }
        });
        facts.hidden = false;
        show("valid", text.valid);
        var revoked = await isRevoked(found.statusList, found.statusIndex);
        if (revoked) {
            show("revoked", text.revoked);
        }
        statusLine.hidden = false;
        statusLine.dataset.status = revoked === null ? "unknown" : revoked ? "revoked" : "not-revoked";
        statusLine.textContent = revoked === null ? text.statusUnknown : revoked ? text.revoked : text.notRevoked;
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        check(field.value);
    });

    fileInput.addEventListener("change", function () {
        var file = fileInput.files[0];
        if (file) {
            file.text().then(function (content) {
                field.value = content.trim();
                check(field.value);
            });
        }
    });

    // Opened from a QR code's address: the token is in the fragment, never sent to the server.
    if (location.hash.indexOf("#t=") === 0) {
        field.value = location.hash;
        check(field.value);
    }
}());
