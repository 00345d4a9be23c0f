"""A certification authority made with the `openssl` command alone, in the national CA's profile.

The revocation tests use it as a second, independent maker of certificates and CRLs: nothing here
goes through `torelik.identity.pki` or the `cryptography` package. Dates are given explicitly
(`openssl ca -startdate/-enddate`, `-crl_lastupdate/-crl_nextupdate`, revocation times written into
openssl's `index.txt`), so the certificates do not depend on the day the test runs.
"""

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

OPENSSL = "openssl"
CRL_URL = "http://crl.example.invalid/openssl-test-ca.crl"
OCSP_URL = "http://ocsp.example.invalid/"

#: The four ways a signing certificate can say (or not say) where its revocation status is found.
EXTENSIONS = {
    "none": "",
    "crl_dp": f"crlDistributionPoints = URI:{CRL_URL}\n",
    "ocsp": f"authorityInfoAccess = OCSP;URI:{OCSP_URL}\n",
    "crl_dp+ocsp": f"crlDistributionPoints = URI:{CRL_URL}\nauthorityInfoAccess = OCSP;URI:{OCSP_URL}\n",
}

_CONFIG = """\
[ca]
default_ca = ca_here

[ca_here]
dir = {directory}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
preserve = yes
string_mask = utf8only
utf8 = yes

[policy_any]
commonName = supplied
surname = optional
serialNumber = optional
countryName = optional
givenName = optional
organizationName = optional
organizationalUnitName = optional

[req]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes

[req_dn]

[root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[crl]
authorityKeyIdentifier = keyid

"""

# keyUsage digitalSignature+nonRepudiation, extKeyUsage emailProtection + "individual", the policy
# "individual signing" (shared/domain/kazakhstan.md).
_SIGNING_PROFILE = """\
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, 1.2.398.3.3.4.1.1
certificatePolicies = 1.2.398.3.3.2.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%SZ")


def _short_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%y%m%d%H%M%SZ")  # index.txt keeps UTCTime


def _run(*args: str, cwd: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=60
    )


def _new_key(path: Path) -> None:
    _run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(path), cwd=path.parent)


@dataclass(frozen=True)
class OpensslCertificate:
    name: str
    certificate: Path
    key: Path
    serial: str  # hexadecimal, as openssl writes it


class OpensslCA:
    """A root CA in `directory`: `root.pem`, `root.key`, the database, and CRLs on request."""

    def __init__(self, directory: Path, *, name: str, valid_from: dt.datetime, valid_to: dt.datetime) -> None:
        self.directory = directory
        self.name = name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "issued").mkdir(exist_ok=True)
        (directory / "index.txt").write_text("")
        (directory / "serial").write_text("1000\n")
        (directory / "crlnumber").write_text("01\n")
        profiles = "".join(f"[sign_{key}]\n{_SIGNING_PROFILE}{extra}\n" for key, extra in EXTENSIONS.items())
        self.config = directory / "openssl.cnf"
        self.config.write_text(_CONFIG.format(directory=directory) + profiles)
        self.root = directory / "root.pem"
        self.root_key = directory / "root.key"
        _new_key(self.root_key)
        _run(
            "req", "-new", "-config", str(self.config), "-key", str(self.root_key), "-utf8",
            "-subj", f"/CN={name}/O=openssl test CA/C=KZ", "-out", str(directory / "root.csr"),
            cwd=directory,
        )  # fmt: skip
        _run(
            "ca", "-batch", "-config", str(self.config), "-selfsign", "-keyfile", str(self.root_key),
            "-in", str(directory / "root.csr"), "-extensions", "root", "-notext",
            "-startdate", _short_stamp(valid_from), "-enddate", _short_stamp(valid_to), "-out", str(self.root),
            cwd=directory,
        )  # fmt: skip

    def issue_signing(
        self, *, name: str, iin: str, surname: str, given: str, extensions: str, valid_from: dt.datetime,
        valid_to: dt.datetime,
    ) -> OpensslCertificate:  # fmt: skip
        """A citizen's signing certificate with one of `EXTENSIONS` (by key)."""
        if extensions not in EXTENSIONS:
            raise ValueError(extensions)
        key, request, certificate = (self.directory / f"{name}.{suffix}" for suffix in ("key", "csr", "pem"))
        _new_key(key)
        _run(
            "req", "-new", "-config", str(self.config), "-key", str(key), "-utf8",
            "-subj", f"/CN={surname} {given}/SN={surname}/serialNumber=IIN{iin}/C=KZ", "-out", str(request),
            cwd=self.directory,
        )  # fmt: skip
        _run(
            "ca", "-batch", "-config", str(self.config), "-cert", str(self.root), "-keyfile", str(self.root_key),
            "-in", str(request), "-extensions", f"sign_{extensions}", "-notext",
            "-startdate", _short_stamp(valid_from), "-enddate", _short_stamp(valid_to), "-out", str(certificate),
            cwd=self.directory,
        )  # fmt: skip
        serial = self._serial_of(certificate)
        return OpensslCertificate(name=name, certificate=certificate, key=key, serial=serial)

    def _serial_of(self, certificate: Path) -> str:
        result = subprocess.run(  # noqa: S603 - fixed program
            [OPENSSL, "x509", "-in", str(certificate), "-noout", "-serial"],
            check=True, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        return result.stdout.strip().split("=", 1)[1].upper()

    def revoke(self, issued: OpensslCertificate, *, at: dt.datetime, reason: str = "keyCompromise") -> None:
        """Mark the certificate revoked at `at` in openssl's database (what `openssl ca -revoke`
        writes, with the time given instead of the machine's clock)."""
        index = self.directory / "index.txt"
        lines = []
        for line in index.read_text().splitlines():
            fields = line.split("\t")
            if fields[3].upper() == issued.serial:
                fields[0], fields[2] = "R", f"{_short_stamp(at)},{reason}"
            lines.append("\t".join(fields))
        index.write_text("\n".join(lines) + "\n")

    def crl(self, *, last_update: dt.datetime, next_update: dt.datetime, der: Path) -> Path:
        """The CRL of every revocation so far, signed by the root, written as DER to `der`."""
        pem = der.with_suffix(".crl.pem")
        _run(
            "ca", "-batch", "-config", str(self.config), "-cert", str(self.root), "-keyfile", str(self.root_key),
            "-gencrl", "-crlexts", "crl", "-crl_lastupdate", _stamp(last_update),
            "-crl_nextupdate", _stamp(next_update), "-out", str(pem),
            cwd=self.directory,
        )  # fmt: skip
        _run("crl", "-in", str(pem), "-outform", "DER", "-out", str(der), cwd=self.directory)
        return der
